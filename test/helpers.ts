// Shared test helpers: bug check expectations and guard-byte buffers.
import { BugCheckError } from '../lib';

/** Runs fn, expecting BugCheckError with `code` and (where given) parameters P1..P4 (undefined = any). */
export function expectBugCheck(fn: () => unknown, code: number, params: (bigint | number | undefined)[] = []): BugCheckError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BugCheckError);
  const b = err as BugCheckError;
  expect(b.name).toBe('BugCheckError');
  expect(b.bugCheckCode).toBe(code);
  params.forEach((p, i) => {
    if (p !== undefined) expect(b.parameters[i]).toBe(BigInt(p));
  });
  return b;
}

export const GUARD = 0x5a;

/**
 * A window of `n` bytes filled with `fill`, inside a larger ArrayBuffer whose other bytes are GUARD:
 * `view` is the window, `all` the whole allocation, `guardsIntact()` checks everything outside it.
 */
export function guarded(n: number, fill = 0xaa, pad = 16) {
  const all = new Uint8Array(n + 2 * pad).fill(GUARD);
  const view = all.subarray(pad, pad + n);
  view.fill(fill);
  return {
    all,
    view,
    guardsIntact: () => all.subarray(0, pad).every((b) => b === GUARD) && all.subarray(pad + n).every((b) => b === GUARD),
  };
}

/** Bytes 1, 2, 3, ... n (the SEMANTICS.md vectors' source). */
export function seq(n: number, start = 1): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
}

/** A resizable ArrayBuffer (ES2024; the project's TS lib is ES2022). */
export type ResizableArrayBuffer = ArrayBuffer & { resize(n: number): void };
export function newResizable(len: number, maxByteLength: number): ResizableArrayBuffer {
  const Ctor = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ResizableArrayBuffer;
  return new Ctor(len, { maxByteLength });
}
