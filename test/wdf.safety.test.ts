// API.md section 6 for WDF: no JS action makes the native code touch memory it does not own.
import { MessageChannel } from 'worker_threads';
import * as nt from '../lib';
import { expectBugCheck, seq, newResizable } from './helpers';
import { runChild } from './child';

const detach = (ab: ArrayBuffer) => structuredClone(ab, { transfer: [ab] });

describe('WDF memory safety (API.md 6)', () => {
  test('preallocated memory over a detached view: 0x50 PAGE_FAULT_IN_NONPAGED_AREA, nothing written', () => {
    const ab = new ArrayBuffer(16);
    const { memory } = nt.WdfMemoryCreatePreallocated(null, new Uint8Array(ab));
    const moved = detach(ab);
    expect(ab.byteLength).toBe(0);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(4), 4), nt.PAGE_FAULT_IN_NONPAGED_AREA, [undefined, 1]);
    expectBugCheck(() => nt.WdfMemoryCopyToBuffer(memory!, 0, Buffer.alloc(4), 4), nt.PAGE_FAULT_IN_NONPAGED_AREA, [undefined, 0]);
    expectBugCheck(() => nt.WdfMemoryGetBuffer(memory!), nt.PAGE_FAULT_IN_NONPAGED_AREA);
    expect(new Uint8Array(moved).every((b) => b === 0)).toBe(true); // the new owner's bytes untouched
    // the statuses still come first: a refused copy never reaches the gone bytes
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 16, seq(1), 1)).toBe(nt.STATUS_INVALID_BUFFER_SIZE);
  });

  test('a buffer checked in one call is checked again in the next: detach between two copies', () => {
    const ab = new ArrayBuffer(8);
    const { memory } = nt.WdfMemoryCreatePreallocated(null, new Uint8Array(ab));
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(8), 8)).toBe(nt.STATUS_SUCCESS);
    const moved = detach(ab);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(8), 8), nt.PAGE_FAULT_IN_NONPAGED_AREA, [0, 1]);
    expect([...new Uint8Array(moved)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('objects over views of one ArrayBuffer all see its detachment; other buffers are unaffected', () => {
    const ab = new ArrayBuffer(64);
    const views = [new Uint8Array(ab, 0, 16), new Uint8Array(ab, 16, 16), new DataView(ab, 32, 32), Buffer.from(ab, 48, 8)];
    const mems = views.map((v) => nt.WdfMemoryCreatePreallocated(null, v).memory!);
    const other = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8).memory!;
    mems.forEach((m, i) => expect(nt.WdfMemoryCopyFromBuffer(m, 0, seq(8, i * 8 + 1), 8)).toBe(0));
    expect([...new Uint8Array(ab, 0, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...new Uint8Array(ab, 48, 8)]).toEqual([25, 26, 27, 28, 29, 30, 31, 32]);
    nt.WdfObjectDelete(mems[0]); // one user gone: the others keep the buffer entry
    detach(ab);
    for (const m of mems.slice(1)) expectBugCheck(() => nt.WdfMemoryCopyToBuffer(m, 0, Buffer.alloc(1), 1), nt.PAGE_FAULT_IN_NONPAGED_AREA, [0, 0]);
    expect(nt.WdfMemoryCopyFromBuffer(other, 0, seq(8), 8)).toBe(0);
  });

  test('a caller view detached by postMessage: 0xD6 read, object unchanged', () => {
    const { memory, buffer } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8);
    const src = new Uint8Array(8).fill(7);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(src.buffer, [src.buffer]);
    port1.close();
    port2.close();
    expect(src.byteLength).toBe(0);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, src, 8), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, [undefined, 0]);
    expect(buffer!.every((b) => b === 0)).toBe(true);
  });

  test('WdfMemoryCreate buffer transferred away by the user: 0x50', () => {
    const { memory, buffer } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 64);
    detach(buffer!.buffer as ArrayBuffer);
    expectBugCheck(() => nt.WdfMemoryCopyToBuffer(memory!, 0, Buffer.alloc(1), 1), nt.PAGE_FAULT_IN_NONPAGED_AREA, [undefined, 0]);
  });

  test('resizable buffer shrunk: bytes still there copy, bytes gone are 0x50 (judged per byte)', () => {
    const ab = newResizable(16, 16);
    const tracking = new Uint8Array(ab); // length-tracking view
    const { memory } = nt.WdfMemoryCreatePreallocated(null, tracking, 16);
    ab.resize(6);
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 2, seq(4), 4)).toBe(nt.STATUS_SUCCESS);
    expect([...tracking]).toEqual([0, 0, 1, 2, 3, 4]);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 3, seq(4), 4), nt.PAGE_FAULT_IN_NONPAGED_AREA, [6, 1]);
    expect([...tracking]).toEqual([0, 0, 1, 2, 3, 4]);
    ab.resize(16); // grown back: the bytes exist again
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 10, seq(6), 6)).toBe(nt.STATUS_SUCCESS);
    expect([...tracking.subarray(10)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a fixed-length view pushed out of bounds by a shrink has no bytes: 0x50', () => {
    const ab = newResizable(16, 16);
    const fixed = new Uint8Array(ab, 4, 8);
    const { memory } = nt.WdfMemoryCreatePreallocated(null, fixed);
    ab.resize(8);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(1), 1), nt.PAGE_FAULT_IN_NONPAGED_AREA, [0, 1]);
    expect([...new Uint8Array(ab)]).toEqual(Array(8).fill(0));
  });

  test('request buffer detached after the request was made: retrieved memory faults 0x50', () => {
    const out = new Uint8Array(8);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: out });
    const { memory } = nt.WdfRequestRetrieveOutputMemory(req);
    detach(out.buffer as ArrayBuffer);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(8), 8), nt.PAGE_FAULT_IN_NONPAGED_AREA, [0, 1]);
  });

  test('SharedArrayBuffer-backed views work as memory and as caller buffers', () => {
    const sab = new SharedArrayBuffer(8);
    const { memory } = nt.WdfMemoryCreatePreallocated(null, new Uint8Array(sab));
    expect(nt.WdfMemoryCopyFromBuffer(memory!, 4, seq(4), 4)).toBe(0);
    const out = new Uint8Array(new SharedArrayBuffer(4));
    expect(nt.WdfMemoryCopyToBuffer(memory!, 4, out, 4)).toBe(0);
    expect([...out]).toEqual([1, 2, 3, 4]);
  });

  test('double delete and use after delete are 0x10D, never a crash; the process stays usable', () => {
    const { memory } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8);
    nt.WdfObjectDelete(memory!);
    expectBugCheck(() => nt.WdfObjectDelete(memory!), nt.WDF_VIOLATION, [5]);
    expectBugCheck(() => nt.WdfMemoryGetBuffer(memory!), nt.WDF_VIOLATION, [5]);
    const fresh = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 8);
    expect(fresh.status).toBe(0);
    expectBugCheck(() => nt.WdfMemoryCopyFromBuffer(memory!, 0, seq(1), 1), nt.WDF_VIOLATION, [5]); // no aliasing of ids
  });

  test('GC: memory only reachable through ntcopy survives gc(); deleting releases it', () => {
    const r = runChild(`
      let memory;
      let weak;
      (() => {
        const buf = new Uint8Array(1 << 20);
        weak = new WeakRef(buf);
        memory = nt.WdfMemoryCreatePreallocated(null, buf).memory;
      })();
      const req = (() => nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: new Uint8Array(16) }))();
      const out = nt.WdfRequestRetrieveOutputMemory(req).memory;
      for (let i = 0; i < 5; i++) global.gc();
      const a = nt.WdfMemoryCopyFromBuffer(memory, 1000, Buffer.from([9, 8, 7]), 3);
      const back = Buffer.alloc(3);
      const b = nt.WdfMemoryCopyToBuffer(memory, 1000, back, 3);
      const c = nt.WdfMemoryCopyFromBuffer(out, 0, Buffer.alloc(16, 1), 16);
      const alive = weak.deref() !== undefined;
      nt.WdfObjectDelete(memory);
      nt.WdfObjectDelete(req);
      setImmediate(() => {
        for (let i = 0; i < 5; i++) global.gc();
        console.log(JSON.stringify({ a, b, c, back: [...back], alive, released: weak.deref() === undefined }));
      });
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ a: 0, b: 0, c: 0, back: [9, 8, 7], alive: true, released: true });
  });
});
