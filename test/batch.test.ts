// CopyBatch (API.md section 8): the rules one by one. The equivalence with one-by-one calls over random
// worlds is test/batch.property.test.ts; this file pins the shapes, the error rule, the queue's lifetime,
// growth, section 6 across runs, and what the batch keeps alive.
import * as nt from '../lib';
import { expectBugCheck, seq } from './helpers';
import { runChild } from './child';

describe('CopyBatch', () => {
  test('capacity: 1..2^24, else RangeError (TypeError for a non-number)', () => {
    for (const c of [1, 32, 2 ** 16]) expect(new nt.CopyBatch(c).length).toBe(0); // 2 ** 24 too (hostile table: its neighbours)
    expect(new nt.CopyBatch().length).toBe(0);
    for (const c of [0, -1, 1.5, NaN, 2 ** 24 + 1, Infinity]) expect(() => new nt.CopyBatch(c)).toThrow(RangeError);
    for (const c of ['4', 4n, null, {}]) expect(() => new nt.CopyBatch(c as number)).toThrow(TypeError);
  });

  test('queues in any mix, runs in order, results in Status / BytesCopied; length counts ops', () => {
    const dst = Buffer.alloc(16);
    const mem = nt.WdfMemoryCreatePreallocated(null, dst).memory!;
    const pool = nt.NdisAllocateNetBufferPool(null);
    const seg = Buffer.alloc(8);
    const nb = nt.NdisAllocateNetBuffer(pool, nt.NdisAllocateMdl(null, seg), 0, 8)!;
    const src = nt.NdisAllocateNetBuffer(pool, nt.NdisAllocateMdl(null, seq(8)), 0, 8)!;
    const client = nt.Sim.createClientRequest();
    client.map(0x10000, seq(0x1000, 100), nt.PAGE_READWRITE);
    const local = Buffer.alloc(4);
    const b = new nt.CopyBatch(2)
      .WdfMemoryCopyFromBuffer(mem, 0, seq(4), 4)
      .WdfMemoryCopyToBuffer(mem, 16, local, 1)                  // STATUS_BUFFER_TOO_SMALL
      .NdisCopyFromNetBufferToNetBuffer(nb, 2, 100, src, 0)      // 6 bytes fit
      .CopyFromClientBuffer(client, 4, local, 0x10000)
      .CopyToClientBuffer(client, 4, 0x10004n, seq(4, 9));
    expect(b.length).toBe(5);
    expect(b.run()).toBe(5);
    expect([...b.Status.subarray(0, 5)]).toEqual([0, nt.STATUS_BUFFER_TOO_SMALL, 0, 0, 0]);
    expect([...b.BytesCopied.subarray(0, 5)]).toEqual([0, 0, 6, 0, 0]);
    expect([...dst.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect([...seg]).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    expect([...local]).toEqual([100, 101, 102, 103]);
    expect([...client.peek(0x10004, 4)]).toEqual([9, 10, 11, 12]);
  });

  test('a bug check in op i: ops before took effect, op i wrote nothing, later ops did not run; opIndex = i', () => {
    const a = Buffer.alloc(4), c = Buffer.alloc(4);
    const ma = nt.WdfMemoryCreatePreallocated(null, a).memory!, mc = nt.WdfMemoryCreatePreallocated(null, c).memory!;
    const b = new nt.CopyBatch()
      .WdfMemoryCopyFromBuffer(ma, 0, seq(4), 4)
      .WdfMemoryCopyFromBuffer(mc, 0, seq(2), 4)   // Buffer shorter than the count: 0xD6
      .WdfMemoryCopyFromBuffer(mc, 0, seq(4), 4);
    const e = expectBugCheck(() => b.run(), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, [2, 0]);
    expect(e.opIndex).toBe(1);
    expect(b.Status[0]).toBe(0);
    expect([...a]).toEqual([1, 2, 3, 4]);
    expect([...c]).toEqual([0, 0, 0, 0]);
    // the single call throws no opIndex
    const single = expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(mc, 0, seq(2), 4), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
    expect('opIndex' in single).toBe(false);
  });

  test('JS argument errors at queue time, exactly as the routine, nothing queued', () => {
    const mem = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
    const b = new nt.CopyBatch(1);
    const same = (batch: () => unknown, single: () => unknown) => {
      let want: unknown, got: unknown;
      try { single(); } catch (e) { want = e; }
      try { batch(); } catch (e) { got = e; }
      expect((got as Error).constructor).toBe((want as Error).constructor);
      expect((got as Error).message).toBe((want as Error).message);
      expect(b.length).toBe(0);
    };
    same(() => b.WdfMemoryCopyFromBuffer(mem, -1, null, 1), () => nt.WdfMemoryCopyFromBuffer(mem, -1, null, 1));
    same(() => b.WdfMemoryCopyToBuffer({} as nt.WDFMEMORY, 0, null, 1), () => nt.WdfMemoryCopyToBuffer({} as nt.WDFMEMORY, 0, null, 1));
    same(() => b.NdisCopyFromNetBufferToNetBuffer(null as never, 2 ** 32, 1, null as never, 0),
      () => nt.NdisCopyFromNetBufferToNetBuffer(null as never, 2 ** 32, 1, null as never, 0, new Uint32Array(1)));
    same(() => b.CopyFromClientBuffer(null as never, 1, 'x' as never, 0), () => nt.LsaFunctions.CopyFromClientBuffer(null as never, 1, 'x' as never, 0));
    same(() => b.CopyToClientBuffer(null as never, 1, -1, null), () => nt.LsaFunctions.CopyToClientBuffer(null as never, 1, -1, null));
    // handles are decided at run time: a NULL one queues, and run() bug checks
    b.WdfMemoryCopyFromBuffer(null as never, 0, null, 1);
    expect(b.length).toBe(1);
    expect(expectBugCheck(() => b.run(), nt.WDF_VIOLATION, [5, 0]).opIndex).toBe(0);
  });

  test('the queue stays for reruns until clear(); capacity grows, Status may be replaced', () => {
    const dst = Buffer.alloc(64);
    const mem = nt.WdfMemoryCreatePreallocated(null, dst).memory!;
    const b = new nt.CopyBatch(1);
    const first = b.Status;
    for (let i = 0; i < 40; i++) b.WdfMemoryCopyFromBuffer(mem, i, Buffer.from([i]), 1);
    expect(b.length).toBe(40);
    expect(b.Status).not.toBe(first);
    expect(b.Status.length).toBeGreaterThanOrEqual(40);
    expect(b.run()).toBe(40);
    dst.fill(0);
    expect(b.run()).toBe(40); // the same calls again
    expect([...dst.subarray(0, 40)]).toEqual(Array.from({ length: 40 }, (_, i) => i));
    b.clear();
    expect(b.length).toBe(0);
    expect(b.run()).toBe(0);
  });

  test('API.md 6 across runs: a buffer detached between two runs is gone memory for the op that reaches it', () => {
    const backing = new Uint8Array(8);
    const other = Buffer.alloc(8);
    const mem = nt.WdfMemoryCreatePreallocated(null, backing).memory!;
    const memOther = nt.WdfMemoryCreatePreallocated(null, other).memory!;
    const src = seq(8);
    const b = new nt.CopyBatch().WdfMemoryCopyFromBuffer(memOther, 0, src, 8).WdfMemoryCopyFromBuffer(mem, 0, src, 8);
    expect(b.run()).toBe(2);
    expect([...backing]).toEqual([...src]);
    other.fill(0);
    const moved = structuredClone(backing.buffer, { transfer: [backing.buffer] });
    const e = expectBugCheck(() => b.run(), nt.PAGE_FAULT_IN_NONPAGED_AREA, [undefined, 1]);
    expect(e.opIndex).toBe(1);
    expect([...other]).toEqual([...src]);           // op 0 ran
    expect([...new Uint8Array(moved)]).toEqual([...src]); // the moved bytes were not touched again
    // a caller view detached between runs: 0 bytes (0xD6), never the old memory
    const view = new Uint8Array(8);
    const b2 = new nt.CopyBatch().WdfMemoryCopyToBuffer(memOther, 0, view, 8);
    b2.run();
    const gone = structuredClone(view.buffer, { transfer: [view.buffer] });
    expect(expectBugCheck(() => b2.run(), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, [0, 1]).opIndex).toBe(0);
    expect([...new Uint8Array(gone)]).toEqual([...src]);
  });

  test("Status' buffer transferred away: run() makes new arrays, never writes the moved memory", () => {
    const mem = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
    const b = new nt.CopyBatch(2).WdfMemoryCopyFromBuffer(mem, 0, null as never, 0).WdfMemoryCopyToBuffer(mem, 9, Buffer.alloc(1), 1);
    const results = b.Status.buffer as ArrayBuffer;
    const moved = new Uint32Array(structuredClone(results, { transfer: [results] }));
    moved.fill(7);
    expectBugCheck(() => b.run(), nt.WDF_VIOLATION, [4]); // NULL Buffer
    b.clear();
    b.WdfMemoryCopyToBuffer(mem, 9, Buffer.alloc(1), 1);
    expect(b.run()).toBe(1);
    expect(b.Status[0]).toBe(nt.STATUS_BUFFER_TOO_SMALL);
    expect(moved.every((x) => x === 7)).toBe(true);
  });

  test('a batch keeps what it queued alive until clear(); clear() twice lets every view go', () => {
    const r = runChild(`
      const b = new nt.CopyBatch(2);
      let refs;
      (function queue() {
        const client = nt.Sim.createClientRequest();
        client.map(0x10000, Buffer.alloc(0x1000, 5), nt.PAGE_READONLY);
        const local = Buffer.alloc(16);
        refs = [new WeakRef(client), new WeakRef(local)];
        b.CopyFromClientBuffer(client, 16, local, 0x10000);
      })();
      (async () => {
        for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 10)); gc(); }
        const alive = refs.map((r) => r.deref() !== undefined);
        b.run();
        const status = b.Status[0];
        const copied = refs[1].deref()[3];
        b.clear();
        b.clear();
        for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 10)); gc(); }
        console.log(JSON.stringify({ alive, status, copied, after: refs.map((r) => r.deref() !== undefined) }));
      })();
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ alive: [true, true], status: 0, copied: 5, after: [false, false] });
  });

  test('a steady-state run and queueing within capacity allocate nothing (no GC over many cycles)', () => {
    const r = runChild(`
      const { PerformanceObserver } = require('perf_hooks');
      const dst = Buffer.alloc(4096);
      const mem = nt.WdfMemoryCreatePreallocated(null, dst).memory;
      const srcs = [Buffer.alloc(16, 1), Buffer.alloc(16, 2)];
      const b = new nt.CopyBatch(32);
      const cycle = () => { b.clear(); for (let i = 0; i < 32; i++) b.WdfMemoryCopyFromBuffer(mem, i * 48 + 3, srcs[i & 1], 16); b.run(); };
      for (let i = 0; i < 20000; i++) cycle();
      gc();
      let gcs = 0;
      const obs = new PerformanceObserver((l) => { gcs += l.getEntries().length; });
      obs.observe({ entryTypes: ['gc'] });
      const heap = process.memoryUsage().heapUsed;
      for (let i = 0; i < 100000; i++) cycle();
      const grew = process.memoryUsage().heapUsed - heap;
      setTimeout(() => { obs.disconnect(); console.log(JSON.stringify({ gcs, grewKiB: Math.round(grew / 1024) })); }, 50);
    `);
    expect(r.stderr).toBe('');
    const { gcs, grewKiB } = JSON.parse(r.stdout);
    expect(gcs).toBe(0);
    expect(grewKiB).toBeLessThan(1024); // 16 B a cycle would be 1.6 MB
  });
});
