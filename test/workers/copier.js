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
let ok = 0;
for (let r = 0; r < rounds; r++) {
  if (nt.WdfMemoryCopyFromBuffer(memory, 0, pattern, slice) !== 0) throw new Error('copy from');
  if (nt.WdfMemoryCopyToBuffer(memory, 0, mine, slice) !== 0) throw new Error('copy to');
  if (nt.WdfMemoryCopyFromBuffer(pre, 0, pattern, slice) !== 0) throw new Error('copy pre');
  ok++;
}
parentPort.postMessage({ ok, firstId: Object.getOwnPropertySymbols(memory).map((s) => memory[s])[0] });
if (workerData.spin) for (;;) nt.WdfMemoryCopyFromBuffer(memory, 0, pattern, slice); // killed mid-work
