// fast-check properties: the LSA routines against the pure TS model (test/model/lsa.ts) over random
// maps, protections, lengths around 511/512 and multiples of 57344, addresses near the highest user
// address, small local capacities and mapping failures. Compared: every status, every local byte
// (with guards), the client's memory and its mapped pages.
import fc from 'fast-check';
import * as nt from '../lib';
import * as M from './model/lsa';

const { CopyFromClientBuffer, CopyToClientBuffer, AllocateClientBuffer, FreeClientBuffer } = nt.LsaFunctions;
const PAGE = 0x1000n;
const WINDOW_PAGES = 64;
const CHUNK = M.CHUNK;
const G = 16;

const HIGHS = [M.DEFAULT_HIGHEST, 0x7ffeffffn, (1n << 64n) - 1n];
const PROTS = [
  nt.PAGE_NOACCESS, nt.PAGE_READONLY, nt.PAGE_READWRITE, nt.PAGE_WRITECOPY, nt.PAGE_EXECUTE, nt.PAGE_EXECUTE_READ,
  nt.PAGE_EXECUTE_READWRITE, nt.PAGE_EXECUTE_WRITECOPY, nt.PAGE_READWRITE | nt.PAGE_GUARD,
  nt.PAGE_READONLY | nt.PAGE_NOCACHE, nt.PAGE_EXECUTE_READWRITE | nt.PAGE_WRITECOMBINE,
  nt.PAGE_READWRITE, nt.PAGE_READWRITE, nt.PAGE_READONLY, // readable/writable pages more often
  // S7.2: two modifiers, or one with NOACCESS: refused (RangeError) by map and protect
  nt.PAGE_READWRITE | nt.PAGE_GUARD | nt.PAGE_NOCACHE, nt.PAGE_EXECUTE_READ | nt.PAGE_GUARD | nt.PAGE_WRITECOMBINE,
  nt.PAGE_NOACCESS | nt.PAGE_WRITECOMBINE,
];
const LENGTHS = [0, 1, 2, 16, 510, 511, 512, 513, 4095, 4096, 4097, CHUNK - 1, CHUNK, CHUNK + 1,
  2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 3 * CHUNK];

const lengthArb = fc.oneof(
  { arbitrary: fc.constantFrom(...LENGTHS), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 600 }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 3 * CHUNK + 100 }), weight: 1 },
);
const capArb = fc.oneof(
  fc.constantFrom('len', 'len', 'len-1', 'len+7', 'chunk0', 'null'),
  fc.integer({ min: 0, max: 600 }),
);
const offArb = fc.oneof(
  { arbitrary: fc.integer({ min: -0x2000, max: WINDOW_PAGES * 0x1000 + 0x2000 }), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 48 }).map((p) => p * 0x1000), weight: 2 },
  { arbitrary: fc.constantFrom('null', 'kernel', 'top'), weight: 1 },
);
const mapFailsArb = fc.oneof(
  { arbitrary: fc.constant(false as boolean | number), weight: 5 },
  { arbitrary: fc.constant(true as boolean | number), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 2 },
);
const mapArb = fc.record({
  page: fc.integer({ min: 0, max: WINDOW_PAGES - 1 }),
  npages: fc.integer({ min: 1, max: 24 }),
  prot: fc.constantFrom(...PROTS),
  dataLen: fc.integer({ min: 0, max: 24 * 0x1000 }),
  seed: fc.integer({ min: 0, max: 255 }),
});
const protectArb = fc.record({
  off: fc.integer({ min: 0, max: WINDOW_PAGES * 0x1000 }),
  size: fc.integer({ min: 0, max: 0x8000 }),
  prot: fc.constantFrom(...PROTS, 0x3),
});
const opArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('from' as const), len: lengthArb, off: offArb, cap: capArb, mapFails: mapFailsArb }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('to' as const), len: lengthArb, off: offArb, cap: capArb, mapFails: mapFailsArb }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('alloc' as const), len: fc.oneof(fc.integer({ min: 0, max: 0x30000 }), fc.constantFrom(0, 1, 0x10000, 0x80001)) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('free' as const), off: offArb, which: fc.integer({ min: -1, max: 3 }),
    // S7.1: around an allocation's base: its first page, the next page, just before it
    delta: fc.constantFrom(0, 0, 1, 0x7ff, 0xfff, 0x1000, 0x1001, 0x1fff, -1) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('state' as const), what: fc.constantFrom('close', 'terminate', 'noread', 'nowrite', 'nooperation', 'complete') }), weight: 1 },
);
const scenarioArb = fc.record({
  high: fc.integer({ min: 0, max: HIGHS.length - 1 }),
  nearTop: fc.boolean(),
  maps: fc.array(mapArb, { maxLength: 6 }),
  protects: fc.array(protectArb, { maxLength: 3 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 6 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function data(len: number, seed: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seed + i * 31 + (i >> 12)) & 0xff;
  return b;
}
function hostResult(fn: () => void): string {
  try { fn(); return 'ok'; } catch (e) { return (e as Error).constructor.name; }
}
function implResult(fn: () => number): number | 'fault' {
  try { return fn(); } catch (e) {
    if (e instanceof nt.BugCheckError && e.bugCheckCode === 0xef && e.parameters[0] === 0n) return 'fault';
    throw e;
  }
}

function run(s: Scenario): void {
  const highest = HIGHS[s.high];
  // the window: low in the address space, or its last 64 pages below HighestUserAddress
  const win = s.nearTop ? highest + 1n - BigInt(WINDOW_PAGES) * PAGE : 0x400000n;
  const r = nt.Sim.createClientRequest({ HighestUserAddress: highest });
  const m = M.mCreate(highest);
  const addr = (off: number | string): bigint | null => {
    if (off === 'null') return null;
    if (off === 'kernel') return 0xffff800000000000n;
    if (off === 'top') return highest - 15n;
    const a = win + BigInt(off as number);
    return a < 0n || a >= 1n << 64n ? 0n : a;
  };
  for (const mp of s.maps) {
    const base = win + BigInt(mp.page) * PAGE;
    const d = mp.dataLen > 0 && mp.dataLen <= mp.npages * 0x1000 ? data(mp.dataLen, mp.seed) : null;
    const size = d ? BigInt(d.length) : BigInt(mp.npages) * PAGE; // map(base, data): size = byteLength
    const want = M.mMap(m, base, size, d, mp.prot);
    const got = hostResult(() => r.map(base, d ?? size, mp.prot));
    expect(got).toBe(want);
  }
  for (const p of s.protects) {
    const want = M.mProtect(m, win + BigInt(p.off), BigInt(p.size), p.prot);
    expect(hostResult(() => r.protect(win + BigInt(p.off), p.size, p.prot))).toBe(want);
  }
  const bases: bigint[] = [];
  for (const op of s.ops) {
    if (op.kind === 'from' || op.kind === 'to') {
      const cap = op.cap === 'null' ? -1 : op.cap === 'len' ? op.len : op.cap === 'len-1' ? Math.max(0, op.len - 1)
        : op.cap === 'len+7' ? op.len + 7 : op.cap === 'chunk0' ? Math.min(op.len, CHUNK) : op.cap;
      const a = addr(op.off);
      r.setMappingFails(op.mapFails);
      m.mapFails = op.mapFails;
      const whole = data(G + Math.max(cap, 0) + G, 0x77 + op.len);
      const mWhole = Buffer.from(whole);
      const view = cap < 0 ? null : whole.subarray(G, G + cap);
      const mView = cap < 0 ? null : new Uint8Array(mWhole.buffer, mWhole.byteOffset + G, cap);
      if (op.kind === 'from') {
        const want = M.mCopyFrom(m, op.len, mView, a ?? 0n);
        expect(implResult(() => CopyFromClientBuffer(r, op.len, view, a))).toBe(want);
      } else {
        const want = M.mCopyTo(m, op.len, a ?? 0n, mView);
        expect(implResult(() => CopyToClientBuffer(r, op.len, a, view))).toBe(want);
      }
      expect(whole.equals(mWhole)).toBe(true);
    } else if (op.kind === 'alloc') {
      const want = M.mAllocate(m, op.len);
      let got: { status: number | 'fault'; ClientBaseAddress: bigint | null };
      try { got = AllocateClientBuffer(r, op.len); } catch (e) {
        if (!(e instanceof nt.BugCheckError)) throw e;
        got = { status: 'fault', ClientBaseAddress: null };
      }
      expect(got).toEqual({ status: want.status, ClientBaseAddress: want.base });
      if (want.base !== null) bases.push(want.base);
    } else if (op.kind === 'free') {
      const a = op.which >= 0 && op.which < bases.length ? bases[op.which] + BigInt(op.delta) : addr(op.off);
      const want = M.mFree(m, a ?? 0n);
      expect(implResult(() => FreeClientBuffer(r, a))).toBe(want);
    } else {
      if (op.what === 'close') { r.closeHandle(); m.closed = true; }
      if (op.what === 'terminate') { r.terminate(); m.terminating = true; }
      if (op.what === 'noread') { r.setAccess({ read: false }); m.read = false; }
      if (op.what === 'nowrite') { r.setAccess({ write: false }); m.write = false; }
      if (op.what === 'nooperation') { r.setAccess({ operation: false }); m.operation = false; }
      if (op.what === 'complete') { r.complete(); m.completed = true; }
    }
  }
  // the client's memory and mapped pages agree: every model page, the window, every allocation made
  // (an extra page in the implementation can only come from a mapping or allocation compared above)
  const pages = new Set<bigint>(m.pages.keys());
  for (let i = -2; i < WINDOW_PAGES + 2; i++) pages.add(win / PAGE + BigInt(i));
  for (const b of bases) for (let i = 0n; i < 0x31n; i++) pages.add(b / PAGE + i);
  const bad: string[] = [];
  for (const p of pages) {
    if (p < 0n || p * PAGE > highest) continue;
    const want = M.mPeek(m, p * PAGE, 0x1000);
    let got: Buffer | string;
    try { got = r.peek(p * PAGE, 0x1000); } catch (e) { got = (e as Error).constructor.name; }
    const same = typeof got === 'string' || typeof want === 'string' ? got === want : got.equals(want);
    if (!same) bad.push(`page 0x${p.toString(16)}: ${typeof got === 'string' ? got : 'bytes'} vs ${typeof want === 'string' ? want : 'bytes'}`);
  }
  expect(bad).toEqual([]);
}

describe('LSA routines vs the reference model (fast-check)', () => {
  test('random maps, protections, lengths, addresses, capacities, mapping failures, allocations', () => {
    fc.assert(fc.property(scenarioArb, (s) => { run(s); }), { numRuns: 500 });
  });
  test('around the 511/512 threshold and chunk multiples in one fully readable-writable mapping', () => {
    const lens = fc.oneof(fc.integer({ min: 505, max: 520 }), fc.integer({ min: -3, max: 3 }).chain(
      (d) => fc.integer({ min: 1, max: 3 }).map((k) => k * CHUNK + d)));
    fc.assert(fc.property(lens, fc.integer({ min: 0, max: 0xfff }), fc.boolean(), mapFailsArb, capArb,
      (len, off, to, mapFails, capSpec) => {
        run({
          high: 0, nearTop: false,
          maps: [{ page: 0, npages: 48, prot: nt.PAGE_READWRITE, dataLen: 48 * 0x1000, seed: 5 }],
          protects: [],
          ops: [{ kind: to ? 'to' : 'from', len, off, cap: capSpec, mapFails }],
        });
      }), { numRuns: 300 });
  });
  test('addresses near the highest user address (L1 and the last pages)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: HIGHS.length - 1 }), fc.integer({ min: 0, max: 0x3000 }),
      fc.constantFrom(0, 1, 15, 16, 17, 511, 512, 0x1000, 0x2000), fc.boolean(),
      (high, back, len, to) => {
        const h = HIGHS[high];
        run({
          high, nearTop: true,
          maps: [{ page: WINDOW_PAGES - 3, npages: 3, prot: nt.PAGE_READWRITE, dataLen: 0x3000, seed: 9 }],
          protects: [],
          ops: [{ kind: to ? 'to' : 'from', len, off: WINDOW_PAGES * 0x1000 - back, cap: 'len', mapFails: false }],
        });
        expect(h & 0xfffn).toBe(0xfffn);
      }), { numRuns: 300 });
  });
});
