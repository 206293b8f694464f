// JS argument checks (API.md section 0): TypeError / RangeError before anything is read or written.
// They decide no Windows status; the core does.

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U32 = 0xffffffff;

function integer(v: unknown, name: string, max: bigint, maxNum: number, what: string): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > maxNum) {
      throw new RangeError(`${name} must be an integer in 0..${what}, got ${v}`);
    }
  } else if (typeof v === 'bigint') {
    if (v < 0n || v > max) throw new RangeError(`${name} must be an integer in 0..${what}, got ${v}n`);
  } else {
    throw new TypeError(`${name} must be a number or bigint, got ${v === null ? 'null' : typeof v}`);
  }
}

/** size_t / address: a safe-integer number or a bigint in 0..2^64-1. */
export function sizeT(v: unknown, name: string): void {
  integer(v, name, MAX_U64, Number.MAX_SAFE_INTEGER, '2^64-1 (numbers: safe integers)');
}

/** ULONG: a number or bigint in 0..2^32-1. */
export function ulong(v: unknown, name: string): void {
  integer(v, name, BigInt(MAX_U32), MAX_U32, '2^32-1');
}

/** ULONG as a plain number. */
export function ulongNumber(v: unknown, name: string): number {
  ulong(v, name);
  return Number(v);
}

/** A C pointer to bytes: an ArrayBufferView, or null/undefined for NULL. */
export function viewOrNull(v: unknown, name: string): ArrayBufferView | null {
  if (v === null || v === undefined) return null;
  if (!ArrayBuffer.isView(v)) throw new TypeError(`${name} must be an ArrayBufferView or null`);
  return v;
}

/** A pointer C requires but whose NULL is a JS error here (IoAllocateMdl's VirtualAddress). */
export function view(v: unknown, name: string): ArrayBufferView {
  if (!ArrayBuffer.isView(v)) throw new TypeError(`${name} must be an ArrayBufferView`);
  return v;
}

/**
 * An optional byte count that defaults to a view's byteLength and may not exceed it. With no view (NULL) it is
 * only checked as a size_t: what a NULL pointer means is the core's to decide (API.md 7 v1.3).
 */
export function sizeWithin(v: unknown, buf: ArrayBufferView | null, name: string): number | bigint {
  const cap = buf ? buf.byteLength : 0;
  if (v === undefined) return cap;
  sizeT(v, name);
  if (buf && BigInt(v as number | bigint) > BigInt(cap)) {
    throw new RangeError(`${name} (${v}) is larger than the buffer (${cap} bytes)`);
  }
  return v as number | bigint;
}

/** A plain-object options argument (null/undefined = none). */
export function options(v: unknown, name: string): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') throw new TypeError(`${name} must be an object or null`);
  return v as Record<string, unknown>;
}

export function bool(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  return v;
}
