// fast-check property (API.md section 8): CopyBatch.run() is exactly the queued calls made one by one.
// Each case builds a world twice from one description (ArrayBuffers shared by every family, overlapping
// views, WDF memory objects incl. read-only request memory, MDL chains with cycles and mapping failures,
// NET_BUFFERs over them, an LSA client with a read-only page and mapping failures), queues random ops of
// the five routines into a batch in world A, then changes both worlds alike between queueing and running
// (handles freed or deleted, buffers detached or shrunk, requests completed), runs the batch in A (twice:
// the queue stays) and makes the same calls one by one in B. Same statuses, BytesCopied, bytes everywhere,
// MdlFlags, client memory, and the same bug check (code, parameters) at the same op (opIndex).
import fc from 'fast-check';
import * as nt from '../lib';
import { ID } from '../lib/handle';
import { newResizable, ResizableArrayBuffer } from './helpers';

const AB_LEN = 48;
const BASE = 0x10000;

interface AbSpec { resizable: boolean; seed: number }
interface ViewSpec { ab: number; off: number; len: number }
interface MemSpec { kind: 'pre' | 'created' | 'readonly'; view: number }
interface MdlSpec { view: number; next: number; fails: boolean; nonpaged: boolean }
interface NbSpec { mdl: number; off: number; len: number }
interface OpSpec { k: number; h: number; h2: number; a: number; b: number; c: number; v: number; big: boolean }
interface EvSpec { t: 'detach' | 'shrink' | 'delete' | 'freeMdl' | 'freeNb' | 'complete' | 'next'; i: number; j: number }
interface Spec {
  abs: AbSpec[]; views: ViewSpec[]; mems: MemSpec[]; mdls: MdlSpec[]; nbs: NbSpec[];
  lsaFails: number; ops: OpSpec[]; events: EvSpec[]; cap: number;
}

const small = (max: number) => fc.integer({ min: 0, max });
const spec: fc.Arbitrary<Spec> = fc.record({
  abs: fc.array(fc.record({ resizable: fc.boolean(), seed: small(255) }), { minLength: 1, maxLength: 3 }),
  views: fc.array(fc.record({ ab: small(9), off: small(AB_LEN), len: small(24) }), { minLength: 1, maxLength: 6 }),
  mems: fc.array(fc.record({ kind: fc.constantFrom<MemSpec['kind']>('pre', 'pre', 'created', 'readonly'), view: small(9) }),
    { minLength: 0, maxLength: 4 }),
  mdls: fc.array(fc.record({ view: small(9), next: fc.integer({ min: -2, max: 8 }), fails: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
    nonpaged: fc.boolean() }), { minLength: 0, maxLength: 6 }),
  nbs: fc.array(fc.record({ mdl: small(9), off: small(20), len: small(40) }), { minLength: 0, maxLength: 3 }),
  lsaFails: fc.integer({ min: -1, max: 1 }),
  ops: fc.array(fc.record({
    k: small(4), h: fc.integer({ min: -1, max: 9 }), h2: fc.integer({ min: -1, max: 9 }),
    a: fc.oneof(small(40), fc.constant(0xffffffff)), b: fc.oneof(small(40), fc.constant(600)), c: small(40),
    v: fc.integer({ min: -1, max: 9 }), big: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  }), { minLength: 1, maxLength: 24 }),
  events: fc.array(fc.record({
    t: fc.constantFrom<EvSpec['t']>('detach', 'shrink', 'delete', 'freeMdl', 'freeNb', 'complete', 'next'), i: small(9), j: small(9),
  }), { maxLength: 3 }),
  cap: fc.integer({ min: 1, max: 5 }),
});

type Handle = nt.NtObject | null;

/** One world built from a spec: every buffer, view and handle, and a way to fingerprint all of it. */
function build(s: Spec) {
  const abs: (ArrayBuffer | ResizableArrayBuffer)[] = s.abs.map((a) => {
    const ab = a.resizable ? newResizable(AB_LEN, AB_LEN) : new ArrayBuffer(AB_LEN);
    new Uint8Array(ab).forEach((_, i, u) => { u[i] = (a.seed + i * 13) & 0xff; });
    return ab;
  });
  const views = s.views.map((v) => {
    const ab = abs[v.ab % abs.length];
    const off = Math.min(v.off, AB_LEN);
    return new Uint8Array(ab, off, Math.min(v.len, AB_LEN - off));
  });
  const view = (i: number) => views[i % views.length];
  const requests: nt.WDFREQUEST[] = [];
  const mems: Handle[] = s.mems.map((m) => {
    const v = view(m.view);
    if (m.kind === 'created') {
      const r = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 24);
      r.buffer!.forEach((_, i, b) => { b[i] = i; });
      return r.memory;
    }
    if (v.byteLength === 0) return null;
    if (m.kind === 'pre') return nt.WdfMemoryCreatePreallocated(null, v).memory;
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: v });
    requests.push(req);
    return nt.WdfRequestRetrieveInputMemory(req).memory;
  });
  const mdls: nt.PMDL[] = s.mdls.map((m) => (m.nonpaged ? nt.NdisAllocateMdl(null, view(m.view)) : nt.IoAllocateMdl(view(m.view)))!);
  s.mdls.forEach((m, i) => {
    if (m.next >= 0 && mdls.length) mdls[i].Next = mdls[m.next % mdls.length]; // cycles included
    else if (m.next === -2 && i + 1 < mdls.length) mdls[i].Next = mdls[i + 1];
    if (m.fails) nt.Sim.setMdlMappingFails(mdls[i], true);
  });
  const pool = nt.NdisAllocateNetBufferPool(null);
  const nbs: Handle[] = s.nbs.map((b) => {
    if (!mdls.length) return null;
    try {
      return nt.NdisAllocateNetBuffer(pool, mdls[b.mdl % mdls.length], b.off, b.len);
    } catch {
      return null; // a cycle of zero-length MDLs: 0x133 at allocation, in both worlds
    }
  });
  const staleNb = nt.NdisAllocateNetBuffer(pool, null, 0, 0)!;
  nt.NdisFreeNetBuffer(staleNb);
  nbs.push(staleNb);
  const client = nt.Sim.createClientRequest();
  const image = Buffer.alloc(0x2000);
  image.forEach((_, i) => { image[i] = (i * 7 + 1) & 0xff; });
  client.map(BASE, image, nt.PAGE_READWRITE);
  client.protect(BASE + 0x1000, 0x1000, nt.PAGE_READONLY);
  if (s.lsaFails >= 0) client.setMappingFails(s.lsaFails === 1 ? true : 0);
  const staleMem = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
  nt.WdfObjectDelete(staleMem);
  mems.push(staleMem, mdls[0] ?? null); // a deleted memory, a wrong-kind handle
  // ids -> names, so bug check parameters naming handles compare across the twins
  const names = new Map<bigint, string>();
  const all: Handle[] = [...mems, ...mdls, ...nbs, ...requests, client];
  all.forEach((h, k) => { if (h) names.set(BigInt((h as unknown as { [ID]: number })[ID]), `h${k}`); });
  const fingerprint = () => JSON.stringify({
    abs: abs.map((ab) => safe(() => [...new Uint8Array(ab)])),
    created: mems.map((m, k) => (m && s.mems[k]?.kind === 'created' ? safe(() => [...nt.WdfMemoryGetBuffer(m as nt.WDFMEMORY)]) : null)),
    flags: mdls.map((m) => safe(() => m.MdlFlags)),
    client: [...client.peek(BASE, 0x2000)],
  });
  return { s, abs, views, view, mems, mdls, nbs, client, requests, names, fingerprint };
}
type World = ReturnType<typeof build>;

function safe<T>(f: () => T): T | string {
  try { return f(); } catch (e) { return (e as Error).name; }
}

const pick = <T>(list: T[], i: number): T | null => (i < 0 || list.length === 0 ? null : list[i % list.length]);

/** The op's arguments in world w: [routine index, args...]. */
function argsOf(w: World, o: OpSpec): unknown[] {
  const v = o.v < 0 ? null : w.view(o.v);
  const size = (x: number) => (o.big ? BigInt(x) : x);
  switch (o.k) {
    case 0: return [pick(w.mems, o.h), size(o.a % 64), v, size(o.b)];
    case 1: return [pick(w.mems, o.h), size(o.a % 64), v, size(o.b)];
    case 2: return [pick(w.nbs, o.h), o.a, o.b, pick(w.nbs, o.h2), o.c];
    case 3: return [o.h === -1 ? null : w.client, o.b, v, o.a === 0xffffffff ? null : size(BASE + 0xff8 + o.a * 3)];
    default: return [o.h === -1 ? null : w.client, o.b, o.a === 0xffffffff ? null : size(BASE + 0xff8 + o.a * 3), v];
  }
}

/** Changes made between queueing and running, the same in both worlds. */
function apply(w: World, e: EvSpec): void {
  try {
    switch (e.t) {
      case 'detach': { const ab = w.abs[e.i % w.abs.length]; if (ab.byteLength) structuredClone(ab, { transfer: [ab] }); break; }
      case 'shrink': { const ab = w.abs[e.i % w.abs.length] as ResizableArrayBuffer; if (ab.resize && ab.byteLength) ab.resize(e.j * 4); break; }
      case 'delete': { const m = pick(w.mems, e.i); if (m) nt.WdfObjectDelete(m as nt.WDFMEMORY); break; }
      case 'freeMdl': { const m = pick(w.mdls, e.i); if (m) nt.IoFreeMdl(m); break; }
      case 'freeNb': { const b = pick(w.nbs, e.i); if (b) nt.NdisFreeNetBuffer(b as nt.PNET_BUFFER); break; }
      case 'complete': w.client.complete(); break;
      case 'next': { const m = pick(w.mdls, e.i); if (m) m.Next = pick(w.mdls, e.j); break; }
    }
  } catch {
    // a bug check or JS error here (e.g. freeing twice) is the same in both worlds and not under test
  }
}

interface Outcome { results: [number, number][]; fault: null | { code: number; params: string[]; op: number } }

function faultOf(w: World, e: unknown, op: number): Outcome['fault'] {
  if (!(e instanceof nt.BugCheckError)) throw e;
  return { code: e.bugCheckCode, params: e.parameters.map((p) => w.names.get(p) ?? p.toString()), op };
}

const ROUTINES = ['WdfMemoryCopyFromBuffer', 'WdfMemoryCopyToBuffer', 'NdisCopyFromNetBufferToNetBuffer',
  'CopyFromClientBuffer', 'CopyToClientBuffer'] as const;

function single(w: World, o: OpSpec, counter: Uint32Array): number {
  const a = argsOf(w, o) as never[];
  switch (o.k) {
    case 0: return (nt.WdfMemoryCopyFromBuffer as (...x: never[]) => number)(...a);
    case 1: return (nt.WdfMemoryCopyToBuffer as (...x: never[]) => number)(...a);
    case 2: return (nt.NdisCopyFromNetBufferToNetBuffer as (...x: unknown[]) => number)(...a, counter);
    case 3: return (nt.LsaFunctions.CopyFromClientBuffer as (...x: never[]) => number)(...a);
    default: return (nt.LsaFunctions.CopyToClientBuffer as (...x: never[]) => number)(...a);
  }
}

function oneByOne(w: World): Outcome {
  const results: [number, number][] = [];
  for (let i = 0; i < w.s.ops.length; i++) {
    const counter = new Uint32Array([0]);
    try {
      results.push([single(w, w.s.ops[i], counter), counter[0]]);
    } catch (e) {
      return { results, fault: faultOf(w, e, i) };
    }
  }
  return { results, fault: null };
}

function batched(w: World, batch: nt.CopyBatch): Outcome {
  try {
    const n = batch.run();
    return { results: Array.from({ length: n }, (_, i) => [batch.Status[i], batch.BytesCopied[i]]), fault: null };
  } catch (e) {
    const op = (e as { opIndex: number }).opIndex;
    return { results: Array.from({ length: op }, (_, i) => [batch.Status[i], batch.BytesCopied[i]]), fault: faultOf(w, e, op) };
  }
}

function queue(w: World, batch: nt.CopyBatch): void {
  for (const o of w.s.ops) {
    const a = argsOf(w, o);
    (batch[ROUTINES[o.k]] as (...x: unknown[]) => nt.CopyBatch)(...a);
  }
}

describe('CopyBatch.run() is the queued calls made one by one', () => {
  test('random batches over WDF, NDIS and LSA, with shared memory and changes between queueing and running', () => {
    fc.assert(fc.property(spec, (s) => {
      const A = build(s), B = build(s);
      expect(A.fingerprint()).toBe(B.fingerprint());
      const batch = new nt.CopyBatch(s.cap);
      queue(A, batch);
      expect(batch.length).toBe(s.ops.length);
      for (const e of s.events) { apply(A, e); apply(B, e); }
      for (let round = 0; round < 2; round++) {
        const got = batched(A, batch);
        const want = oneByOne(B);
        expect(got).toEqual(want);
        expect(A.fingerprint()).toBe(B.fingerprint());
      }
      batch.clear();
      expect(batch.length).toBe(0);
      expect(batch.run()).toBe(0);
    }), { numRuns: 300 });
  });

  test('aliasing ops: each op sees what the ops before it wrote, in one buffer', () => {
    const buf = Buffer.from('abcdefghijklmnop');
    const mem = nt.WdfMemoryCreatePreallocated(null, buf).memory!;
    const batch = new nt.CopyBatch(1)
      .WdfMemoryCopyFromBuffer(mem, 4, buf.subarray(0, 4), 4)   // efgh <- abcd
      .WdfMemoryCopyFromBuffer(mem, 8, buf.subarray(2, 10), 8)  // overlapping, reads op 0's bytes
      .WdfMemoryCopyToBuffer(mem, 0, buf.subarray(12), 4);
    const twin = Buffer.from('abcdefghijklmnop');
    const m2 = nt.WdfMemoryCreatePreallocated(null, twin).memory!;
    nt.WdfMemoryCopyFromBuffer(m2, 4, twin.subarray(0, 4), 4);
    nt.WdfMemoryCopyFromBuffer(m2, 8, twin.subarray(2, 10), 8);
    nt.WdfMemoryCopyToBuffer(m2, 0, twin.subarray(12), 4);
    expect(batch.run()).toBe(3);
    expect(buf.toString('latin1')).toBe(twin.toString('latin1'));
  });
});
