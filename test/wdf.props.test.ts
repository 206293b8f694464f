// Properties: the addon agrees with test/model/wdf.ts on status, bug check and every byte of the
// allocation (guards included) over random sizes, offsets, lengths, NULL and overlapping views; and on
// request retrieval (major, method, RequestorMode, buffer lengths) and WdfObjectDelete of requests and
// their memory.
import fc from 'fast-check';
import * as nt from '../lib';
import * as model from './model/wdf';
import { newResizable, ResizableArrayBuffer } from './helpers';

const PAD = 8;
const U64 = (1n << 64n) - 1n;

const size = fc.integer({ min: 1, max: 40 });
// Offsets and lengths: small, around the object size, and near 2^64; as number or bigint.
// Mostly small, so that about half the cases reach the copy itself.
const big = fc.oneof(
  { arbitrary: fc.bigInt({ min: 0n, max: 20n }), weight: 12 },
  { arbitrary: fc.bigInt({ min: 0n, max: 48n }), weight: 3 },
  { arbitrary: fc.bigInt({ min: U64 - 4n, max: U64 }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 0n, max: U64 }), weight: 1 },
);
const asArg = (v: bigint, asNumber: boolean): number | bigint => (asNumber && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

type Source = { kind: 'null' } | { kind: 'own'; len: number } | { kind: 'overlap'; start: number; len: number };
const source: fc.Arbitrary<Source> = fc.oneof(
  fc.constant({ kind: 'null' as const }),
  fc.record({ kind: fc.constant('own' as const), len: fc.integer({ min: 0, max: 48 }) }),
  fc.record({ kind: fc.constant('overlap' as const), start: fc.integer({ min: 0, max: 56 }), len: fc.integer({ min: 0, max: 56 }) }),
);

// A fixed-length view over a shrunk resizable buffer is out of bounds: it holds no bytes.
const bytesOf = (v: Uint8Array | null) => (v === null ? null : v.byteLength === 0 ? [] : Array.from(v));

function outcome(fn: () => number): model.Outcome {
  try {
    return { status: fn() };
  } catch (e) {
    if (!(e instanceof nt.BugCheckError)) throw e;
    return { bugCheck: e.bugCheckCode, p1: e.bugCheckCode === nt.WDF_VIOLATION ? e.parameters[0] : 0n, p2: e.bugCheckCode === nt.WDF_VIOLATION ? 0n : e.parameters[1] };
  }
}
const normalize = (o: model.Outcome) => ('status' in o ? o : { ...o, p2: o.bugCheck === nt.WDF_VIOLATION ? 0n : o.p2 });

const scenario = fc.record({
  size,
  off: big,
  n: big,
  offAsNumber: fc.boolean(),
  nAsNumber: fc.boolean(),
  src: source,
  readOnly: fc.boolean(),
  handle: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'null', 'bad') as fc.Arbitrary<'ok' | 'null' | 'bad'>,
  shrinkTo: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 4 }),
  seed: fc.integer(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function setup(s: Scenario) {
  const total = s.size + 2 * PAD;
  // Shrinkable backing when asked: a length-tracking view over a resizable ArrayBuffer.
  const ab: ArrayBuffer = s.shrinkTo !== null ? newResizable(total, total) : new ArrayBuffer(total);
  const all = new Uint8Array(ab);
  for (let i = 0; i < total; i++) all[i] = (s.seed * 31 + i * 7) & 0xff;
  const window = s.shrinkTo !== null ? new Uint8Array(ab, PAD) : all.subarray(PAD, PAD + s.size);
  let memory: nt.WDFMEMORY | null;
  let request: nt.WDFREQUEST | null = null;
  if (s.readOnly) {
    request = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: window });
    memory = nt.WdfRequestRetrieveInputMemory(request).memory;
    // the object size is the buffer length at retrieve time; a length-tracking view spans size + PAD
  } else {
    memory = nt.WdfMemoryCreatePreallocated(null, window, s.size).memory;
  }
  const objSize = s.readOnly ? window.byteLength : s.size;
  if (s.handle === 'bad') nt.WdfObjectDelete(request ?? memory!);
  let src: Uint8Array | null = null;
  if (s.src.kind === 'own') src = Uint8Array.from({ length: s.src.len }, (_, i) => (s.seed + 101 * i) & 0xff);
  if (s.src.kind === 'overlap') {
    const start = Math.min(s.src.start, total);
    src = all.subarray(start, Math.min(total, start + s.src.len));
  }
  if (s.shrinkTo !== null) (ab as ResizableArrayBuffer).resize(PAD + Math.min(s.shrinkTo, s.size));
  return { all, window, memory: s.handle === 'null' ? null : memory, objSize, src, ab };
}

describe('WDF copies agree with the model (fast-check)', () => {
  test('WdfMemoryCopyFromBuffer: status, bug check and every byte', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const env = setup(s);
        const before = Array.from(env.all);
        const srcBytes = bytesOf(env.src);
        const winStart = PAD;
        const m: model.ModelMemory = {
          bytes: before.slice(winStart, winStart + Math.min(env.objSize, env.all.length - winStart)),
          size: BigInt(env.objSize),
          readOnly: s.readOnly,
          handle: s.handle,
        };
        const expected = model.copyFromBuffer(m, s.off, srcBytes, s.n);
        const got = outcome(() => nt.WdfMemoryCopyFromBuffer(env.memory as never, asArg(s.off, s.offAsNumber), env.src, asArg(s.n, s.nAsNumber)));
        expect(normalize(got)).toEqual(normalize(expected));
        const want = before.slice();
        if ('status' in expected && expected.status === 0) want.splice(winStart, m.bytes.length, ...m.bytes);
        expect(Array.from(env.all)).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  test('WdfMemoryCopyToBuffer: status, bug check and every byte (source object never changes)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const env = setup(s);
        const before = Array.from(env.all);
        const winStart = PAD;
        const m: model.ModelMemory = {
          bytes: before.slice(winStart, winStart + Math.min(env.objSize, env.all.length - winStart)),
          size: BigInt(env.objSize),
          readOnly: s.readOnly,
          handle: s.handle,
        };
        // Destination: the generated source view reused as the caller's buffer (own or overlapping).
        const dstBytes = bytesOf(env.src);
        const expected = model.copyToBuffer(m, s.off, dstBytes, s.n);
        const got = outcome(() => nt.WdfMemoryCopyToBuffer(env.memory as never, asArg(s.off, s.offAsNumber), env.src, asArg(s.n, s.nAsNumber)));
        expect(normalize(got)).toEqual(normalize(expected));
        const want = before.slice();
        if ('status' in expected && expected.status === 0 && env.src && s.src.kind === 'overlap') {
          const start = env.src.byteOffset;
          for (let i = 0; i < Number(s.n); i++) want[start + i] = dstBytes![i];
        }
        expect(Array.from(env.all)).toEqual(want);
        if ('status' in expected && expected.status === 0 && s.src.kind === 'own') {
          expect(bytesOf(env.src)).toEqual(dstBytes);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('requests: retrieval, RequestorMode and WdfObjectDelete agree with the model (fast-check; 1.1, 6.2, S7.5, S7.6)', () => {
  const lenArb = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 12 }));
  const reqArb = fc.record({
    major: fc.constantFrom(0x03, 0x04, 0x0e, 0x0f),
    method: fc.integer({ min: 0, max: 3 }),
    mode: fc.constantFrom(0, 1, undefined),
    inLen: lenArb,
    outLen: lenArb,
  });
  const opArb = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('retrieve' as const), req: fc.nat(), output: fc.boolean() }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('deleteRequest' as const), req: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('deleteMemory' as const), mem: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('copy' as const), mem: fc.nat(), n: fc.integer({ min: 1, max: 14 }), seed: fc.nat(255) }), weight: 3 },
  );

  type Got = { status: number; memory: number | null } | { bugCheck: number; p1: bigint; p3: bigint };
  function caught(e: unknown): Got {
    if (!(e instanceof nt.BugCheckError)) throw e;
    return { bugCheck: e.bugCheckCode, p1: e.parameters[0], p3: e.parameters[2] };
  }

  test('S7.5 / S7.6: statuses, read-only bits, handle identity, stale handles and every buffer byte', () => {
    fc.assert(
      fc.property(fc.array(reqArb, { minLength: 1, maxLength: 4 }), fc.array(opArb, { maxLength: 24 }), (reqs, ops) => {
        const w: model.MWorld = { requests: [], memories: [] };
        const handles: nt.WDFMEMORY[] = [];
        // every buffer inside PAD guard bytes; the model keeps its own copy of all of them
        const all: Uint8Array[] = [];
        const mAll: number[][] = [];
        const requests = reqs.map((q, i) => {
          const view = (len: number | null, seed: number): [Uint8Array | null, number] => {
            if (len === null) return [null, -1];
            const a = Uint8Array.from({ length: len + 2 * PAD }, (_, k) => (seed * 37 + k * 11) & 0xff);
            all.push(a);
            mAll.push(Array.from(a));
            return [a.subarray(PAD, PAD + len), all.length - 1];
          };
          const [inView, inIndex] = view(q.inLen, 2 * i);
          const [outView, outIndex] = view(q.outLen, 2 * i + 1);
          w.requests.push({ major: q.major, ioctl: 0x220000 | q.method, mode: q.mode ?? model.USER_MODE, inLen: q.inLen, outLen: q.outLen,
            alive: true, memIn: null, memOut: null });
          const req = nt.Sim.createRequest({ MajorFunction: q.major, IoControlCode: 0x220000 | q.method, InputBuffer: inView, OutputBuffer: outView,
            ...(q.mode === undefined ? {} : { RequestorMode: q.mode }) });
          return { req, bufIndex: { in: inIndex, out: outIndex } };
        });
        for (const o of ops) {
          if (o.op === 'retrieve') {
            const i = o.req % requests.length;
            const want = model.retrieve(w, i, o.output);
            let got: Got;
            try {
              const r = o.output ? nt.WdfRequestRetrieveOutputMemory(requests[i].req) : nt.WdfRequestRetrieveInputMemory(requests[i].req);
              let idx: number | null = null;
              if (r.memory) {
                idx = handles.indexOf(r.memory);
                if (idx < 0) { handles.push(r.memory); idx = handles.length - 1; }
              }
              got = { status: r.status, memory: idx };
            } catch (e) { got = caught(e); }
            expect(got).toEqual(want);
          } else if (o.op === 'deleteRequest' || o.op === 'deleteMemory') {
            if (o.op === 'deleteMemory' && handles.length === 0) continue;
            const target: { request: number } | { memory: number } = o.op === 'deleteRequest' ? { request: o.req % requests.length } : { memory: o.mem % handles.length };
            const want = model.deleteObject(w, target);
            let got: Got | null = null;
            try {
              expect(nt.WdfObjectDelete('request' in target ? requests[target.request].req : handles[target.memory])).toBeUndefined();
            } catch (e) { got = caught(e); }
            expect(got).toEqual(want);
          } else {
            if (handles.length === 0) continue;
            const k = o.mem % handles.length;
            const mm = w.memories[k];
            const bi = requests[mm.request].bufIndex[mm.output ? 'out' : 'in'];
            const src = Uint8Array.from({ length: o.n }, (_, j) => (o.seed + j * 5) & 0xff);
            const m: model.ModelMemory = { bytes: mAll[bi].slice(PAD, PAD + mm.size), size: BigInt(mm.size), readOnly: mm.readOnly, handle: mm.alive ? 'ok' : 'bad' };
            const expected = model.copyFromBuffer(m, 0n, Array.from(src), BigInt(o.n));
            const got = outcome(() => nt.WdfMemoryCopyFromBuffer(handles[k], 0, src, o.n));
            expect(normalize(got)).toEqual(normalize(expected));
            if ('status' in expected && expected.status === 0) mAll[bi].splice(PAD, mm.size, ...m.bytes);
          }
          all.forEach((a, j) => expect(Array.from(a)).toEqual(mAll[j]));
        }
      }),
      { numRuns: 300 },
    );
  });
});
