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
    nt.WdfObjectDelete(input);
    nt.WdfObjectDelete(memory);
    bug(() => nt.WdfObjectDelete(child));
    nt.WdfObjectDelete(pre);
    if (i % 2) nt.WdfObjectDelete(req); // the rest are left for environment teardown
  }
}

wdf();
if (typeof module.exports.more === 'function') module.exports.more();
console.log('workload done');
