// The only file that loads the compiled addon.
import bindings = require('bindings');

/** Raw binding; lib/ validates every argument before calling it. @internal */
export const native: any = bindings('ntcopy');

// Buffer kinds are learned from the prototype getters taken here, at load: a caller can redefine
// `resizable` / `growable` on a buffer (or later on the prototype), not the functions captured now.
// A runtime without resizable or growable buffers has no getter: undefined then.
const getter = (proto: object | undefined, name: string): unknown =>
  proto && Object.getOwnPropertyDescriptor(proto, name)?.get;
native.setBufferKinds(
  getter(ArrayBuffer.prototype, 'resizable'),
  getter(typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer.prototype : undefined, 'growable'),
);

/** The status value a native call returns after recording a bug check (NT_FAULTED as int32). @internal */
export const FAULTED = -1;

/**
 * The argument block: hot wrappers write numeric arguments here and call a native entry without them
 * (each Node-API number read costs more than the copy of a small segment). Slots 0-5 arguments,
 * slot 6 a result. Library-private: never exposed, so never detached. @internal
 */
export const args = new Float64Array(native.argBlock as ArrayBuffer);
export const RESULT0 = 6;
/** Slot 7: the status of an entry that returns it through the block (int32, as a returned one). @internal */
export const STATUS = 7;
