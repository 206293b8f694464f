// The only file that loads the compiled addon.
import bindings = require('bindings');

/** Raw binding; lib/ validates every argument before calling it. @internal */
export const native: any = bindings('ntcopy');

/** The status value a native call returns after recording a bug check (NT_FAULTED as int32). @internal */
export const FAULTED = -1;
