// Worker body for test/threads.test.ts: loads ntcopy in its own environment and copies between a
// SharedArrayBuffer shared with other workers and its own memory objects.
'use strict';
const { parentPort, workerData } = require('worker_threads');
const nt = require(workerData.root);

const { sab, index, rounds, slice } = workerData;
const shared = new Uint8Array(sab);
const mine = shared.subarray(index * slice, (index + 1) * slice); // each worker owns one slice
const { memory } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, slice);
const pre = nt.WdfMemoryCreatePreallocated(null, mine).memory;
const pattern = Buffer.alloc(slice, index + 1);
// NDIS: a chain of two MDLs over halves of this worker's slice, filled from a pattern chain.
const pool = nt.NdisAllocateNetBufferPool(null);
const half = slice / 2;
const d1 = nt.NdisAllocateMdl(null, mine.subarray(0, half));
d1.Next = nt.NdisAllocateMdl(null, mine.subarray(half));
const dstNb = nt.NdisAllocateNetBuffer(pool, d1, 0, slice);
const srcNb = nt.NdisAllocateNetBuffer(pool, nt.NdisAllocateMdl(null, pattern), 0, slice);
const counter = new Uint32Array(1);
// LSA: a client whose memory holds the pattern, read into this worker's slice.
const client = nt.Sim.createClientRequest();
client.map(0x10000, pattern, nt.PAGE_READONLY);
let ok = 0;
for (let r = 0; r < rounds; r++) {
  if (nt.WdfMemoryCopyFromBuffer(memory, 0, pattern, slice) !== 0) throw new Error('copy from');
  if (nt.WdfMemoryCopyToBuffer(memory, 0, mine, slice) !== 0) throw new Error('copy to');
  if (nt.WdfMemoryCopyFromBuffer(pre, 0, pattern, slice) !== 0) throw new Error('copy pre');
  if (nt.NdisCopyFromNetBufferToNetBuffer(dstNb, 0, slice, srcNb, 0, counter) !== 0 || counter[0] !== slice) throw new Error('ndis');
  if (nt.LsaFunctions.CopyFromClientBuffer(client, slice, mine, 0x10000) !== 0) throw new Error('lsa');
  ok++;
}
parentPort.postMessage({ ok, firstId: Object.getOwnPropertySymbols(memory).map((s) => memory[s])[0] });
if (workerData.spin) for (;;) nt.WdfMemoryCopyFromBuffer(memory, 0, pattern, slice); // killed mid-work
