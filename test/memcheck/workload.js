// A representative workload of every routine, run by scripts/memcheck.js under valgrind memcheck.
// Covers success, status and bug check paths, detach/shrink, and teardown with live objects.
'use strict';
const nt = require('../..');

function bug(fn) {
  try { fn(); } catch (e) { if (!(e instanceof nt.BugCheckError)) throw e; }
}

function wdf() {
  for (let i = 0; i < 50; i++) {
    const { memory, buffer } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 64 + i);
    const child = nt.WdfMemoryCreate({ ParentObject: memory }, nt.PagedPool, 0x41424344, 16).memory;
    nt.WdfMemoryCopyFromBuffer(memory, 3, Buffer.alloc(8, i), 8);
    nt.WdfMemoryCopyToBuffer(memory, 3, new Uint16Array(4), 8);
    nt.WdfMemoryCopyFromBuffer(memory, 64, Buffer.alloc(8), 8);
    bug(() => nt.WdfMemoryCopyFromBuffer(null, 0, buffer, 1));
    bug(() => nt.WdfMemoryCopyToBuffer(memory, 0, Buffer.alloc(1), 2));
    const ab = new ArrayBuffer(32, { maxByteLength: 32 });
    const pre = nt.WdfMemoryCreatePreallocated(null, new Uint8Array(ab)).memory;
    nt.WdfMemoryAssignBuffer(pre, new DataView(ab, 4, 8));
    nt.WdfMemoryGetBuffer(pre);
    ab.resize(6);
    bug(() => nt.WdfMemoryCopyFromBuffer(pre, 0, Buffer.alloc(8), 8));
    structuredClone(ab, { transfer: [ab] });
    bug(() => nt.WdfMemoryGetBuffer(pre));
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: nt.CTL_CODE(0x22, 1, 1, 0),
      InputBuffer: Buffer.alloc(8), OutputBuffer: Buffer.alloc(8) });
    const input = nt.WdfRequestRetrieveInputMemory(req).memory;
    nt.WdfMemoryCopyFromBuffer(input, 0, Buffer.alloc(4), 4);
    nt.WdfObjectDelete(memory);
    bug(() => nt.WdfObjectDelete(child));
    nt.WdfObjectDelete(pre);
    // deleting request memory deletes its request (SEMANTICS 7.5); the rest are left for environment teardown
    if (i % 2) {
      nt.WdfObjectDelete(input);
      bug(() => nt.WdfObjectDelete(req));
    }
    // METHOD_NEITHER buffers of a kernel-mode requestor (SEMANTICS 7.6)
    const neither = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: nt.CTL_CODE(0x22, 2, 3, 0),
      InputBuffer: Buffer.alloc(8), OutputBuffer: Buffer.alloc(8), RequestorMode: nt.KernelMode });
    nt.WdfMemoryCopyFromBuffer(nt.WdfRequestRetrieveOutputMemory(neither).memory, 0, Buffer.alloc(8, 3), 8);
    if (i % 3 === 0) nt.WdfObjectDelete(neither);
  }
}

function ndis() {
  const pool = nt.NdisAllocateNetBufferPool(null);
  const nblPool = nt.NdisAllocateNetBufferListPool(null);
  const counter = new Uint32Array(1);
  for (let i = 0; i < 20; i++) {
    const segs = [Buffer.alloc(6), Buffer.alloc(0), Buffer.alloc(8), new Uint8Array(new SharedArrayBuffer(14))];
    const mdls = segs.map((b) => nt.IoAllocateMdl(b));
    for (let k = 0; k + 1 < mdls.length; k++) mdls[k].Next = mdls[k + 1];
    const src = nt.NdisAllocateNetBuffer(pool, mdls[0], 0, 28);
    const dstMdl = nt.NdisAllocateMdl(null, Buffer.alloc(32));
    const nbl = nt.NdisAllocateNetBufferAndNetBufferList(nblPool, 0, 0, dstMdl, 0, 32);
    const dst = nt.NET_BUFFER_LIST_FIRST_NB(nbl);
    nt.NdisCopyFromNetBufferToNetBuffer(dst, 1, 28, src, 0, counter);
    nt.Sim.setMdlMappingFails(mdls[2], true);
    nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 28, src, 0, counter);
    nt.NdisGetDataBuffer(src, 10, Buffer.alloc(10), 1, 0);
    nt.NdisRetreatNetBufferDataStart(src, 4, 0, null);
    nt.NdisAdvanceNetBufferDataStart(src, 4, true, null);
    mdls[3].Next = mdls[0]; // a cycle
    nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 100, src, 3, counter);
    bug(() => nt.NdisCopyFromNetBufferToNetBuffer(null, 0, 1, src, 0, counter));
    const ab = segs[2].buffer;
    if (!segs[2].byteOffset && ab.byteLength === 8) structuredClone(ab, { transfer: [ab] });
    bug(() => nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 28, src, 0, counter));
    nt.NdisFreeNetBuffer(src);
    for (const m of mdls) nt.IoFreeMdl(m);
    bug(() => nt.IoFreeMdl(mdls[0]));
    if (i % 2) nt.NdisFreeNetBufferList(nbl); // the rest are left for environment teardown
  }
}

function lsa() {
  for (let i = 0; i < 20; i++) {
    const client = nt.Sim.createClientRequest();
    client.map(0x10000, Buffer.alloc(0x3000, i), nt.PAGE_READWRITE);
    client.map(0x20000, 0x20000, nt.PAGE_READONLY);
    client.protect(0x11000, 0x1000, nt.PAGE_NOACCESS);
    const local = Buffer.alloc(0x18000);
    nt.LsaFunctions.CopyFromClientBuffer(client, 64, local, 0x10000);
    nt.LsaFunctions.CopyFromClientBuffer(client, 0x2000, local, 0x10800);
    nt.LsaFunctions.CopyFromClientBuffer(client, 0x14000, local, 0x20000n);
    nt.LsaFunctions.CopyToClientBuffer(client, 32, 0x10000, local);
    client.setMappingFails(1);
    nt.LsaFunctions.CopyFromClientBuffer(client, 0x14000, local, 0x20000);
    const { ClientBaseAddress } = nt.LsaFunctions.AllocateClientBuffer(client, 5000);
    nt.LsaFunctions.CopyToClientBuffer(client, 100, ClientBaseAddress, local);
    client.peek(ClientBaseAddress, 16);
    client.poke(ClientBaseAddress, Buffer.alloc(4, 1));
    nt.LsaFunctions.FreeClientBuffer(client, ClientBaseAddress);
    client.unmap(0x20000);
    if (i % 2) client.complete();
    bug(() => nt.LsaFunctions.CopyFromClientBuffer(null, 1, local, 0));
  }
}

// CopyBatch: growth, new and re-queued views, reruns, a bug check mid-batch, a view detached between runs,
// Status' buffer transferred, clear() releasing views, batches left for finalization and for teardown.
function batch() {
  const pool = nt.NdisAllocateNetBufferPool(null);
  const keep = [];
  for (let i = 0; i < 20; i++) {
    const bufs = [Buffer.alloc(32, i), Buffer.alloc(16), new Uint8Array(new SharedArrayBuffer(16))];
    const mem = nt.WdfMemoryCreatePreallocated(null, bufs[0]).memory;
    const seg = nt.NdisAllocateMdl(null, Buffer.alloc(24));
    const nb = nt.NdisAllocateNetBuffer(pool, seg, 0, 24);
    const client = nt.Sim.createClientRequest();
    client.map(0x10000, Buffer.alloc(0x1000, i), nt.PAGE_READWRITE);
    const b = new nt.CopyBatch(1);
    for (let k = 0; k < 6; k++) {
      b.WdfMemoryCopyFromBuffer(mem, k, bufs[k % 3], 8).WdfMemoryCopyToBuffer(mem, 2n, bufs[1], 4n)
        .NdisCopyFromNetBufferToNetBuffer(nb, k, 8, nb, 1).CopyFromClientBuffer(client, 16, bufs[k % 2], 0x10000)
        .CopyToClientBuffer(client, 8, 0x10008, bufs[2]);
    }
    b.run();
    b.run();
    b.WdfMemoryCopyFromBuffer(null, 0, bufs[1], 1);
    bug(() => b.run());
    b.clear();
    b.WdfMemoryCopyFromBuffer(mem, 0, bufs[1], 16).CopyFromClientBuffer(client, 4, Buffer.alloc(4), 0x10000);
    b.run();
    const ab = bufs[0].buffer;
    if (!bufs[0].byteOffset && ab.byteLength === 32) structuredClone(ab, { transfer: [ab] });
    bug(() => b.run());
    structuredClone(b.Status.buffer, { transfer: [b.Status.buffer] });
    b.clear();
    b.CopyToClientBuffer(client, 4, 0x10000, bufs[1]).run();
    if (i % 3 === 0) { b.clear(); b.clear(); }
    if (i % 2) keep.push(b); // the rest are left to the finalizer (or teardown)
  }
  globalThis.keepBatches = keep;
}

wdf();
ndis();
lsa();
batch();
console.log('workload done');
