// The addon in several worker_threads at once: per-environment state, concurrent copies over a
// SharedArrayBuffer, workers terminated mid-work, handles that cannot cross environments.
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as nt from '../lib';
import { runChild } from './child';

const root = path.join(__dirname, '..');
const script = path.join(__dirname, 'workers', 'copier.js');

function start(data: object): Promise<{ ok: number; firstId: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: { root, ...data } });
    w.once('message', (m) => { resolve(m); if (!(data as { spin?: boolean }).spin) w.terminate(); else setTimeout(() => w.terminate(), 20); });
    w.once('error', reject);
  });
}

describe('worker_threads', () => {
  test('four workers copy concurrently over one SharedArrayBuffer without cross-talk', async () => {
    const slice = 4096;
    const sab = new SharedArrayBuffer(slice * 4);
    const results = await Promise.all([0, 1, 2, 3].map((index) => start({ sab, index, rounds: 2000, slice })));
    expect(results.map((r) => r.ok)).toEqual([2000, 2000, 2000, 2000]);
    const shared = new Uint8Array(sab);
    for (let i = 0; i < 4; i++) expect(shared.subarray(i * slice, (i + 1) * slice).every((b) => b === i + 1)).toBe(true);
    // each environment has its own handle table: the same first id in every worker
    expect(new Set(results.map((r) => r.firstId)).size).toBe(1);
  });

  test('workers terminated in the middle of copy loops leave the process healthy', async () => {
    const sab = new SharedArrayBuffer(1024 * 3);
    await Promise.all([0, 1, 2].map((index) => start({ sab, index, rounds: 10, slice: 1024, spin: true })));
    const { memory } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8);
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 0, Buffer.alloc(8, 1), 8)).toBe(0);
  });

  test('a handle sent to another environment is no handle there (TypeError), never another object', () => {
    // The worker's source is one string literal (JSON), not a template nested in the child's
    // script: a nested template would unescape the backslashes of a Windows path a second time.
    const worker = `
      const { parentPort } = require('worker_threads');
      const nt = require(${JSON.stringify(root)});
      parentPort.once('message', (h) => {
        let kind;
        try { nt.WdfMemoryCopyFromBuffer(h, 0, Buffer.alloc(1), 1); kind = 'returned'; } catch (e) { kind = e.name; }
        parentPort.postMessage(kind);
      });`;
    const r = runChild(`
      const { Worker } = require('worker_threads');
      const { memory } = nt.WdfMemoryCreate(null, 0, 0, 8);
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      w.once('message', (kind) => { console.log(kind); w.terminate(); });
      w.postMessage(memory);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('TypeError');
  });

  test('batches in several workers run at once, each over its own slice', async () => {
    const slice = 2048;
    const sab = new SharedArrayBuffer(slice * 3);
    const batcher = path.join(__dirname, 'workers', 'batcher.js');
    const runs = [0, 1, 2].map((index) => new Promise<{ ok: number }>((resolve, reject) => {
      const w = new Worker(batcher, { workerData: { root, sab, index, rounds: 500, slice } });
      w.once('message', (m) => { resolve(m); w.terminate(); });
      w.once('error', reject);
    }));
    expect((await Promise.all(runs)).map((r) => r.ok)).toEqual([500, 500, 500]);
    const shared = new Uint8Array(sab);
    for (let i = 0; i < 3; i++) expect(shared.subarray(i * slice, (i + 1) * slice).every((b) => b === i + 1)).toBe(true);
  });

  test('a batch used from another environment is a TypeError, and changes nothing', () => {
    // one string literal (JSON) for the worker's source: a nested template would unescape a Windows path twice
    const worker = `
      const { parentPort } = require('worker_threads');
      const nt = require(${JSON.stringify(root)});
      parentPort.once('message', (b) => {
        const kinds = [];
        for (const use of [() => nt.CopyBatch.prototype.run.call(b), () => b.run(),
          () => nt.CopyBatch.prototype.WdfMemoryCopyFromBuffer.call(b, null, 0, null, 1), () => nt.CopyBatch.prototype.clear.call(b)]) {
          try { use(); kinds.push('returned'); } catch (e) { kinds.push(e.name); }
        }
        parentPort.postMessage(kinds.join(','));
      });`;
    const r = runChild(`
      const { Worker } = require('worker_threads');
      const buf = Buffer.alloc(8);
      const { memory } = nt.WdfMemoryCreatePreallocated(null, buf);
      const batch = new nt.CopyBatch(2).WdfMemoryCopyFromBuffer(memory, 0, Buffer.alloc(8, 7), 8);
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      w.once('message', (kinds) => { console.log(kinds, buf.every((x) => x === 0), batch.length); w.terminate(); });
      w.postMessage(batch);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('TypeError,TypeError,TypeError,TypeError true 1');
  });
});
