// Worker body for test/threads.test.ts: runs CopyBatch objects of its own environment over its slice
// of a SharedArrayBuffer shared with other workers (WDF, NDIS and LSA ops in one batch).
'use strict';
const { parentPort, workerData } = require('worker_threads');
const nt = require(workerData.root);

const { sab, index, rounds, slice } = workerData;
const mine = new Uint8Array(sab, index * slice, slice);
const pattern = Buffer.alloc(slice, index + 1);
const half = slice / 2;
const mem = nt.WdfMemoryCreatePreallocated(null, mine).memory;
const pool = nt.NdisAllocateNetBufferPool(null);
const dstNb = nt.NdisAllocateNetBuffer(pool, nt.NdisAllocateMdl(null, mine.subarray(half)), 0, half);
const srcNb = nt.NdisAllocateNetBuffer(pool, nt.NdisAllocateMdl(null, pattern), 0, slice);
const client = nt.Sim.createClientRequest();
client.map(0x10000, pattern, nt.PAGE_READONLY);
const batch = new nt.CopyBatch(4);
let ok = 0;
for (let r = 0; r < rounds; r++) {
  batch.clear();
  mine.fill(0);
  batch.WdfMemoryCopyFromBuffer(mem, 0, pattern.subarray(0, 16), 16)
    .CopyFromClientBuffer(client, half - 16, mine.subarray(16, half), 0x10000)
    .NdisCopyFromNetBufferToNetBuffer(dstNb, 0, half, srcNb, 0);
  if (batch.run() !== 3 || batch.Status.subarray(0, 3).some((s) => s !== 0) || batch.BytesCopied[2] !== half) throw new Error('batch');
  if (!mine.every((b) => b === index + 1)) throw new Error('bytes');
  ok++;
}
parentPort.postMessage({ ok });
