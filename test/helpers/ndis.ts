// Fixtures for the NDIS tests: MDL chains over guarded buffers, so every test can check that no byte
// outside a destination MDL changed.
import * as nt from '../../lib';

export const GUARD = 0x5a;
export const PAD = 4;

export interface Seg {
  mdl: nt.PMDL;
  /** The whole backing buffer: PAD guard bytes, the MDL's bytes, PAD guard bytes. */
  backing: Buffer;
  /** The MDL's bytes (a view into backing). */
  bytes: Buffer;
}

export const pool = nt.NdisAllocateNetBufferPool(null);

/** One MDL over `content` (number[] or a length of zero bytes), guarded on both sides. */
export function seg(content: number[] | number, fails = false): Seg {
  const data = typeof content === 'number' ? new Array<number>(content).fill(0) : content;
  const backing = Buffer.alloc(data.length + 2 * PAD, GUARD);
  backing.set(data, PAD);
  const bytes = backing.subarray(PAD, PAD + data.length);
  const mdl = nt.IoAllocateMdl(bytes)!;
  if (fails) nt.Sim.setMdlMappingFails(mdl, true);
  return { mdl, backing, bytes };
}

/** Links the segments in order (the last one's Next = null). */
export function link(segs: Seg[]): void {
  segs.forEach((s, i) => { s.mdl.Next = i + 1 < segs.length ? segs[i + 1].mdl : null; });
}

/** A NET_BUFFER over the linked segments. */
export function nbOf(segs: Seg[], dataOffset = 0, dataLength?: number): nt.PNET_BUFFER {
  link(segs);
  const len = dataLength ?? segs.reduce((a, s) => a + s.bytes.length, 0);
  return nt.NdisAllocateNetBuffer(pool, segs.length ? segs[0].mdl : null, dataOffset, len)!;
}

/** S8 = [10 11 12 13][14 15 16 17] and D8 = [00 x 8] of SEMANTICS 2.6. */
export function S8(): { segs: Seg[]; nb: nt.PNET_BUFFER } {
  const segs = [seg([0x10, 0x11, 0x12, 0x13]), seg([0x14, 0x15, 0x16, 0x17])];
  return { segs, nb: nbOf(segs) };
}
export function D8(): { segs: Seg[]; nb: nt.PNET_BUFFER } {
  const segs = [seg(8)];
  return { segs, nb: nbOf(segs) };
}

/** Concatenated MDL bytes of segments. */
export function bytesOf(segs: Seg[]): number[] {
  return segs.flatMap((s) => [...s.bytes]);
}

/** True when every guard byte of every segment is intact. */
export function guardsIntact(segs: Seg[]): boolean {
  return segs.every((s) => {
    const b = s.backing;
    for (let i = 0; i < PAD; i++) if (b[i] !== GUARD || b[b.length - 1 - i] !== GUARD) return false;
    return true;
  });
}

/** Catches a BugCheckError and returns it (fails the test if none is thrown). */
export function bugcheck(fn: () => unknown): nt.BugCheckError {
  try {
    fn();
  } catch (e) {
    if (e instanceof nt.BugCheckError) return e;
    throw e;
  }
  throw new Error('expected a BugCheckError');
}

export const copy = nt.NdisCopyFromNetBufferToNetBuffer;

export { newResizable } from '../helpers';
export type { ResizableArrayBuffer } from '../helpers';
