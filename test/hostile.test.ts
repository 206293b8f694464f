// Hostile JS input (issue: hardening), one table over every exported routine, every Sim and
// LsaFunctions member, the client-request host controls and the writable handle fields. Each call
// gets TypeError / RangeError / the API.md BugCheckError (or, for views that are legal but odd,
// whatever the routine returns), and nothing outside the views involved changes.
import * as nt from '../lib';
import { native } from '../lib/native';
import { ID } from '../lib/handle';
import { createHash } from 'crypto';
import { newResizable } from './helpers';

type Kind =
  | 'size' | 'ulong' | 'ulong?' | 'addr' | 'addr|size'
  | 'h:wdfmem' | 'h:wdfpre' | 'h:wdfreq' | 'h:wdf' | 'h:mdl' | 'h:mdl?' | 'h:nb' | 'h:nb?' | 'h:nbl' | 'h:nbl?'
  | 'h:nbpool' | 'h:nblpool' | 'h:lsa' | 'h:ndis?'
  | 'view' | 'view?' | 'counter' | 'opts' | 'opts?' | 'bool?' | 'fn?' | 'fails' | 'mode' | 'capacity?' | '-';

/** A fresh world: one of every object, buffers with known bytes, and a fingerprint of all of it. */
function world() {
  const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff));
  const memBuf = bytes(32, 1), preBuf = bytes(16, 2), reqOut = bytes(16, 3), caller = bytes(32, 4);
  const mem = nt.WdfMemoryCreatePreallocated(null, memBuf).memory!;
  const created = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 16);
  const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: reqOut });
  const seg1 = bytes(8, 5), seg2 = bytes(8, 6), dseg = bytes(16, 7), storage = bytes(16, 8);
  const m1 = nt.IoAllocateMdl(seg1)!, m2 = nt.NdisAllocateMdl(null, seg2)!, dm = nt.NdisAllocateMdl(null, dseg)!;
  m1.Next = m2;
  const nbpool = nt.NdisAllocateNetBufferPool(null), nblpool = nt.NdisAllocateNetBufferListPool(null);
  const nb = nt.NdisAllocateNetBuffer(nbpool, m1, 0, 16)!, dnb = nt.NdisAllocateNetBuffer(nbpool, dm, 0, 16)!;
  const nbl = nt.NdisAllocateNetBufferList(nblpool, 0, 0)!;
  const counter = new Uint32Array([99]);
  const client = nt.Sim.createClientRequest();
  client.map(0x10000, bytes(0x2000, 9), nt.PAGE_READWRITE);
  const local = bytes(64, 10);
  const buffers = [memBuf, preBuf, reqOut, caller, created.buffer!, seg1, seg2, dseg, storage, counter, local];
  const fingerprint = () => digest([buffers.map((b) => (b.byteLength ? [...new Uint8Array(b.buffer, b.byteOffset, b.byteLength)] : [])),
    client.peek(0x10000, 0x2000).toString('hex'), native.liveObjects(),
    [m1.ByteCount, m1.MdlFlags, m2.MdlFlags, dm.MdlFlags, nb.DataLength, nb.DataOffset, nb.CurrentMdlOffset]]);
  const digest = (v: unknown) => `${native.liveObjects()} objects, bytes ${createHash('sha1').update(JSON.stringify(v)).digest('hex')}`;
  const pre = nt.WdfMemoryCreatePreallocated(null, preBuf).memory!;
  return { mem, pre, created: created.memory!, req, m1, m2, dm, nbpool, nblpool, nb, dnb, nbl, counter, client, local,
    caller, storage, fingerprint };
}
type W = ReturnType<typeof world>;

interface Row { name: string; family: 'wdf' | 'ndis' | 'lsa' | 'none'; kinds: Kind[]; args: (w: W) => unknown[]; call: (w: W, a: unknown[]) => unknown }
const fn = (f: (...a: never[]) => unknown) => (_w: W, a: unknown[]) => (f as (...x: unknown[]) => unknown)(...a);

type Queue = 'WdfMemoryCopyFromBuffer' | 'WdfMemoryCopyToBuffer' | 'NdisCopyFromNetBufferToNetBuffer' | 'CopyFromClientBuffer' | 'CopyToClientBuffer';
/** Queues one op into a new batch and runs it; a JS argument error must leave the batch empty. */
const batched = (method: Queue) => (_w: W, a: unknown[]) => {
  const b = new nt.CopyBatch(1);
  try {
    (b[method] as (...x: unknown[]) => unknown)(...a);
  } catch (e) {
    if (b.length !== 0) throw new Error(`${method}: an op was queued although its arguments were rejected`);
    throw e;
  }
  return b.run();
};

const rows: Row[] = [
  // WDF (API.md 3)
  { name: 'WdfMemoryCreate', family: 'wdf', kinds: ['opts?', 'ulong', 'ulong', 'size'], args: () => [null, 0, 0, 8], call: fn(nt.WdfMemoryCreate) },
  { name: 'WdfMemoryCreatePreallocated', family: 'wdf', kinds: ['opts?', 'view?', 'size'], args: (w) => [null, w.caller, 8], call: fn(nt.WdfMemoryCreatePreallocated) },
  { name: 'WdfMemoryAssignBuffer', family: 'wdf', kinds: ['h:wdfpre', 'view?', 'size'], args: (w) => [w.pre, w.caller, 8], call: fn(nt.WdfMemoryAssignBuffer) },
  { name: 'WdfMemoryGetBuffer', family: 'wdf', kinds: ['h:wdfmem'], args: (w) => [w.mem], call: fn(nt.WdfMemoryGetBuffer) },
  { name: 'WdfMemoryCopyFromBuffer', family: 'wdf', kinds: ['h:wdfmem', 'size', 'view?', 'size'], args: (w) => [w.mem, 1, w.caller, 8], call: fn(nt.WdfMemoryCopyFromBuffer) },
  { name: 'WdfMemoryCopyToBuffer', family: 'wdf', kinds: ['h:wdfmem', 'size', 'view?', 'size'], args: (w) => [w.mem, 1, w.caller, 8], call: fn(nt.WdfMemoryCopyToBuffer) },
  { name: 'WdfObjectDelete', family: 'wdf', kinds: ['h:wdf'], args: (w) => [w.created], call: fn(nt.WdfObjectDelete) },
  { name: 'WdfRequestRetrieveInputMemory', family: 'wdf', kinds: ['h:wdfreq'], args: (w) => [w.req], call: fn(nt.WdfRequestRetrieveInputMemory) },
  { name: 'WdfRequestRetrieveOutputMemory', family: 'wdf', kinds: ['h:wdfreq'], args: (w) => [w.req], call: fn(nt.WdfRequestRetrieveOutputMemory) },
  { name: 'CTL_CODE', family: 'none', kinds: ['ulong', 'ulong', 'ulong', 'ulong'], args: () => [0x22, 1, 0, 0], call: fn(nt.CTL_CODE) },
  { name: 'Sim.createRequest', family: 'wdf', kinds: ['opts'], args: () => [{ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: Buffer.alloc(4) }], call: fn(nt.Sim.createRequest) },
  { name: 'Sim.createRequest({ RequestorMode })', family: 'wdf', kinds: ['mode'], args: () => [nt.KernelMode],
    call: (_w, a) => nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: 3, InputBuffer: Buffer.alloc(4), RequestorMode: a[0] as number }) },
  // NDIS (API.md 4)
  { name: 'IoAllocateMdl', family: 'ndis', kinds: ['view', 'ulong?', 'bool?', 'bool?', '-'], args: (w) => [w.storage, 8, false, false, null], call: fn(nt.IoAllocateMdl) },
  { name: 'NdisAllocateMdl', family: 'ndis', kinds: ['h:ndis?', 'view', 'ulong?'], args: (w) => [null, w.storage, 8], call: fn(nt.NdisAllocateMdl) },
  { name: 'MmBuildMdlForNonPagedPool', family: 'ndis', kinds: ['h:mdl'], args: (w) => [w.m1], call: fn(nt.MmBuildMdlForNonPagedPool) },
  { name: 'IoFreeMdl', family: 'ndis', kinds: ['h:mdl'], args: (w) => [w.m2], call: fn(nt.IoFreeMdl) },
  { name: 'NdisFreeMdl', family: 'ndis', kinds: ['h:mdl'], args: (w) => [w.m2], call: fn(nt.NdisFreeMdl) },
  { name: 'MmGetMdlByteCount', family: 'ndis', kinds: ['h:mdl'], args: (w) => [w.m1], call: fn(nt.MmGetMdlByteCount) },
  { name: 'MmGetMdlVirtualAddress', family: 'ndis', kinds: ['h:mdl'], args: (w) => [w.m1], call: fn(nt.MmGetMdlVirtualAddress) },
  { name: 'MmGetSystemAddressForMdlSafe', family: 'ndis', kinds: ['h:mdl', 'ulong'], args: (w) => [w.m1, nt.NormalPagePriority], call: fn(nt.MmGetSystemAddressForMdlSafe) },
  { name: 'NdisAllocateNetBufferPool', family: 'ndis', kinds: ['h:ndis?', 'opts?'], args: () => [null, {}], call: fn(nt.NdisAllocateNetBufferPool) },
  { name: 'NdisAllocateNetBufferListPool', family: 'ndis', kinds: ['h:ndis?', 'opts?'], args: () => [null, {}], call: fn(nt.NdisAllocateNetBufferListPool) },
  { name: 'NdisFreeNetBufferPool', family: 'ndis', kinds: ['h:nbpool'], args: (w) => [w.nbpool], call: fn(nt.NdisFreeNetBufferPool) },
  { name: 'NdisFreeNetBufferListPool', family: 'ndis', kinds: ['h:nblpool'], args: (w) => [w.nblpool], call: fn(nt.NdisFreeNetBufferListPool) },
  { name: 'NdisAllocateNetBuffer', family: 'ndis', kinds: ['h:nbpool', 'h:mdl?', 'ulong', 'ulong'], args: (w) => [w.nbpool, w.m1, 1, 4], call: fn(nt.NdisAllocateNetBuffer) },
  { name: 'NdisFreeNetBuffer', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.dnb], call: fn(nt.NdisFreeNetBuffer) },
  { name: 'NdisAllocateNetBufferList', family: 'ndis', kinds: ['h:nblpool', 'ulong', 'ulong'], args: (w) => [w.nblpool, 0, 0], call: fn(nt.NdisAllocateNetBufferList) },
  { name: 'NdisAllocateNetBufferAndNetBufferList', family: 'ndis', kinds: ['h:nblpool', 'ulong', 'ulong', 'h:mdl?', 'ulong', 'ulong'], args: (w) => [w.nblpool, 0, 0, w.m1, 0, 4], call: fn(nt.NdisAllocateNetBufferAndNetBufferList) },
  { name: 'NdisFreeNetBufferList', family: 'ndis', kinds: ['h:nbl'], args: (w) => [w.nbl], call: fn(nt.NdisFreeNetBufferList) },
  { name: 'NET_BUFFER_NEXT_NB', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_NEXT_NB) },
  { name: 'NET_BUFFER_FIRST_MDL', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_FIRST_MDL) },
  { name: 'NET_BUFFER_DATA_LENGTH', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_DATA_LENGTH) },
  { name: 'NET_BUFFER_DATA_OFFSET', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_DATA_OFFSET) },
  { name: 'NET_BUFFER_CURRENT_MDL', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_CURRENT_MDL) },
  { name: 'NET_BUFFER_CURRENT_MDL_OFFSET', family: 'ndis', kinds: ['h:nb'], args: (w) => [w.nb], call: fn(nt.NET_BUFFER_CURRENT_MDL_OFFSET) },
  { name: 'NET_BUFFER_LIST_FIRST_NB', family: 'ndis', kinds: ['h:nbl'], args: (w) => [w.nbl], call: fn(nt.NET_BUFFER_LIST_FIRST_NB) },
  { name: 'NET_BUFFER_LIST_NEXT_NBL', family: 'ndis', kinds: ['h:nbl'], args: (w) => [w.nbl], call: fn(nt.NET_BUFFER_LIST_NEXT_NBL) },
  { name: 'NdisCopyFromNetBufferToNetBuffer', family: 'ndis', kinds: ['h:nb', 'ulong', 'ulong', 'h:nb', 'ulong', 'counter'], args: (w) => [w.dnb, 1, 8, w.nb, 3, w.counter], call: fn(nt.NdisCopyFromNetBufferToNetBuffer) },
  { name: 'NdisAdvanceNetBufferDataStart', family: 'ndis', kinds: ['h:nb', 'ulong', 'bool?', 'fn?'], args: (w) => [w.nb, 2, false, null], call: fn(nt.NdisAdvanceNetBufferDataStart) },
  { name: 'NdisRetreatNetBufferDataStart', family: 'ndis', kinds: ['h:nb', 'ulong', 'ulong', 'fn?'], args: (w) => [w.nb, 4, 0, null], call: fn(nt.NdisRetreatNetBufferDataStart) },
  { name: 'NdisGetDataBuffer', family: 'ndis', kinds: ['h:nb', 'ulong', 'view?', 'ulong', 'ulong'], args: (w) => [w.nb, 12, w.storage, 1, 0], call: fn(nt.NdisGetDataBuffer) },
  { name: 'Sim.setMdlMappingFails', family: 'ndis', kinds: ['h:mdl', 'bool?'], args: (w) => [w.m1, true], call: fn(nt.Sim.setMdlMappingFails) },
  { name: 'MDL.Next =', family: 'ndis', kinds: ['h:mdl?'], args: (w) => [w.dm], call: (w, a) => { w.m2.Next = a[0] as nt.PMDL; } },
  { name: 'MDL.ByteCount =', family: 'ndis', kinds: ['ulong'], args: () => [4], call: (w, a) => { w.m1.ByteCount = a[0] as number; } },
  { name: 'NET_BUFFER.CurrentMdl =', family: 'ndis', kinds: ['h:mdl?'], args: (w) => [w.m2], call: (w, a) => { w.nb.CurrentMdl = a[0] as nt.PMDL; } },
  { name: 'NET_BUFFER.CurrentMdlOffset =', family: 'ndis', kinds: ['ulong'], args: () => [3], call: (w, a) => { w.nb.CurrentMdlOffset = a[0] as number; } },
  { name: 'NET_BUFFER.DataLength =', family: 'ndis', kinds: ['ulong'], args: () => [3], call: (w, a) => { w.nb.DataLength = a[0] as number; } },
  { name: 'NET_BUFFER.DataOffset =', family: 'ndis', kinds: ['ulong'], args: () => [3], call: (w, a) => { w.nb.DataOffset = a[0] as number; } },
  { name: 'NET_BUFFER.MdlChain =', family: 'ndis', kinds: ['h:mdl?'], args: (w) => [w.m2], call: (w, a) => { w.nb.MdlChain = a[0] as nt.PMDL; } },
  { name: 'NET_BUFFER.Next =', family: 'ndis', kinds: ['h:nb?'], args: (w) => [w.dnb], call: (w, a) => { w.nb.Next = a[0] as nt.PNET_BUFFER; } },
  { name: 'NET_BUFFER_LIST.Next =', family: 'ndis', kinds: ['h:nbl?'], args: () => [null], call: (w, a) => { w.nbl.Next = a[0] as nt.PNET_BUFFER_LIST; } },
  { name: 'NET_BUFFER_LIST.FirstNetBuffer =', family: 'ndis', kinds: ['h:nb?'], args: (w) => [w.nb], call: (w, a) => { w.nbl.FirstNetBuffer = a[0] as nt.PNET_BUFFER; } },
  // LSA (API.md 5)
  { name: 'Sim.createClientRequest', family: 'lsa', kinds: ['opts?'], args: () => [{ HighestUserAddress: 0x7ffeffffn }], call: fn(nt.Sim.createClientRequest) },
  { name: 'LsaFunctions.CopyFromClientBuffer', family: 'lsa', kinds: ['h:lsa', 'ulong', 'view?', 'addr'], args: (w) => [w.client, 16, w.local, 0x10004], call: fn(nt.LsaFunctions.CopyFromClientBuffer) },
  { name: 'LsaFunctions.CopyToClientBuffer', family: 'lsa', kinds: ['h:lsa', 'ulong', 'addr', 'view?'], args: (w) => [w.client, 16, 0x10004, w.local], call: fn(nt.LsaFunctions.CopyToClientBuffer) },
  { name: 'LsaFunctions.AllocateClientBuffer', family: 'lsa', kinds: ['h:lsa', 'ulong'], args: (w) => [w.client, 100], call: fn(nt.LsaFunctions.AllocateClientBuffer) },
  { name: 'LsaFunctions.FreeClientBuffer', family: 'lsa', kinds: ['h:lsa', 'addr'], args: (w) => [w.client, 0x10000], call: fn(nt.LsaFunctions.FreeClientBuffer) },
  { name: 'client.map', family: 'lsa', kinds: ['addr', 'addr|size', 'ulong'], args: () => [0x40000, 0x1000, nt.PAGE_READONLY], call: (w, a) => (w.client.map as (...x: unknown[]) => void)(...a) },
  { name: 'client.protect', family: 'lsa', kinds: ['addr', 'size', 'ulong'], args: () => [0x10000, 0x1000, nt.PAGE_READONLY], call: (w, a) => (w.client.protect as (...x: unknown[]) => void)(...a) },
  { name: 'client.unmap', family: 'lsa', kinds: ['addr'], args: () => [0x10000], call: (w, a) => (w.client.unmap as (...x: unknown[]) => void)(...a) },
  { name: 'client.peek', family: 'lsa', kinds: ['addr', 'size'], args: () => [0x10000, 4], call: (w, a) => (w.client.peek as (...x: unknown[]) => unknown)(...a) },
  { name: 'client.poke', family: 'lsa', kinds: ['addr', 'view'], args: (w) => [0x10000, w.storage], call: (w, a) => (w.client.poke as (...x: unknown[]) => void)(...a) },
  { name: 'client.setAccess', family: 'lsa', kinds: ['opts'], args: () => [{ read: false }], call: (w, a) => (w.client.setAccess as (...x: unknown[]) => void)(...a) },
  { name: 'client.setMappingFails', family: 'lsa', kinds: ['fails'], args: () => [1], call: (w, a) => (w.client.setMappingFails as (...x: unknown[]) => void)(...a) },
  { name: 'client.closeHandle', family: 'lsa', kinds: [], args: () => [], call: (w) => w.client.closeHandle() },
  { name: 'client.terminate', family: 'lsa', kinds: [], args: () => [], call: (w) => w.client.terminate() },
  { name: 'client.complete', family: 'lsa', kinds: [], args: () => [], call: (w) => w.client.complete() },
  // Batches (API.md 8): each queueing method checks exactly as its routine (JS errors at queue time, nothing
  // queued); handles and Windows rules are decided by run(), which bug checks as the routine would.
  { name: 'CopyBatch', family: 'none', kinds: ['capacity?'], args: () => [4], call: (_w, a) => new (nt.CopyBatch as unknown as new (...x: unknown[]) => nt.CopyBatch)(...a) },
  { name: 'CopyBatch.WdfMemoryCopyFromBuffer', family: 'wdf', kinds: ['h:wdfmem', 'size', 'view?', 'size'], args: (w) => [w.mem, 1, w.caller, 8], call: batched('WdfMemoryCopyFromBuffer') },
  { name: 'CopyBatch.WdfMemoryCopyToBuffer', family: 'wdf', kinds: ['h:wdfmem', 'size', 'view?', 'size'], args: (w) => [w.mem, 1, w.caller, 8], call: batched('WdfMemoryCopyToBuffer') },
  { name: 'CopyBatch.NdisCopyFromNetBufferToNetBuffer', family: 'ndis', kinds: ['h:nb', 'ulong', 'ulong', 'h:nb', 'ulong'], args: (w) => [w.dnb, 1, 8, w.nb, 3], call: batched('NdisCopyFromNetBufferToNetBuffer') },
  { name: 'CopyBatch.CopyFromClientBuffer', family: 'lsa', kinds: ['h:lsa', 'ulong', 'view?', 'addr'], args: (w) => [w.client, 16, w.local, 0x10004], call: batched('CopyFromClientBuffer') },
  { name: 'CopyBatch.CopyToClientBuffer', family: 'lsa', kinds: ['h:lsa', 'ulong', 'addr', 'view?'], args: (w) => [w.client, 16, 0x10004, w.local], call: batched('CopyToClientBuffer') },
  { name: 'CopyBatch.run', family: 'wdf', kinds: [], args: () => [], call: (w) => new nt.CopyBatch().WdfMemoryCopyToBuffer(w.mem, 0, w.caller, 4).run() },
  { name: 'CopyBatch.clear', family: 'none', kinds: [], args: () => [], call: (w) => new nt.CopyBatch().WdfMemoryCopyToBuffer(w.mem, 0, w.caller, 4).clear() },
];

// Pure helpers on numbers and strings: no memory, no handles; checked in status.test.ts.
const PURE = ['NT_SUCCESS', 'NT_INFORMATION', 'NT_WARNING', 'NT_ERROR', 'statusName', 'NT_CHECK'];
const CLASSES = ['BugCheckError', 'NtStatusError'];

type Expect = 'TypeError' | 'RangeError' | 'BugCheck' | 'odd view' | 'same as 0' | 'propagates';
const detachedView = () => { const b = new Uint8Array(16); structuredClone(b.buffer, { transfer: [b.buffer] }); return b; };
const shrunkView = () => { const ab = newResizable(16, 16); const v = new Uint8Array(ab, 0, 16); ab.resize(4); return v; };
const throwingOptions = () => new Proxy({}, { get() { throw new Error('hostile getter'); } });
const forged = () => ({ [ID]: 0x7fffff });

/** What a call does: its result, or the class of what it threw (with a bug check's code). */
function outcome(row: Row, w: W, args: unknown[]): string {
  try {
    const r = row.call(w, args);
    return JSON.stringify(typeof r === 'bigint' ? `${r}n` : typeof r === 'number' || r === null || r === undefined ? r : typeof r);
  } catch (e) {
    return e instanceof nt.BugCheckError ? `BugCheck ${e.bugCheckCode}` : (e as Error).constructor.name;
  }
}

function hostile(kind: Kind, w: W): [string, unknown, Expect][] {
  const ints: [string, unknown, Expect][] = [
    ['NaN', NaN, 'RangeError'], ['1.5', 1.5, 'RangeError'], ['-1', -1, 'RangeError'], ['-1n', -1n, 'RangeError'],
    ['2^64', 2 ** 64, 'RangeError'], ['2^64n', 2n ** 64n, 'RangeError'], ['Infinity', Infinity, 'RangeError'],
    ["'1'", '1', 'TypeError'], ['{}', {}, 'TypeError'], ['Symbol', Symbol('s'), 'TypeError'], ['true', true, 'TypeError'],
    ['-0', -0, 'same as 0'],
  ];
  const handle = (other: unknown): [string, unknown, Expect][] => [
    ['5', 5, 'TypeError'], ["'h'", 'h', 'TypeError'], ['{}', {}, 'TypeError'], ['Buffer', Buffer.alloc(1), 'TypeError'],
    ['forged id', forged(), 'BugCheck'], ['another kind', other, 'BugCheck'],
  ];
  const views: [string, unknown, Expect][] = [
    ["'abc'", 'abc', 'TypeError'], ['[1,2]', [1, 2], 'TypeError'], ['ArrayBuffer', new ArrayBuffer(8), 'TypeError'], ['5', 5, 'TypeError'],
    ['detached view', detachedView(), 'odd view'], ['shrunk resizable view', shrunkView(), 'odd view'],
    ['SharedArrayBuffer view', new Uint8Array(new SharedArrayBuffer(16)), 'odd view'],
    ['DataView', new DataView(new ArrayBuffer(16)), 'odd view'], ['Float64Array', new Float64Array(2), 'odd view'],
  ];
  switch (kind) {
    case 'size': return [...ints, ['2^53+1', 2 ** 53 + 1, 'RangeError'], ['null', null, 'TypeError']];
    case 'addr': return [...ints, ['2^53+1', 2 ** 53 + 1, 'RangeError']];
    case 'addr|size': return [...ints.filter(([n]) => n !== '{}'), ['2^53+1', 2 ** 53 + 1, 'RangeError']];
    case 'ulong': return [...ints, ['2^32', 2 ** 32, 'RangeError'], ['2^32n', 2n ** 32n, 'RangeError'], ['2^53+1', 2 ** 53 + 1, 'RangeError'], ['null', null, 'TypeError']];
    case 'ulong?': return [...ints, ['2^32', 2 ** 32, 'RangeError']];
    case 'h:wdfmem': case 'h:wdfpre': case 'h:wdf': return handle(w.m1);
    case 'h:wdfreq': return handle(w.mem);
    case 'h:mdl': return handle(w.nb);
    case 'h:mdl?': return handle(w.mem).filter(([n]) => n !== 'forged id'); // a stale id may be stored (walks meet it)
    case 'h:nb': return handle(w.nbl);
    case 'h:nb?': return handle(w.mem).filter(([n]) => n !== 'forged id');
    case 'h:nbl': return handle(w.nb);
    case 'h:nbl?': return handle(w.mem).filter(([n]) => n !== 'forged id');
    case 'h:nbpool': return handle(w.nblpool);
    case 'h:nblpool': return handle(w.nbpool);
    case 'h:lsa': return handle(w.req);
    case 'h:ndis?': return handle(w.mem).slice(0, 4);
    case 'view': return [...views.slice(0, 4), ['null', null, 'TypeError'], ...views.slice(4)];
    case 'view?': return views;
    case 'counter': return [['[0]', [0], 'TypeError'], ['Int32Array', new Int32Array(1), 'TypeError'], ['empty', new Uint32Array(0), 'TypeError'],
      ["'x'", 'x', 'TypeError'], ['a handle', w.nb, 'TypeError'], ['null', null, 'BugCheck']];
    case 'opts': return [['5', 5, 'TypeError'], ["'x'", 'x', 'TypeError'], ['null', null, 'TypeError'], ['hostile getter', throwingOptions(), 'propagates']];
    case 'opts?': return [['5', 5, 'TypeError'], ["'x'", 'x', 'TypeError'], ['hostile getter', throwingOptions(), 'propagates']];
    case 'bool?': return [["'yes'", 'yes', 'TypeError'], ['1', 1, 'TypeError'], ['{}', {}, 'TypeError']];
    case 'fn?': return [['5', 5, 'TypeError'], ["'f'", 'f', 'TypeError'], ['{}', {}, 'TypeError']];
    case 'mode': return [...ints, ['2', 2, 'RangeError'], ['2n', 2n, 'RangeError'], ['2^32', 2 ** 32, 'RangeError'], ['null', null, 'TypeError']];
    case 'fails': return [["'x'", 'x', 'TypeError'], ['-1', -1, 'RangeError'], ['1.5', 1.5, 'RangeError'], ['NaN', NaN, 'RangeError']];
    case 'capacity?': return [['0', 0, 'RangeError'], ['-1', -1, 'RangeError'], ['1.5', 1.5, 'RangeError'], ['NaN', NaN, 'RangeError'],
      ['2^24+1', 2 ** 24 + 1, 'RangeError'], ['Infinity', Infinity, 'RangeError'], ["'4'", '4', 'TypeError'], ['4n', 4n, 'TypeError'],
      ['null', null, 'TypeError'], ['{}', {}, 'TypeError']];
    case '-': return [];
  }
}

const BUGCHECK = { wdf: nt.WDF_VIOLATION, ndis: nt.KMODE_EXCEPTION_NOT_HANDLED, lsa: nt.CRITICAL_PROCESS_DIED, none: -1 };

const cases: [string, number, string, Row][] = [];
const labels = world(); // only to list the case labels; every case builds its own world
for (const row of rows) row.kinds.forEach((k, i) => { for (const [label] of hostile(k, labels)) cases.push([row.name, i, label, row]); });

describe('hostile JS input, every routine (API.md 0, 1, 6, 7)', () => {
  test('the table covers every exported function and every Sim / LsaFunctions member', () => {
    const listed = new Set(rows.map((r) => r.name));
    const missing: string[] = [];
    for (const [k, v] of Object.entries(nt)) {
      if (typeof v !== 'function' || PURE.includes(k) || CLASSES.includes(k)) continue;
      if (!listed.has(k)) missing.push(k);
    }
    for (const k of Object.keys(nt.Sim)) if (!listed.has(`Sim.${k}`)) missing.push(`Sim.${k}`);
    for (const k of Object.keys(nt.LsaFunctions)) if (!listed.has(`LsaFunctions.${k}`)) missing.push(`LsaFunctions.${k}`);
    for (const k of Object.getOwnPropertyNames(nt.CopyBatch.prototype)) {
      const d = Object.getOwnPropertyDescriptor(nt.CopyBatch.prototype, k)!;
      if (k !== 'constructor' && typeof d.value === 'function' && !listed.has(`CopyBatch.${k}`)) missing.push(`CopyBatch.${k}`);
    }
    expect(missing).toEqual([]);
  });

  test.each(rows.map((r) => [r.name, r] as const))('%s: its valid arguments are valid (the table is sound)', (_n, row) => {
    const w = world();
    expect(() => row.call(w, row.args(w))).not.toThrow();
  });

  test.each(cases)('%s argument %i = %s', (_name, index, label, row) => {
    const w = world();
    const [, value, expected] = hostile(row.kinds[index], w).find(([l]) => l === label)!;
    const args = row.args(w);
    args[index] = value;
    const before = w.fingerprint();
    if (expected === 'same as 0') {
      // -0 is the integer 0: the same outcome as 0 in an identical world
      const w0 = world();
      const args0 = row.args(w0);
      args0[index] = 0;
      expect(outcome(row, w, args)).toBe(outcome(row, w0, args0));
      return;
    }
    let thrown: unknown = undefined;
    try {
      row.call(w, args);
    } catch (e) {
      thrown = e;
    }
    switch (expected) {
      case 'TypeError': expect(thrown).toBeInstanceOf(TypeError); break;
      case 'RangeError': expect(thrown).toBeInstanceOf(RangeError); break;
      case 'BugCheck':
        expect(thrown).toBeInstanceOf(nt.BugCheckError);
        expect((thrown as nt.BugCheckError).bugCheckCode).toBe(BUGCHECK[row.family]);
        break;
      // a getter the routine reads throws through it; one it never reads (ignored Parameters) cannot
      case 'propagates':
        if (thrown === undefined) return; // never read: the call simply succeeded
        expect((thrown as Error).message).toBe('hostile getter');
        break;
      case 'odd view':
        // legal views (detached = 0 bytes, shrunk, shared, DataView, other element types): the routine's own
        // outcome (a result, a status, a bug check), or a RangeError where a size now exceeds the view
        if (thrown !== undefined && !(thrown instanceof RangeError)) expect(thrown).toBeInstanceOf(nt.BugCheckError);
        return; // it may legitimately have written its own (legal) view or made objects
    }
    expect(w.fingerprint()).toBe(before);
  });
});
