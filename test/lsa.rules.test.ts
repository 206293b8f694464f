// LSA client buffers: one test per rule of SEMANTICS.md section 3 / section 6 (8-10) and every
// example vector of 3.5. Expected values are derived from the rules: a client byte at address a is
// (a & 0xFF) unless written, local bytes start as 0xEE, guard bytes around every buffer are 0x5A.
import * as nt from '../lib';

const { CopyFromClientBuffer, CopyToClientBuffer, AllocateClientBuffer, FreeClientBuffer } = nt.LsaFunctions;
const CHUNK = 57344;
const G = 64;

/** Bytes of the address pattern for [a, a + n). */
function pattern(a: number | bigint, n: number): Buffer {
  const b = Buffer.alloc(n);
  const lo = Number(BigInt(a) & 0xffn);
  for (let i = 0; i < n; i++) b[i] = (lo + i) & 0xff;
  return b;
}
/** Byte equality (jest's deep equality is slow on big Buffers); reports the first difference. */
function same(actual: Uint8Array, want: Uint8Array): string {
  if (actual.length !== want.length) return `length ${actual.length} != ${want.length}`;
  const i = Buffer.from(actual.buffer, actual.byteOffset, actual.length).compare(want) === 0 ? -1
    : actual.findIndex((v, k) => v !== want[k]);
  return i < 0 ? 'same' : `differs at ${i}: ${actual[i]} != ${want[i]}`;
}
function mapPattern(r: nt.PLSA_CLIENT_REQUEST, base: number | bigint, size: number, prot: number): void {
  r.map(base, pattern(base, size), prot);
}

/** A local buffer of capacity `cap` (0xEE) between two 64-byte guards (0x5A). */
class Local {
  readonly whole: Buffer;
  readonly view: Buffer;
  constructor(readonly cap: number) {
    this.whole = Buffer.alloc(G + cap + G, 0x5a);
    this.view = this.whole.subarray(G, G + cap);
    this.view.fill(0xee);
  }
  guardsIntact(): boolean {
    return this.whole.subarray(0, G).every((b) => b === 0x5a) && this.whole.subarray(G + this.cap).every((b) => b === 0x5a);
  }
  /** [0, n) equals `want`, the rest is still 0xEE, guards intact. */
  is(want: Uint8Array): boolean {
    return this.guardsIntact() && Buffer.compare(this.view.subarray(0, want.length), want) === 0 &&
      this.view.subarray(want.length).every((b) => b === 0xee);
  }
  unchanged(): boolean { return this.is(new Uint8Array(0)); }
}

/** SEMANTICS 3.5: R1 = [0x10000,0x12000) RW; R2 = [0x100000,0x110000) RW;
 * R3 = 0x200000 RW, 0x201000 NOACCESS, 0x202000 RW (one page each). */
function vecClient(): nt.PLSA_CLIENT_REQUEST {
  const r = nt.Sim.createClientRequest();
  mapPattern(r, 0x10000, 0x2000, nt.PAGE_READWRITE);
  mapPattern(r, 0x100000, 0x10000, nt.PAGE_READWRITE);
  mapPattern(r, 0x200000, 0x1000, nt.PAGE_READWRITE);
  mapPattern(r, 0x201000, 0x1000, nt.PAGE_NOACCESS);
  mapPattern(r, 0x202000, 0x1000, nt.PAGE_READWRITE);
  return r;
}

function bugCheck(fn: () => unknown): nt.BugCheckError {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(nt.BugCheckError);
  return err as nt.BugCheckError;
}
function expect0xEF(fn: () => unknown): void {
  const e = bugCheck(fn);
  expect(e.bugCheckCode).toBe(0xef);
  expect(e.bugCheckCode).toBe(nt.CRITICAL_PROCESS_DIED);
  expect(e.parameters[0]).toBe(0n);
}

describe('SEMANTICS 3.5 example vectors (CopyFromClientBuffer, C = 0x20000 of 0xEE)', () => {
  let r: nt.PLSA_CLIENT_REQUEST;
  let loc: Local;
  beforeEach(() => { r = vecClient(); loc = new Local(0x20000); });

  test('#1: 16 bytes at 0x10000 -> SUCCESS, dst[0..15] = 00..0F', () => {
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(Buffer.from([...Array(16).keys()]))).toBe(true);
  });
  test('#3: 0 bytes at 0x10000 -> SUCCESS, unchanged', () => {
    expect(CopyFromClientBuffer(r, 0, loc.view, 0x10000)).toBe(0);
    expect(loc.unchanged()).toBe(true);
  });
  test('#6: 0 bytes at 0xFFFF800000000000 -> 0xC0000005 (L1 applies at Length 0)', () => {
    expect(CopyFromClientBuffer(r, 0, loc.view, 0xffff800000000000n)).toBe(0xc0000005);
    expect(loc.unchanged()).toBe(true);
  });
  test('#7: 16 bytes at NULL -> 0x8000000D, unchanged', () => {
    expect(CopyFromClientBuffer(r, 16, loc.view, 0)).toBe(0x8000000d);
    expect(CopyFromClientBuffer(r, 16, loc.view, null)).toBe(0x8000000d);
    expect(loc.unchanged()).toBe(true);
  });
  test('#11: 511 bytes at 0x11E02 -> 0x8000000D, unchanged (pool path)', () => {
    expect(CopyFromClientBuffer(r, 511, loc.view, 0x11e02)).toBe(0x8000000d);
    expect(loc.unchanged()).toBe(true);
  });
  test('#12: 512 bytes at 0x11E01 -> 0x8000000D, unchanged (mapped path, chunk 0 fails)', () => {
    expect(CopyFromClientBuffer(r, 512, loc.view, 0x11e01)).toBe(0x8000000d);
    expect(loc.unchanged()).toBe(true);
  });
  test('#16: 0x10001 bytes at 0x100000 -> 0x8000000D, dst[0..0xDFFF] written, dst[0xE000..] = EE', () => {
    expect(CopyFromClientBuffer(r, 0x10001, loc.view, 0x100000)).toBe(0x8000000d);
    expect(loc.is(pattern(0x100000, 0xe000))).toBe(true);
  });
  test('#22: 16 bytes at 0x10000 with C = 8 -> 0xC0000005, unchanged', () => {
    const small = new Local(8);
    expect(CopyFromClientBuffer(r, 16, small.view, 0x10000)).toBe(0xc0000005);
    expect(small.unchanged()).toBe(true);
  });
  test('#32: ClientRequest NULL -> bug check (L0), unchanged', () => {
    expect0xEF(() => CopyFromClientBuffer(null as unknown as nt.PLSA_CLIENT_REQUEST, 16, loc.view, 0x10000));
    expect(loc.unchanged()).toBe(true);
  });
  test('CopyTo spot vectors: 16 to 0x10000; 16 to 0x11FF8; 0 to 0xFFFF800000000000; 0 to NULL', () => {
    const src = Buffer.from([...Array(16).keys()].map((i) => 0xa0 + i));
    expect(CopyToClientBuffer(r, 16, 0x10000, src)).toBe(nt.STATUS_SUCCESS);
    expect(r.peek(0x10000, 16)).toEqual(src);
    expect(same(r.peek(0x10010, 0x1ff0), pattern(0x10010, 0x1ff0))).toBe('same');
    expect(CopyToClientBuffer(r, 16, 0x11ff8, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(same(r.peek(0x11000, 0x1000), pattern(0x11000, 0x1000))).toBe('same');
    expect(CopyToClientBuffer(r, 0, 0xffff800000000000n, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyToClientBuffer(r, 0, null, src)).toBe(nt.STATUS_SUCCESS);
  });
});

describe('CopyFromClientBuffer rules L0..L6', () => {
  test('L0: NULL, undefined, completed, other-kind request -> 0xEF before everything, nothing written', () => {
    const r = vecClient();
    const loc = new Local(64);
    const nul = null as unknown as nt.PLSA_CLIENT_REQUEST;
    expect0xEF(() => CopyFromClientBuffer(nul, 0, loc.view, 0xffff800000000000n));
    expect0xEF(() => CopyFromClientBuffer(undefined as unknown as nt.PLSA_CLIENT_REQUEST, 16, loc.view, 0x10000));
    const mem = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
    expect0xEF(() => CopyFromClientBuffer(mem as unknown as nt.PLSA_CLIENT_REQUEST, 16, loc.view, 0x10000));
    nt.WdfObjectDelete(mem);
    r.complete();
    expect0xEF(() => CopyFromClientBuffer(r, 16, loc.view, 0x10000));
    expect0xEF(() => CopyFromClientBuffer(r, 0, loc.view, 0x10000));
    expect(loc.unchanged()).toBe(true);
    // host controls keep working after complete() (v1.2)
    expect(same(r.peek(0x10000, 4), pattern(0x10000, 4))).toBe('same');
    r.poke(0x10000, Buffer.from([9]));
    expect(r.peek(0x10000, 1)[0]).toBe(9);
  });
  test('L1: end address (one past) > HighestUser or wrapping -> ACCESS_VIOLATION, also at Length 0 and before L3/L4', () => {
    const r = vecClient();
    const loc = new Local(64);
    const H = 0x00007ffffffeffffn;
    expect(CopyFromClientBuffer(r, 16, loc.view, H + 1n - 16n)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyFromClientBuffer(r, 16, loc.view, H - 16n)).toBe(nt.STATUS_PARTIAL_COPY); // end == H passes L1
    expect(CopyFromClientBuffer(r, 0, loc.view, H + 1n)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyFromClientBuffer(r, 0, loc.view, H)).toBe(nt.STATUS_SUCCESS);
    expect(CopyFromClientBuffer(r, 16, loc.view, (1n << 64n) - 8n)).toBe(nt.STATUS_ACCESS_VIOLATION);
    r.closeHandle();
    r.terminate();
    expect(CopyFromClientBuffer(r, 16, loc.view, 0xffff800000000000n)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(loc.unchanged()).toBe(true);
  });
  test('L1 with a configured HighestUserAddress (x86 2 GB) and with the whole 64-bit space', () => {
    const r = nt.Sim.createClientRequest({ HighestUserAddress: 0x7ffeffffn });
    const loc = new Local(16);
    expect(CopyFromClientBuffer(r, 1, loc.view, 0x7ffeffff)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyFromClientBuffer(r, 1, loc.view, 0x7ffefffe)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(() => r.map(0x7fff0000, 0x1000, nt.PAGE_READWRITE)).toThrow(RangeError);
    const all = nt.Sim.createClientRequest({ HighestUserAddress: (1n << 64n) - 1n });
    all.map((1n << 64n) - 0x1000n, pattern((1n << 64n) - 0x1000n, 0x1000), nt.PAGE_READONLY);
    expect(CopyFromClientBuffer(all, 16, loc.view, (1n << 64n) - 16n)).toBe(nt.STATUS_ACCESS_VIOLATION); // wraps to 0
    expect(CopyFromClientBuffer(all, 15, loc.view, (1n << 64n) - 16n)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(pattern((1n << 64n) - 16n, 15))).toBe(true);
  });
  test('L1b: the local buffer always passes the range check, wherever its view lies', () => {
    // a view at the far end of a large ArrayBuffer: only the client range is tested (L1), never the local one
    const r = vecClient();
    const big = new ArrayBuffer(1 << 20);
    const tail = new Uint8Array(big, (1 << 20) - 16, 16);
    expect(CopyFromClientBuffer(r, 16, tail, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(same(tail, pattern(0x10000, 16))).toBe('same');
    expect(new Uint8Array(big, 0, (1 << 20) - 16).every((b) => b === 0)).toBe(true);
  });
  test('L2: Length 0 -> SUCCESS before any handle check', () => {
    const r = vecClient();
    r.closeHandle();
    r.terminate();
    r.setAccess({ read: false, write: false, operation: false });
    const loc = new Local(8);
    expect(CopyFromClientBuffer(r, 0, loc.view, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(CopyFromClientBuffer(r, 0, null, 0)).toBe(nt.STATUS_SUCCESS);
    expect(loc.unchanged()).toBe(true);
  });
  test('L3: closed handle -> INVALID_HANDLE; no read right -> ACCESS_DENIED; before L4 and L5', () => {
    const r = vecClient();
    const loc = new Local(64);
    r.setAccess({ read: false });
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(nt.STATUS_ACCESS_DENIED);
    r.setAccess({ write: false, operation: false }); // read stays false
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(nt.STATUS_ACCESS_DENIED);
    r.setAccess({ read: true });
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(nt.STATUS_SUCCESS); // write/operation not needed
    r.setAccess({ read: false });
    r.terminate();
    expect(CopyFromClientBuffer(r, 16, loc.view, 0)).toBe(nt.STATUS_ACCESS_DENIED);
    r.closeHandle();
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(nt.STATUS_INVALID_HANDLE);
    expect(nt.STATUS_INVALID_HANDLE).toBe(0xc0000008);
  });
  test('L4: terminating -> PROCESS_IS_TERMINATING before L5/L6', () => {
    const r = vecClient();
    const loc = new Local(0x1000);
    r.terminate();
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10000)).toBe(0xc000010a);
    expect(CopyFromClientBuffer(r, 16, loc.view, 0)).toBe(0xc000010a);
    expect(CopyFromClientBuffer(r, 600, loc.view, 0x11e01)).toBe(0xc000010a);
    expect(loc.unchanged()).toBe(true);
  });
  test('L5a: any unreadable source byte (<= 511) -> PARTIAL_COPY, nothing written', () => {
    const r = vecClient();
    const loc = new Local(0x1000);
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x200ff8)).toBe(nt.STATUS_PARTIAL_COPY); // into NOACCESS
    r.protect(0x200000, 0x1000, nt.PAGE_READWRITE | nt.PAGE_GUARD);
    expect(CopyFromClientBuffer(r, 4, loc.view, 0x200000)).toBe(nt.STATUS_PARTIAL_COPY);
    r.protect(0x200000, 0x1000, nt.PAGE_EXECUTE);
    expect(CopyFromClientBuffer(r, 4, loc.view, 0x200000)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(loc.unchanged()).toBe(true);
    for (const p of [nt.PAGE_READONLY, nt.PAGE_WRITECOPY, nt.PAGE_EXECUTE_READ, nt.PAGE_EXECUTE_READWRITE,
      nt.PAGE_EXECUTE_WRITECOPY, nt.PAGE_READWRITE | nt.PAGE_NOCACHE, nt.PAGE_READONLY | nt.PAGE_WRITECOMBINE]) {
      r.protect(0x200000, 0x1000, p);
      expect(CopyFromClientBuffer(r, 4, loc.view, 0x200000)).toBe(nt.STATUS_SUCCESS);
    }
    expect(loc.is(pattern(0x200000, 4))).toBe(true);
  });
  test('L5b: local capacity C < Length -> ACCESS_VIOLATION, checked after the source read', () => {
    const r = vecClient();
    const loc = new Local(510);
    expect(CopyFromClientBuffer(r, 511, loc.view, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyFromClientBuffer(r, 511, loc.view, 0)).toBe(nt.STATUS_PARTIAL_COPY); // source first
    expect(CopyFromClientBuffer(r, 16, null, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION); // NULL = capacity 0
    expect(loc.unchanged()).toBe(true);
    expect(CopyFromClientBuffer(r, 510, loc.view, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(pattern(0x10000, 510))).toBe(true);
  });
  test('L5c: one-pass copy of exactly Length bytes across a page boundary; committed unwritten pages read 0', () => {
    const r = vecClient();
    const loc = new Local(600);
    expect(CopyFromClientBuffer(r, 511, loc.view, 0x10f01)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(pattern(0x10f01, 511))).toBe(true);
    const { ClientBaseAddress } = AllocateClientBuffer(r, 100);
    const z = new Local(200);
    expect(CopyFromClientBuffer(r, 100, z.view, ClientBaseAddress!)).toBe(nt.STATUS_SUCCESS);
    expect(z.is(new Uint8Array(100))).toBe(true);
    expect(r.peek(0x10000, 0x2000)).toEqual(pattern(0x10000, 0x2000)); // client never changes
  });
  test('L5 never maps; L6 from 512 bytes does (the 511/512 threshold, rule 6.10)', () => {
    const r = vecClient();
    r.setMappingFails(true);
    const loc = new Local(512);
    expect(CopyFromClientBuffer(r, 511, loc.view, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(CopyFromClientBuffer(r, 512, loc.view, 0x10000)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    expect(loc.is(pattern(0x10000, 511))).toBe(true);
  });
  test('L6a: chunks of 57344 from the unaligned client address; unreadable chunk -> PARTIAL_COPY, earlier chunks written', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_READONLY);
    r.protect(0x420000, 0x1000, nt.PAGE_NOACCESS);
    const loc = new Local(3 * CHUNK);
    expect(CopyFromClientBuffer(r, 3 * CHUNK, loc.view, 0x400123)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(loc.is(pattern(0x400123, 2 * CHUNK))).toBe(true);
    const l2 = new Local(0x20000);
    expect(CopyFromClientBuffer(r, 0x1fedd, l2.view, 0x400123)).toBe(nt.STATUS_SUCCESS); // last byte 0x41FFFF
    expect(l2.is(pattern(0x400123, 0x1fedd))).toBe(true);
    const l3 = new Local(0x20000);
    expect(CopyFromClientBuffer(r, 0x1fedd, l3.view, 0x400124)).toBe(nt.STATUS_PARTIAL_COPY); // last byte 0x420000
    expect(l3.is(pattern(0x400124, 2 * CHUNK))).toBe(true);
  });
  test('L6b: mapping failure of chunk k -> INSUFFICIENT_RESOURCES with chunks < k written; after L6a, before L6c', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_READWRITE);
    const loc = new Local(3 * CHUNK);
    r.setMappingFails(1);
    expect(CopyFromClientBuffer(r, 3 * CHUNK, loc.view, 0x400010)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    expect(loc.is(pattern(0x400010, CHUNK))).toBe(true);
    r.setMappingFails(true);
    const small = new Local(8);
    expect(CopyFromClientBuffer(r, 512, small.view, 0x400010)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    expect(CopyFromClientBuffer(r, 512, small.view, 0x42ff00)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(small.unchanged()).toBe(true);
    r.setMappingFails(3); // a chunk never reached
    const l2 = new Local(3 * CHUNK);
    expect(CopyFromClientBuffer(r, 3 * CHUNK, l2.view, 0x400010)).toBe(nt.STATUS_SUCCESS);
    r.setMappingFails(false);
    expect(CopyFromClientBuffer(r, 512, l2.view, 0x400010)).toBe(nt.STATUS_SUCCESS);
  });
  test('L6c: at chunk 0 only, C < Length -> ACCESS_VIOLATION, unchanged (even if chunk 0 would fit)', () => {
    const r = vecClient();
    const loc = new Local(0xe000);
    expect(CopyFromClientBuffer(r, 0xe001, loc.view, 0x100000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    const l2 = new Local(0x10000);
    expect(CopyFromClientBuffer(r, 0x10001, l2.view, 0x100000)).toBe(nt.STATUS_ACCESS_VIOLATION); // before chunk 1's fault
    expect(CopyFromClientBuffer(r, 512, null, 0x100000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(loc.unchanged() && l2.unchanged()).toBe(true);
  });
  test('L6d: multi-chunk copy of exactly Length bytes', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_EXECUTE_READ);
    const n = 3 * CHUNK + 77;
    const loc = new Local(n + 100);
    expect(CopyFromClientBuffer(r, n, loc.view, 0x400f01)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(pattern(0x400f01, n))).toBe(true);
    expect(same(r.peek(0x400000, 0x30000), pattern(0x400000, 0x30000))).toBe('same');
  });
});

describe('CopyToClientBuffer (SEMANTICS 3.4, 6.8)', () => {
  const src = Buffer.from(Array.from({ length: 3 * CHUNK + 100 }, (_, i) => (i * 7 + 3) & 0xff));
  test('6.8 L0..L4: bug check, range, Length 0, write right, terminating', () => {
    const r = vecClient();
    expect0xEF(() => CopyToClientBuffer(null as unknown as nt.PLSA_CLIENT_REQUEST, 0, 0, null));
    r.setAccess({ write: false });
    expect(CopyToClientBuffer(r, 4, 0x10000, src)).toBe(nt.STATUS_ACCESS_DENIED);
    expect(CopyToClientBuffer(r, 0, 0x10000, src)).toBe(nt.STATUS_SUCCESS);
    expect(CopyToClientBuffer(r, 0, 0x800000000000n, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    r.setAccess({ write: true, read: false, operation: false });
    r.terminate();
    expect(CopyToClientBuffer(r, 4, 0x10000, src)).toBe(nt.STATUS_PROCESS_IS_TERMINATING);
    r.closeHandle();
    expect(CopyToClientBuffer(r, 4, 0x10000, src)).toBe(nt.STATUS_INVALID_HANDLE);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
    r.complete();
    expect0xEF(() => CopyToClientBuffer(r, 4, 0x10000, src));
  });
  test('6.8 one pass: local source short -> PARTIAL_COPY before the probe; unwritable -> ACCESS_VIOLATION; client unchanged', () => {
    const r = vecClient();
    expect(CopyToClientBuffer(r, 16, 0x11ff8, src.subarray(0, 8))).toBe(nt.STATUS_PARTIAL_COPY);
    expect(CopyToClientBuffer(r, 16, 0x10100, null)).toBe(nt.STATUS_PARTIAL_COPY);
    r.protect(0x10000, 0x1000, nt.PAGE_READONLY);
    expect(CopyToClientBuffer(r, 16, 0x10100, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    r.protect(0x10000, 0x1000, nt.PAGE_EXECUTE_READ);
    expect(CopyToClientBuffer(r, 16, 0x10100, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    r.protect(0x10000, 0x1000, nt.PAGE_READWRITE | nt.PAGE_GUARD);
    expect(CopyToClientBuffer(r, 16, 0x10100, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
  });
  test('6.8 writable set: READWRITE, WRITECOPY, EXECUTE_READWRITE, EXECUTE_WRITECOPY (+NOCACHE/WRITECOMBINE)', () => {
    const r = vecClient();
    const prots = [nt.PAGE_READWRITE, nt.PAGE_WRITECOPY, nt.PAGE_EXECUTE_READWRITE, nt.PAGE_EXECUTE_WRITECOPY,
      nt.PAGE_READWRITE | nt.PAGE_NOCACHE, nt.PAGE_WRITECOPY | nt.PAGE_WRITECOMBINE];
    prots.forEach((p, i) => {
      r.protect(0x10000, 0x1000, p);
      expect(CopyToClientBuffer(r, 4, 0x10100 + 4 * i, src.subarray(4 * i))).toBe(nt.STATUS_SUCCESS);
    });
    expect(same(r.peek(0x10100, 4 * prots.length), src.subarray(0, 4 * prots.length))).toBe('same');
    expect(same(r.peek(0x100fc, 4), pattern(0x100fc, 4))).toBe('same');
    expect(same(r.peek(0x10100 + 4 * prots.length, 4), pattern(0x10100 + 4 * prots.length, 4))).toBe('same');
  });
  test('6.8 mapped path: source covers each chunk else PARTIAL_COPY with earlier chunks written', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_READWRITE);
    const a = 0x400123;
    expect(CopyToClientBuffer(r, 3 * CHUNK, a, src.subarray(0, 2 * CHUNK + 5))).toBe(nt.STATUS_PARTIAL_COPY);
    expect(same(r.peek(a, 2 * CHUNK), src.subarray(0, 2 * CHUNK))).toBe('same');
    expect(same(r.peek(a + 2 * CHUNK, 0x430000 - a - 2 * CHUNK), pattern(a + 2 * CHUNK, 0x430000 - a - 2 * CHUNK))).toBe('same');
    expect(same(r.peek(0x400000, 0x123), pattern(0x400000, 0x123))).toBe('same');
  });
  test('6.8 mapped path order at chunk 0: source, mapping hook, whole-range probe (client unchanged)', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x500000, 0x1000, nt.PAGE_READONLY);
    expect(CopyToClientBuffer(r, 600, 0x500000, src.subarray(0, 599))).toBe(nt.STATUS_PARTIAL_COPY);
    r.setMappingFails(0);
    expect(CopyToClientBuffer(r, 600, 0x500000, src)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    r.setMappingFails(false);
    expect(CopyToClientBuffer(r, 600, 0x500000, src)).toBe(nt.STATUS_ACCESS_VIOLATION);
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_READWRITE);
    r.protect(0x42f000, 0x1000, nt.PAGE_READONLY); // only the last chunk's last page
    expect(CopyToClientBuffer(r, 0x2ff00, 0x400080, Buffer.alloc(0x2ff00, 1))).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(same(r.peek(0x400000, 0x30000), pattern(0x400000, 0x30000))).toBe('same');
  });
  test('6.10 mapping failure at chunk k (CopyTo): chunks < k written; one pass never maps', () => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x400000, 0x30000, nt.PAGE_READWRITE);
    const a = 0x400123;
    r.setMappingFails(2);
    expect(CopyToClientBuffer(r, 3 * CHUNK, a, src)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    expect(same(r.peek(a, 2 * CHUNK), src.subarray(0, 2 * CHUNK))).toBe('same');
    expect(same(r.peek(a + 2 * CHUNK, CHUNK), pattern(a + 2 * CHUNK, CHUNK))).toBe('same');
    r.setMappingFails(true);
    expect(CopyToClientBuffer(r, 511, 0x400000, src)).toBe(nt.STATUS_SUCCESS);
    expect(CopyToClientBuffer(r, 512, 0x400000, src)).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    r.setMappingFails(false);
    expect(CopyToClientBuffer(r, 3 * CHUNK, a, src)).toBe(nt.STATUS_SUCCESS);
    expect(same(r.peek(a, 3 * CHUNK), src.subarray(0, 3 * CHUNK))).toBe('same');
    expect(same(r.peek(a + 3 * CHUNK, 16), pattern(a + 3 * CHUNK, 16))).toBe('same');
    expect(r.peek(0x400000, 0x123)).toEqual(src.subarray(0, 0x123)); // the 511-byte write above, then pattern
  });
});

describe('AllocateClientBuffer / FreeClientBuffer (SEMANTICS 3.4, 6.9)', () => {
  test('Allocate: L0 bug check; LengthRequired 0 -> INVALID_PARAMETER_4 before L3/L4', () => {
    const r = vecClient();
    expect0xEF(() => AllocateClientBuffer(null as unknown as nt.PLSA_CLIENT_REQUEST, 0));
    r.closeHandle();
    r.terminate();
    expect(AllocateClientBuffer(r, 0)).toEqual({ status: nt.STATUS_INVALID_PARAMETER_4, ClientBaseAddress: null });
    expect(AllocateClientBuffer(r, 1)).toEqual({ status: nt.STATUS_INVALID_HANDLE, ClientBaseAddress: null });
  });
  test('Allocate: operation right (ACCESS_DENIED) then L4', () => {
    const r = vecClient();
    r.setAccess({ operation: false });
    expect(AllocateClientBuffer(r, 1)).toEqual({ status: nt.STATUS_ACCESS_DENIED, ClientBaseAddress: null });
    r.setAccess({ operation: true, read: false, write: false });
    r.terminate();
    expect(AllocateClientBuffer(r, 1)).toEqual({ status: nt.STATUS_PROCESS_IS_TERMINATING, ClientBaseAddress: null });
  });
  test('Allocate: lowest free 64 KiB-aligned base from 0x10000, page-rounded, committed READWRITE, zero-filled', () => {
    const r = vecClient();
    const a = AllocateClientBuffer(r, 1);
    expect(a).toEqual({ status: nt.STATUS_SUCCESS, ClientBaseAddress: 0x20000n }); // R1 holds 0x10000
    const b = AllocateClientBuffer(r, 0x10001);
    expect(b.ClientBaseAddress).toBe(0x30000n); // 0x20000 uses one page of its 64 KiB
    const c = AllocateClientBuffer(r, 0xc0000);
    expect(c.ClientBaseAddress).toBe(0x110000n); // 0x50000 + 0xC0000 would reach R2
    expect(r.peek(0x30000, 0x11000).every((x) => x === 0)).toBe(true);
    expect(() => r.peek(0x41000, 1)).toThrow(RangeError); // page-rounded: 17 pages
    expect(CopyToClientBuffer(r, 0x1000, 0x20000, Buffer.alloc(0x1000, 1))).toBe(nt.STATUS_SUCCESS);
    expect(CopyToClientBuffer(r, 1, 0x21000, Buffer.alloc(1))).toBe(nt.STATUS_ACCESS_VIOLATION);
    const loc = new Local(0x1000);
    expect(CopyFromClientBuffer(r, 0x1000, loc.view, 0x20000)).toBe(nt.STATUS_SUCCESS);
    expect(loc.is(Buffer.alloc(0x1000, 1))).toBe(true);
  });
  test('Allocate: STATUS_NO_MEMORY when there is no room below HighestUserAddress', () => {
    const r = nt.Sim.createClientRequest({ HighestUserAddress: 0x3ffffn });
    expect(AllocateClientBuffer(r, 0x30001)).toEqual({ status: nt.STATUS_NO_MEMORY, ClientBaseAddress: null });
    expect(AllocateClientBuffer(r, 0x30000)).toEqual({ status: 0, ClientBaseAddress: 0x10000n });
    expect(AllocateClientBuffer(r, 1).status).toBe(0xc0000017);
  });
  test('Free: L0 even for NULL; NULL -> SUCCESS before L3/L4; then the operation right, L4', () => {
    const r = vecClient();
    expect0xEF(() => FreeClientBuffer(null as unknown as nt.PLSA_CLIENT_REQUEST, null));
    r.closeHandle();
    r.terminate();
    expect(FreeClientBuffer(r, null)).toBe(nt.STATUS_SUCCESS);
    expect(FreeClientBuffer(r, 0)).toBe(nt.STATUS_SUCCESS);
    expect(FreeClientBuffer(r, 0x10000)).toBe(nt.STATUS_INVALID_HANDLE);
    const r2 = vecClient();
    r2.setAccess({ operation: false });
    expect(FreeClientBuffer(r2, 0x10000)).toBe(nt.STATUS_ACCESS_DENIED);
    r2.setAccess({ operation: true });
    r2.terminate();
    expect(FreeClientBuffer(r2, 0x10000)).toBe(nt.STATUS_PROCESS_IS_TERMINATING);
    expect(same(r2.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
  });
  test('S7.1 Free: in no allocation -> MEMORY_NOT_ALLOCATED (0xC00000A0); in a later page of one -> FREE_VM_NOT_AT_BASE (0xC000009F); releases the whole allocation', () => {
    const r = vecClient();
    expect(FreeClientBuffer(r, 0x5000)).toBe(0xc00000a0);
    expect(FreeClientBuffer(r, 0x12000)).toBe(0xc00000a0);
    expect(FreeClientBuffer(r, 0xffff800000000000n)).toBe(0xc00000a0);
    expect(FreeClientBuffer(r, 0x11000)).toBe(0xc000009f);
    expect(FreeClientBuffer(r, 0x11001)).toBe(0xc000009f);
    expect(FreeClientBuffer(r, 0x11fff)).toBe(0xc000009f);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
    r.protect(0x100000, 0x1000, nt.PAGE_NOACCESS);
    r.protect(0x108000, 0x1000, nt.PAGE_READONLY);
    expect(FreeClientBuffer(r, 0x100000n)).toBe(nt.STATUS_SUCCESS);
    expect(() => r.peek(0x10f000, 1)).toThrow(RangeError);
    expect(FreeClientBuffer(r, 0x100000)).toBe(nt.STATUS_MEMORY_NOT_ALLOCATED);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
    expect(same(r.peek(0x200000, 0x1000), pattern(0x200000, 0x1000))).toBe('same');
    const { ClientBaseAddress } = AllocateClientBuffer(r, 16);
    expect(CopyToClientBuffer(r, 16, ClientBaseAddress, Buffer.alloc(16, 7))).toBe(0);
    expect(FreeClientBuffer(r, ClientBaseAddress)).toBe(0);
    const again = AllocateClientBuffer(r, 16);
    expect(again.ClientBaseAddress).toBe(ClientBaseAddress); // reused, and zero-filled again
    expect(r.peek(again.ClientBaseAddress!, 16).every((x) => x === 0)).toBe(true);
  });
});

describe('S7.1 FreeClientBuffer rounds the address down to its page (NtFreeVirtualMemory)', () => {
  test.each([1, 0x10, 0x800, 0xfff])('S7.1 Free: base + %d (in the first page) frees the whole allocation, as the base does', (delta) => {
    const r = vecClient();
    // R2 = [0x100000, 0x110000): 16 pages. Later pages (at the same in-page offset) are refused, nothing freed.
    for (let pg = 1; pg < 16; pg++) expect(FreeClientBuffer(r, 0x100000 + pg * 0x1000 + delta)).toBe(nt.STATUS_FREE_VM_NOT_AT_BASE);
    expect(same(r.peek(0x100000, 0x10000), pattern(0x100000, 0x10000))).toBe('same');
    expect(FreeClientBuffer(r, BigInt(0x100000 + delta))).toBe(nt.STATUS_SUCCESS);
    expect(() => r.peek(0x100000, 1)).toThrow(RangeError);
    expect(() => r.peek(0x10ffff, 1)).toThrow(RangeError);
    expect(FreeClientBuffer(r, 0x100000 + delta)).toBe(nt.STATUS_MEMORY_NOT_ALLOCATED);
    // an AllocateClientBuffer region the same way; the neighbours are untouched
    const { ClientBaseAddress: a } = AllocateClientBuffer(r, 0x1800);
    expect(FreeClientBuffer(r, a! + 0x1000n + BigInt(delta))).toBe(nt.STATUS_FREE_VM_NOT_AT_BASE);
    expect(FreeClientBuffer(r, a! + BigInt(delta))).toBe(nt.STATUS_SUCCESS);
    expect(() => r.peek(a!, 1)).toThrow(RangeError);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
    expect(same(r.peek(0x200000, 0x1000), pattern(0x200000, 0x1000))).toBe('same');
    expect(same(r.peek(0x202000, 0x1000), pattern(0x202000, 0x1000))).toBe('same');
  });
  test('S7.1 Free: an address just past an allocation, or before it, is in none', () => {
    const r = vecClient();
    expect(FreeClientBuffer(r, 0x12000 + 1)).toBe(nt.STATUS_MEMORY_NOT_ALLOCATED);
    expect(FreeClientBuffer(r, 0xffff)).toBe(nt.STATUS_MEMORY_NOT_ALLOCATED);
    expect(FreeClientBuffer(r, 0xfff)).toBe(nt.STATUS_MEMORY_NOT_ALLOCATED); // page 0: nothing there (not the NULL shortcut)
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
  });
});

describe('host-side controls (API.md section 5)', () => {
  test('map: page-aligned base, size rounded up, data copied in, rest zero; overlap -> RangeError', () => {
    const r = nt.Sim.createClientRequest();
    const data = Buffer.from('abc');
    r.map(0x10000, data, nt.PAGE_READONLY);
    data[0] = 0x7a; // copied in: later changes do not reach the client
    expect(same(r.peek(0x10000, 0x1000), Buffer.concat([Buffer.from('abc'), Buffer.alloc(0x1000 - 3)]))).toBe('same');
    r.map(0x20000, 0x1001, nt.PAGE_READWRITE);
    expect(r.peek(0x21fff, 1)[0]).toBe(0);
    expect(() => r.peek(0x22000, 1)).toThrow(RangeError);
    expect(() => r.map(0x10001, 1, nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0x21000, 1, nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0xf000, 0x2000, nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0, 0x100000, nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0x30000, 0, nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0x30000, new Uint8Array(0), nt.PAGE_READWRITE)).toThrow(RangeError);
    expect(() => r.map(0x7ffffffef000n, 0x1001, nt.PAGE_READWRITE)).toThrow(RangeError);
    r.map(0x7ffffffef000n, 0x1000, nt.PAGE_READWRITE);
    r.map(0x11000, 0x1000, nt.PAGE_READWRITE); // adjacent is fine
  });
  test('S7.2 map/protect: invalid protections -> RangeError', () => {
    const r = nt.Sim.createClientRequest();
    for (const p of [0, 0x3, 0x800 | 4, nt.PAGE_NOACCESS | nt.PAGE_GUARD, nt.PAGE_READWRITE | nt.PAGE_NOCACHE | nt.PAGE_WRITECOMBINE]) {
      expect(() => r.map(0x10000, 1, p)).toThrow(RangeError);
    }
    r.map(0x10000, 1, nt.PAGE_READWRITE);
    expect(() => r.protect(0x10000, 1, 0x3)).toThrow(RangeError);
    expect(() => r.protect(0x10000, 0x1001, nt.PAGE_READONLY)).toThrow(RangeError); // second page unmapped
    expect(() => r.protect(0x10000, 0, nt.PAGE_READONLY)).toThrow(RangeError);
  });
  // S7.2: VirtualAlloc / VirtualProtect accept one base value with at most one of GUARD / NOCACHE / WRITECOMBINE,
  // none with NOACCESS. Values spelled out (winnt.h) rather than taken from the exports.
  const BASES = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80];
  const MODSETS = [0, 0x100, 0x200, 0x400, 0x100 | 0x200, 0x100 | 0x400, 0x200 | 0x400, 0x100 | 0x200 | 0x400];
  const combos = BASES.flatMap((b) => MODSETS.map((m) => {
    const n = [0x100, 0x200, 0x400].filter((x) => m & x).length;
    return [`0x${(b | m).toString(16)}`, b | m, n === 0 || (n === 1 && b !== 0x01)] as [string, number, boolean];
  }));
  test.each(combos)('S7.2 map(Protect = %s): accepted = %s; a refused one maps nothing', (_h, p, ok) => {
    const r = nt.Sim.createClientRequest();
    if (ok) {
      r.map(0x10000, Buffer.from([1, 2, 3]), p);
      expect([...r.peek(0x10000, 3)]).toEqual([1, 2, 3]);
    } else {
      expect(() => r.map(0x10000, Buffer.from([1, 2, 3]), p)).toThrow(RangeError);
      expect(() => r.peek(0x10000, 1)).toThrow(RangeError); // no mapping was made
      r.map(0x10000, 0x1000, nt.PAGE_READWRITE); // and the range is still free
    }
  });
  test.each(combos)('S7.2 protect(Protect = %s): accepted = %s; a refused one changes nothing', (_h, p, ok) => {
    const r = nt.Sim.createClientRequest();
    mapPattern(r, 0x10000, 0x2000, nt.PAGE_READWRITE);
    const loc = new Local(16);
    if (!ok) {
      expect(() => r.protect(0x10000, 0x2000, p)).toThrow(RangeError);
      // still READWRITE: readable and writable
      expect(CopyFromClientBuffer(r, 16, loc.view, 0x10ff8)).toBe(nt.STATUS_SUCCESS);
      expect(loc.is(pattern(0x10ff8, 16))).toBe(true);
      expect(CopyToClientBuffer(r, 16, 0x10ff8, Buffer.alloc(16, 0x77))).toBe(nt.STATUS_SUCCESS);
      expect(same(r.peek(0x10ff8, 16), Buffer.alloc(16, 0x77))).toBe('same');
      return;
    }
    r.protect(0x10000, 0x2000, p);
    // the readable set of API.md 5 (GUARD removes it; NOCACHE / WRITECOMBINE change nothing)
    const readable = (p & 0x100) === 0 && [0x02, 0x04, 0x08, 0x20, 0x40, 0x80].includes(p & 0xff);
    expect(CopyFromClientBuffer(r, 16, loc.view, 0x10ff8)).toBe(readable ? nt.STATUS_SUCCESS : nt.STATUS_PARTIAL_COPY);
    expect(loc.is(readable ? pattern(0x10ff8, 16) : new Uint8Array(0))).toBe(true);
  });
  test('peek/poke bypass protections; unmapped bytes -> RangeError, nothing written', () => {
    const r = nt.Sim.createClientRequest();
    r.map(0x10000, 0x2000, nt.PAGE_NOACCESS);
    r.poke(0x10ffe, Buffer.from('WXYZ'));
    expect(r.peek(0x10ffe, 4).toString()).toBe('WXYZ');
    expect(() => r.poke(0x11fff, Buffer.from('AB'))).toThrow(RangeError);
    expect(r.peek(0x11fff, 1)[0]).toBe(0);
    expect(() => r.peek(0xffff, 2)).toThrow(RangeError);
    expect(same(r.peek(0x50000, 0), Buffer.alloc(0))).toBe('same');
    r.poke(0x10000, new Uint16Array([0x0201])); // any ArrayBufferView, byte-wise
    expect([...r.peek(0x10000, 2)]).toEqual([1, 2]);
  });
  test('unmap: base of a mapping only; contents gone', () => {
    const r = nt.Sim.createClientRequest();
    r.map(0x10000, Buffer.alloc(0x2000, 9), nt.PAGE_READWRITE);
    expect(() => r.unmap(0x11000)).toThrow(RangeError);
    expect(() => r.unmap(0x30000)).toThrow(RangeError);
    r.unmap(0x10000);
    expect(() => r.peek(0x10000, 1)).toThrow(RangeError);
    r.map(0x10000, 0x1000, nt.PAGE_READWRITE);
    expect(r.peek(0x10000, 16).every((x) => x === 0)).toBe(true);
  });
  test('complete() keeps host controls working; setMappingFails / setAccess validate their input', () => {
    const r = nt.Sim.createClientRequest();
    r.complete();
    r.map(0x10000, 1, nt.PAGE_READWRITE);
    r.protect(0x10000, 1, nt.PAGE_READONLY);
    r.closeHandle();
    r.terminate();
    r.setAccess({ read: false });
    r.setMappingFails(true);
    r.unmap(0x10000);
    expect(() => r.setMappingFails(-1)).toThrow(RangeError);
    expect(() => r.setMappingFails(1.5)).toThrow(RangeError);
    expect(() => r.setMappingFails('1' as unknown as number)).toThrow(TypeError);
    expect(() => r.setAccess({ read: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => r.setAccess(null as unknown as { read: boolean })).toThrow(TypeError);
    expect0xEF(() => CopyFromClientBuffer(r, 0, null, 0));
  });
  test('createClientRequest options: HighestUserAddress must end a page', () => {
    expect(() => nt.Sim.createClientRequest({ HighestUserAddress: 0x7fff0000n })).toThrow(RangeError);
    expect(() => nt.Sim.createClientRequest({ HighestUserAddress: -1n })).toThrow(RangeError);
    expect(() => nt.Sim.createClientRequest({ HighestUserAddress: 1n << 64n })).toThrow(RangeError);
    expect(() => nt.Sim.createClientRequest({ HighestUserAddress: 'x' as unknown as bigint })).toThrow(TypeError);
    expect(() => nt.Sim.createClientRequest(5 as unknown as object)).toThrow(TypeError);
    const r = nt.Sim.createClientRequest(null);
    expect(CopyFromClientBuffer(r, 1, null, 0x00007ffffffeffffn)).toBe(nt.STATUS_ACCESS_VIOLATION); // default H
  });
  test('a host control applied to another object -> TypeError', () => {
    const r = nt.Sim.createClientRequest();
    const mem = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
    expect(() => r.map.call(mem as unknown as nt.PLSA_CLIENT_REQUEST, 0x10000, 1, 4)).toThrow(TypeError);
    expect(() => r.peek.call({} as nt.PLSA_CLIENT_REQUEST, 0x10000, 1)).toThrow(TypeError);
    nt.WdfObjectDelete(mem);
  });
});

describe('JS argument errors (API.md 0, 7 v1.2): thrown before anything happens', () => {
  const badUlong: [unknown, string][] = [[NaN, 'NaN'], [1.5, '1.5'], [-1, '-1'], ['1', "'1'"], [2 ** 32, '2^32'],
    [2n ** 32n, '2n^32'], [-1n, '-1n'], [{}, '{}'], [true, 'true']];
  const badAddr: [unknown, string][] = [[NaN, 'NaN'], [1.5, '1.5'], [-1, '-1'], ['1', "'1'"], [2 ** 64, '2^64'],
    [2 ** 53, '2^53 (unsafe)'], [2n ** 64n, '2n^64'], [-1n, '-1n'], [{}, '{}']];
  const badView: [unknown, string][] = [['abc', 'string'], [{}, '{}'], [5, 'number'], [[1, 2], 'array'], [new ArrayBuffer(8), 'ArrayBuffer']];
  const badHandle: [unknown, string][] = [[5, 'number'], ['x', 'string'], [{}, '{}']];

  function fresh(): { r: nt.PLSA_CLIENT_REQUEST; loc: Local } {
    const r = vecClient();
    return { r, loc: new Local(64) };
  }
  function isArgError(fn: () => unknown): boolean {
    try { fn(); } catch (e) { return e instanceof TypeError || e instanceof RangeError; }
    return false;
  }
  type Row = [string, (r: nt.PLSA_CLIENT_REQUEST, loc: Local, bad: unknown) => unknown, [unknown, string][]];
  const rows: Row[] = [
    ['CopyFromClientBuffer ClientRequest', (_r, l, b) => CopyFromClientBuffer(b as never, 16, l.view, 0x10000), badHandle],
    ['CopyFromClientBuffer Length', (r, l, b) => CopyFromClientBuffer(r, b as never, l.view, 0x10000), badUlong],
    ['CopyFromClientBuffer BufferToCopy', (r, _l, b) => CopyFromClientBuffer(r, 16, b as never, 0x10000), badView],
    ['CopyFromClientBuffer ClientBaseAddress', (r, l, b) => CopyFromClientBuffer(r, 16, l.view, b as never), badAddr],
    ['CopyToClientBuffer ClientRequest', (_r, l, b) => CopyToClientBuffer(b as never, 16, 0x10000, l.view), badHandle],
    ['CopyToClientBuffer Length', (r, l, b) => CopyToClientBuffer(r, b as never, 0x10000, l.view), badUlong],
    ['CopyToClientBuffer ClientBaseAddress', (r, l, b) => CopyToClientBuffer(r, 16, b as never, l.view), badAddr],
    ['CopyToClientBuffer BufferToCopy', (r, _l, b) => CopyToClientBuffer(r, 16, 0x10000, b as never), badView],
    ['AllocateClientBuffer ClientRequest', (_r, _l, b) => AllocateClientBuffer(b as never, 16), badHandle],
    ['AllocateClientBuffer LengthRequired', (r, _l, b) => AllocateClientBuffer(r, b as never), badUlong],
    ['FreeClientBuffer ClientRequest', (_r, _l, b) => FreeClientBuffer(b as never, 0x10000), badHandle],
    ['FreeClientBuffer ClientBaseAddress', (r, _l, b) => FreeClientBuffer(r, b as never), badAddr],
    ['map BaseAddress', (r, _l, b) => r.map(b as never, 0x1000, 4), badAddr],
    ['map SizeOrData', (r, _l, b) => r.map(0x300000, b as never, 4), [...badAddr.filter(([v]) => typeof v !== 'object'), ['x', 'string']]],
    ['map Protect', (r, _l, b) => r.map(0x300000, 0x1000, b as never), badUlong],
    ['protect BaseAddress', (r, _l, b) => r.protect(b as never, 1, 2), badAddr],
    ['protect Size', (r, _l, b) => r.protect(0x10000, b as never, 2), badAddr],
    ['protect Protect', (r, _l, b) => r.protect(0x10000, 1, b as never), badUlong],
    ['unmap BaseAddress', (r, _l, b) => r.unmap(b as never), badAddr],
    ['peek Address', (r, _l, b) => r.peek(b as never, 1), badAddr],
    ['peek Length', (r, _l, b) => r.peek(0x10000, b as never), badAddr],
    ['poke Address', (r, _l, b) => r.poke(b as never, Buffer.from([1])), badAddr],
    ['poke Data', (r, _l, b) => r.poke(0x10000, b as never), [...badView, [null, 'null']]],
  ];
  test.each(rows.map(([name, call, bads]) => [name, call, bads] as const))('%s', (_name, call, bads) => {
    for (const [bad, label] of bads) {
      const { r, loc } = fresh();
      expect([label, isArgError(() => call(r, loc, bad))]).toEqual([label, true]);
      // nothing happened: local buffer, client memory, allocations unchanged
      expect(loc.unchanged()).toBe(true);
      expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
      expect(() => r.peek(0x300000, 1)).toThrow(RangeError);
      expect(AllocateClientBuffer(r, 1).ClientBaseAddress).toBe(0x20000n);
    }
  });
  test('argument errors come before the NULL-request bug check (v1.2 order)', () => {
    expect(isArgError(() => CopyFromClientBuffer(null as never, NaN, null, 0))).toBe(true);
    expect(isArgError(() => FreeClientBuffer(null as never, -1))).toBe(true);
    expect(isArgError(() => AllocateClientBuffer(null as never, 2 ** 32))).toBe(true);
  });
  test('bigint and number spellings are equivalent (ULONG and addresses)', () => {
    const r = vecClient();
    const a = new Local(16), b = new Local(16);
    expect(CopyFromClientBuffer(r, 16n as unknown as number, a.view, 0x10000n)).toBe(0);
    expect(CopyFromClientBuffer(r, 16, b.view, 0x10000)).toBe(0);
    expect(a.whole).toEqual(b.whole);
    expect(CopyFromClientBuffer(r, 0xffffffff, null, (1n << 64n) - 1n)).toBe(nt.STATUS_ACCESS_VIOLATION);
  });
});

describe('memory safety (API.md 6)', () => {
  test('a detached local buffer has capacity 0', () => {
    const r = vecClient();
    const ab = new ArrayBuffer(64);
    const u = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    expect(u.byteLength).toBe(0);
    expect(CopyFromClientBuffer(r, 16, u, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyToClientBuffer(r, 16, 0x10000, u)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(CopyFromClientBuffer(r, 600, u, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyToClientBuffer(r, 600, 0x10000, u)).toBe(nt.STATUS_PARTIAL_COPY);
    expect(same(r.peek(0x10000, 0x2000), pattern(0x10000, 0x2000))).toBe('same');
  });
  test('a shrunk resizable ArrayBuffer is judged by its current length', () => {
    const r = vecClient();
    const ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(64, { maxByteLength: 128 });
    const u = new Uint8Array(ab).fill(0xee);
    ab.resize(8);
    expect(u.byteLength).toBe(8);
    expect(CopyFromClientBuffer(r, 16, u, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    expect(CopyFromClientBuffer(r, 8, u, 0x10000)).toBe(nt.STATUS_SUCCESS);
    expect(Buffer.from(u)).toEqual(pattern(0x10000, 8));
  });
  test('views into a shared ArrayBuffer: only the view\'s own bytes are touched (pooled Buffers, subarrays, typed arrays)', () => {
    const r = vecClient();
    const whole = Buffer.alloc(256, 0x5a);
    const mid = new Uint32Array(whole.buffer, whole.byteOffset + 64, 4); // 16 bytes
    expect(CopyFromClientBuffer(r, 16, mid, 0x10000)).toBe(0);
    expect(whole.subarray(64, 80)).toEqual(pattern(0x10000, 16));
    expect(whole.subarray(0, 64).every((x) => x === 0x5a) && whole.subarray(80).every((x) => x === 0x5a)).toBe(true);
    expect(CopyFromClientBuffer(r, 17, mid, 0x10000)).toBe(nt.STATUS_ACCESS_VIOLATION);
    const pooled = Buffer.from('pooled'); // shares the 8 KiB pool
    r.map(0x600000, pooled, nt.PAGE_READWRITE);
    expect(same(r.peek(0x600000, 0x1000), Buffer.concat([Buffer.from('pooled'), Buffer.alloc(0x1000 - 6)]))).toBe('same');
    const dv = new DataView(whole.buffer, whole.byteOffset + 100, 4);
    expect(CopyToClientBuffer(r, 4, 0x10000, dv)).toBe(0);
    expect(same(r.peek(0x10000, 4), Buffer.alloc(4, 0x5a))).toBe('same');
  });
  test('map/poke data from a buffer detached afterwards stays in the client (copied in)', () => {
    const r = nt.Sim.createClientRequest();
    const ab = new ArrayBuffer(32);
    const v = new Uint8Array(ab).fill(3);
    r.map(0x10000, v, nt.PAGE_READWRITE);
    structuredClone(ab, { transfer: [ab] });
    expect(v.byteLength).toBe(0);
    expect(same(r.peek(0x10000, 32), Buffer.alloc(32, 3))).toBe('same');
    r.poke(0x10000, v); // 0 bytes now: nothing written
    expect(same(r.peek(0x10000, 32), Buffer.alloc(32, 3))).toBe('same');
    expect(() => r.map(0x20000, v, nt.PAGE_READWRITE)).toThrow(RangeError); // size 0
  });
  test('dropped client requests are freed', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('v8').setFlagsFromString('--expose_gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gc = require('vm').runInNewContext('gc') as () => void;
    const live0 = require('../lib/native').native.liveObjects() as number;
    (() => { for (let i = 0; i < 50; i++) nt.Sim.createClientRequest().map(0x10000, 0x10000, nt.PAGE_READWRITE); })();
    expect(require('../lib/native').native.liveObjects()).toBeGreaterThan(live0);
    for (let i = 0; i < 20; i++) {
      gc();
      await new Promise((res) => setTimeout(res, 10));
      if ((require('../lib/native').native.liveObjects() as number) <= live0) break;
    }
    expect(require('../lib/native').native.liveObjects()).toBeLessThanOrEqual(live0);
  });
});
