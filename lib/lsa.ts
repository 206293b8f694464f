// LSA client buffers (API.md section 5): filled in by the LSA issue.

/** Sim members of the LSA family. @internal */
export const lsaSim = {};
