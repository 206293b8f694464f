// One test per rule of SEMANTICS.md section 1 (W*, T*, companions, requests), the example vectors of
// 1.4, and guard bytes around every destination.
import * as nt from '../lib';
import { native } from '../lib/native';
import { expectBugCheck, guarded, seq } from './helpers';

const { WdfMemoryCopyFromBuffer: copyFrom, WdfMemoryCopyToBuffer: copyTo } = nt;

/** M(S): a writable preallocated object of S bytes filled 0xAA with guard bytes around it. */
function M(size: number) {
  const g = guarded(size, 0xaa);
  const { status, memory } = nt.WdfMemoryCreatePreallocated(null, g.view);
  expect(status).toBe(nt.STATUS_SUCCESS);
  return { ...g, memory: memory! };
}

/** M(S, ro): read-only memory (input memory of an IRP_MJ_WRITE request, SEMANTICS 1.1). */
function MReadOnly(size: number) {
  const g = guarded(size, 0xaa);
  const request = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: g.view });
  const { status, memory } = nt.WdfRequestRetrieveInputMemory(request);
  expect(status).toBe(nt.STATUS_SUCCESS);
  return { ...g, memory: memory!, request };
}

const untouched = (v: Uint8Array) => v.every((b) => b === 0xaa);

describe('WdfMemoryCopyFromBuffer (SEMANTICS 1.2)', () => {
  test('W1: NULL DestinationMemory -> 0x10D (0x5, 0, 0x100A)', () => {
    expectBugCheck(() => copyFrom(null as never, 0, seq(4), 4), nt.WDF_VIOLATION, [5, 0, 0x100a, 0]);
    expectBugCheck(() => copyFrom(undefined as never, 0, seq(4), 0), nt.WDF_VIOLATION, [5, 0, 0x100a]);
  });

  test('W2: a request, a deleted object -> 0x10D/0x5 with the handle id', () => {
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: Buffer.alloc(4) });
    const b = expectBugCheck(() => copyFrom(req as never, 0, seq(4), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
    expect(b.parameters[1]).not.toBe(0n);
    const m = M(8);
    nt.WdfObjectDelete(m.memory);
    expectBugCheck(() => copyFrom(m.memory, 0, seq(4), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
    expect(m.all.subarray(16, 24).every((x) => x === 0xaa)).toBe(true);
  });

  test('W3: NULL Buffer -> 0x10D (0x4, 0), even with 0 bytes; nothing written', () => {
    const m = M(8);
    expectBugCheck(() => copyFrom(m.memory, 0, null, 4), nt.WDF_VIOLATION, [4, 0]);
    expectBugCheck(() => copyFrom(m.memory, 0, null, 0), nt.WDF_VIOLATION, [4, 0]);
    expect(untouched(m.view) && m.guardsIntact()).toBe(true);
  });

  test('W4: 0 bytes -> STATUS_INVALID_PARAMETER before the offset and read-only checks (vector 12)', () => {
    const m = M(8);
    expect(copyFrom(m.memory, 0, seq(4), 0)).toBe(0xc000000d);
    expect(copyFrom(m.memory, 100, seq(4), 0)).toBe(0xc000000d);
    const ro = MReadOnly(8);
    expect(copyFrom(ro.memory, 0, seq(4), 0n)).toBe(0xc000000d);
    expect(untouched(m.view) && m.guardsIntact()).toBe(true);
  });

  test('W5: read-only memory -> STATUS_ACCESS_VIOLATION, returned, before W6 (vector 14)', () => {
    const ro = MReadOnly(8);
    expect(copyFrom(ro.memory, 0, seq(4), 4)).toBe(0xc0000005);
    expect(copyFrom(ro.memory, 8, seq(4), 1)).toBe(0xc0000005);
    expect(untouched(ro.view) && ro.guardsIntact()).toBe(true);
  });

  test('W6: offset != 0 and >= size -> STATUS_INVALID_BUFFER_SIZE (vector 7)', () => {
    const m = M(8);
    expect(copyFrom(m.memory, 8, seq(1), 1)).toBe(0xc0000206);
    expect(copyFrom(m.memory, (1n << 64n) - 1n, seq(1), 1)).toBe(0xc0000206);
    expect(untouched(m.view) && m.guardsIntact()).toBe(true);
  });

  test('W7: n > size - offset -> STATUS_INVALID_BUFFER_SIZE, no 64-bit wrap (vector 5)', () => {
    const m = M(8);
    expect(copyFrom(m.memory, 0, seq(9), 9)).toBe(0xc0000206);
    expect(copyFrom(m.memory, 4, seq(5), 5)).toBe(0xc0000206);
    expect(copyFrom(m.memory, 4n, seq(8), (1n << 64n) - 1n)).toBe(0xc0000206); // 4 + n wraps to 3
    expect(untouched(m.view) && m.guardsIntact()).toBe(true);
  });

  test('W8: copies exactly [off, off+n) (vectors 1 and 2)', () => {
    const m = M(8);
    expect(copyFrom(m.memory, 0, seq(8), 8)).toBe(nt.STATUS_SUCCESS);
    expect([...m.view]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.guardsIntact()).toBe(true);
    const m2 = M(8);
    expect(copyFrom(m2.memory, 0, seq(8), 4)).toBe(nt.STATUS_SUCCESS);
    expect([...m2.view]).toEqual([1, 2, 3, 4, 0xaa, 0xaa, 0xaa, 0xaa]);
    expect(m2.guardsIntact()).toBe(true);
    const m3 = M(8);
    expect(copyFrom(m3.memory, 7n, seq(1), 1n)).toBe(nt.STATUS_SUCCESS);
    expect([...m3.view]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 1]);
    expect(m3.guardsIntact()).toBe(true);
  });

  test('W8: overlapping Buffer behaves as memmove (vector 27)', () => {
    const b = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const { memory } = nt.WdfMemoryCreatePreallocated(null, b);
    expect(copyFrom(memory!, 2, b, 6)).toBe(nt.STATUS_SUCCESS);
    expect([...b]).toEqual([0, 1, 0, 1, 2, 3, 4, 5]);
  });

  test('W8: the source may be any ArrayBufferView, read byte-wise', () => {
    const m = M(8);
    const words = new Uint16Array([0x0201, 0x0403]);
    expect(copyFrom(m.memory, 1, words, 4)).toBe(nt.STATUS_SUCCESS);
    const le = new Uint8Array(words.buffer);
    expect([...m.view.subarray(1, 5)]).toEqual([...le]);
    const dv = new DataView(new ArrayBuffer(2));
    dv.setUint8(0, 9);
    dv.setUint8(1, 8);
    expect(copyFrom(m.memory, 6, dv, 2)).toBe(nt.STATUS_SUCCESS);
    expect([...m.view.subarray(6)]).toEqual([9, 8]);
    expect(m.guardsIntact()).toBe(true);
  });

  test('0xD6: Buffer shorter than NumBytesToCopyFrom once the statuses pass; nothing written', () => {
    const m = M(8);
    expectBugCheck(() => copyFrom(m.memory, 0, seq(3), 4), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, [undefined, 0]);
    expect(untouched(m.view) && m.guardsIntact()).toBe(true);
    expect(copyFrom(m.memory, 0, seq(3), 9)).toBe(0xc0000206); // a status check that fires comes first
  });
});

describe('WdfMemoryCopyToBuffer (SEMANTICS 1.3)', () => {
  test('T1: NULL or wrong-type SourceMemory -> 0x10D/0x5', () => {
    expectBugCheck(() => copyTo(null as never, 0, Buffer.alloc(4), 4), nt.WDF_VIOLATION, [5, 0, 0x100a]);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ });
    expectBugCheck(() => copyTo(req as never, 0, Buffer.alloc(4), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
  });
  test('T2: NULL Buffer -> 0x10D/0x4', () => {
    expectBugCheck(() => copyTo(M(8).memory, 0, null, 4), nt.WDF_VIOLATION, [4, 0]);
  });
  test('T3: 0 bytes -> STATUS_INVALID_PARAMETER', () => {
    const d = guarded(4, 0x11);
    expect(copyTo(M(8).memory, 0, d.view, 0)).toBe(0xc000000d);
    expect(d.view.every((x) => x === 0x11) && d.guardsIntact()).toBe(true);
  });
  test('T4: object buffer NULL -> STATUS_INVALID_PARAMETER (no public path makes one: size-0 objects are refused)', () => {
    expect(nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 0).status).toBe(0xc000000d);
    expect(nt.WdfMemoryCreatePreallocated(null, Buffer.alloc(4), 0).status).toBe(0xc000000d);
  });
  test('T5: offset != 0 and >= size -> STATUS_BUFFER_TOO_SMALL', () => {
    const d = guarded(4, 0x11);
    expect(copyTo(M(8).memory, 8, d.view, 1)).toBe(0xc0000023);
    expect(d.view.every((x) => x === 0x11) && d.guardsIntact()).toBe(true);
  });
  test('T6: n > size - offset -> STATUS_BUFFER_TOO_SMALL', () => {
    const d = guarded(8, 0x11);
    expect(copyTo(M(8).memory, 4, d.view, 5)).toBe(0xc0000023);
    expect(copyTo(M(8).memory, 4n, d.view, (1n << 64n) - 1n)).toBe(0xc0000023);
    expect(d.view.every((x) => x === 0x11) && d.guardsIntact()).toBe(true);
  });
  test('T7: copies, read-only memory included (no read-only check)', () => {
    const ro = MReadOnly(8);
    ro.view.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const d = guarded(8, 0x11);
    expect(copyTo(ro.memory, 0, d.view, 8)).toBe(nt.STATUS_SUCCESS);
    expect([...d.view]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const d2 = guarded(8, 0x11);
    expect(copyTo(ro.memory, 5, d2.view, 3)).toBe(nt.STATUS_SUCCESS);
    expect([...d2.view]).toEqual([6, 7, 8, 0x11, 0x11, 0x11, 0x11, 0x11]);
    expect(d.guardsIntact() && d2.guardsIntact()).toBe(true);
  });
  test('0xD6 (write) when Buffer is shorter than n; nothing written', () => {
    const d = guarded(3, 0x11);
    expectBugCheck(() => copyTo(M(8).memory, 0, d.view, 4), nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, [undefined, 1]);
    expect(d.view.every((x) => x === 0x11) && d.guardsIntact()).toBe(true);
  });
});

describe('WdfMemoryCreate / CreatePreallocated / AssignBuffer / GetBuffer (SEMANTICS 1.3)', () => {
  test('Create: zero-filled buffer of BufferSize bytes; writes through it are the object memory', () => {
    const { status, memory, buffer } = nt.WdfMemoryCreate(null, nt.NonPagedPoolNx, 0x6b736154, 64n);
    expect(status).toBe(nt.STATUS_SUCCESS);
    expect(buffer!.length).toBe(64);
    expect(buffer!.every((b) => b === 0)).toBe(true);
    buffer![3] = 0x77;
    const out = Buffer.alloc(1);
    expect(copyTo(memory!, 3, out, 1)).toBe(0);
    expect(out[0]).toBe(0x77);
    expect(nt.WdfMemoryGetBuffer(memory!)).toBe(buffer);
  });
  test('Create: BufferSize 0 -> STATUS_INVALID_PARAMETER, no memory', () => {
    expect(nt.WdfMemoryCreate(null, nt.PagedPool, 0, 0)).toEqual({ status: 0xc000000d, memory: null, buffer: null });
  });
  test('Create: a size no allocator can give -> STATUS_INSUFFICIENT_RESOURCES', () => {
    expect(nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 2n ** 62n)).toEqual({ status: 0xc000009a, memory: null, buffer: null });
  });
  test('Create: a bad ParentObject bug checks before the size check', () => {
    const parent = nt.WdfMemoryCreate(null, 0, 0, 4).memory!;
    nt.WdfObjectDelete(parent);
    expectBugCheck(() => nt.WdfMemoryCreate({ ParentObject: parent }, 0, 0, 0), nt.WDF_VIOLATION, [5, undefined, 0x1000]);
  });
  test('Create: deleting the parent deletes the child', () => {
    const parent = nt.WdfMemoryCreate(null, 0, 0, 4).memory!;
    const child = nt.WdfMemoryCreate({ ParentObject: parent }, 0, 0, 4).memory!;
    expect(copyFrom(child, 0, seq(1), 1)).toBe(0);
    nt.WdfObjectDelete(parent);
    expectBugCheck(() => copyFrom(child, 0, seq(1), 1), nt.WDF_VIOLATION, [5]);
  });
  test('CreatePreallocated: NULL Buffer -> 0x10D/0x4; size 0 -> STATUS_INVALID_PARAMETER', () => {
    expectBugCheck(() => nt.WdfMemoryCreatePreallocated(null, null), nt.WDF_VIOLATION, [4, 0]);
    expect(nt.WdfMemoryCreatePreallocated(null, Buffer.alloc(0))).toEqual({ status: 0xc000000d, memory: null });
  });
  test('CreatePreallocated: BufferSize defaults to byteLength, may be smaller, larger is a RangeError', () => {
    const b = Buffer.alloc(8, 0xaa);
    const small = nt.WdfMemoryCreatePreallocated(null, b, 4).memory!;
    expect(copyFrom(small, 0, seq(5), 5)).toBe(0xc0000206);
    expect(copyFrom(small, 0, seq(4), 4)).toBe(0);
    expect([...b]).toEqual([1, 2, 3, 4, 0xaa, 0xaa, 0xaa, 0xaa]);
    expect(nt.WdfMemoryGetBuffer(small).length).toBe(4);
    expect(() => nt.WdfMemoryCreatePreallocated(null, b, 9)).toThrow(RangeError);
  });
  test.each([null, undefined])('S7.4: CreatePreallocated / AssignBuffer with a %s Buffer and an explicit BufferSize -> 0x10D (0x4, 0), not a RangeError', (nul) => {
    const live = native.liveObjects();
    for (const size of [0, 1, 8, 8n, 2 ** 53 - 1, (1n << 64n) - 1n]) {
      expectBugCheck(() => nt.WdfMemoryCreatePreallocated(null, nul as never, size), nt.WDF_VIOLATION, [4, 0]);
    }
    expect(native.liveObjects()).toBe(live);
    const a = guarded(8, 0xaa);
    const pre = nt.WdfMemoryCreatePreallocated(null, a.view).memory!;
    for (const size of [0, 1, 8, 9, 8n, (1n << 64n) - 1n]) {
      expectBugCheck(() => nt.WdfMemoryAssignBuffer(pre, nul as never, size), nt.WDF_VIOLATION, [4, 0]);
    }
    // the object still has its old buffer and size
    expect(copyFrom(pre, 0, seq(9), 9)).toBe(0xc0000206);
    expect(copyFrom(pre, 0, seq(8), 8)).toBe(0);
    expect([...a.view]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a.guardsIntact()).toBe(true);
    // JS argument errors still come first (API.md 7 v1.2 order); a handle error before the NULL Buffer
    expect(() => nt.WdfMemoryCreatePreallocated(null, nul as never, -1)).toThrow(RangeError);
    expect(() => nt.WdfMemoryAssignBuffer(pre, nul as never, '8' as never)).toThrow(TypeError);
    expectBugCheck(() => nt.WdfMemoryAssignBuffer(null as never, nul as never, 8), nt.WDF_VIOLATION, [5, 0, 0x1022]);
  });
  test('S7.4: the "larger than the view" RangeError applies only when Buffer is a view', () => {
    const b = Buffer.alloc(4, 0xaa);
    expect(() => nt.WdfMemoryCreatePreallocated(null, b, 5)).toThrow(RangeError);
    const pre = nt.WdfMemoryCreatePreallocated(null, b).memory!;
    expect(() => nt.WdfMemoryAssignBuffer(pre, new Uint8Array(2), 3)).toThrow(RangeError);
    expect(() => nt.WdfMemoryAssignBuffer(pre, new Uint8Array(2), 3n)).toThrow(RangeError);
    expect(copyFrom(pre, 0, seq(4), 4)).toBe(0); // unchanged by the refused calls
    expect([...b]).toEqual([1, 2, 3, 4]);
  });
  test('AssignBuffer: only preallocated memory (0x10D P3 0x1022); NULL -> 0x4; size 0 leaves the object unchanged', () => {
    const created = nt.WdfMemoryCreate(null, 0, 0, 4).memory!;
    expectBugCheck(() => nt.WdfMemoryAssignBuffer(created, Buffer.alloc(4)), nt.WDF_VIOLATION, [5, undefined, 0x1022]);
    expectBugCheck(() => nt.WdfMemoryAssignBuffer(null as never, Buffer.alloc(4)), nt.WDF_VIOLATION, [5, 0, 0x1022]);
    const a = Buffer.alloc(8, 0xaa);
    const pre = nt.WdfMemoryCreatePreallocated(null, a).memory!;
    expectBugCheck(() => nt.WdfMemoryAssignBuffer(pre, null), nt.WDF_VIOLATION, [4, 0]);
    expect(nt.WdfMemoryAssignBuffer(pre, Buffer.alloc(4), 0)).toBe(0xc000000d);
    expect(copyFrom(pre, 0, seq(8), 8)).toBe(0);
    expect([...a]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  test('AssignBuffer: replaces pointer and size', () => {
    const a = Buffer.alloc(8, 0xaa);
    const b = guarded(4, 0xbb);
    const pre = nt.WdfMemoryCreatePreallocated(null, a).memory!;
    expect(nt.WdfMemoryAssignBuffer(pre, b.view)).toBe(0);
    expect(copyFrom(pre, 0, seq(5), 5)).toBe(0xc0000206);
    expect(copyFrom(pre, 1, seq(3), 3)).toBe(0);
    expect([...b.view]).toEqual([0xbb, 1, 2, 3]);
    expect(a.every((x) => x === 0xaa) && b.guardsIntact()).toBe(true);
    expect(nt.WdfMemoryGetBuffer(pre).length).toBe(4);
  });
  test('GetBuffer: a view of the object\'s size bytes over the same memory; bad handle -> 0x10D', () => {
    const ab = new ArrayBuffer(32);
    const v = new Uint8Array(ab, 8, 16);
    const pre = nt.WdfMemoryCreatePreallocated(null, v, 10).memory!;
    const g = nt.WdfMemoryGetBuffer(pre);
    expect(g.length).toBe(10);
    expect(g.buffer).toBe(ab);
    expect(g.byteOffset).toBe(8);
    expectBugCheck(() => nt.WdfMemoryGetBuffer(null as never), nt.WDF_VIOLATION, [5, 0, 0x100a]);
  });
  test('ObjectDelete: NULL or already deleted -> 0x10D P3 0x1000', () => {
    expectBugCheck(() => nt.WdfObjectDelete(null as never), nt.WDF_VIOLATION, [5, 0, 0x1000]);
    const m = nt.WdfMemoryCreate(null, 0, 0, 1).memory!;
    nt.WdfObjectDelete(m);
    expectBugCheck(() => nt.WdfObjectDelete(m), nt.WDF_VIOLATION, [5, undefined, 0x1000]);
  });
});

describe('requests (SEMANTICS 1.1, 6.2 and 7.6, API.md 7)', () => {
  const IOCTL = (method: number) => nt.CTL_CODE(0x22, 0x800, method, 0);
  const U = 1, K = 0; // RequestorMode, spelled as the KPROCESSOR_MODE values of wdm.h (not the exports under test)
  // [major, ioctl method or -, RequestorMode, direction, expected status, read-only]
  const table: [string, number, number, number, 'in' | 'out', number, boolean][] = [
    ['READ output', nt.IRP_MJ_READ, 0, U, 'out', 0, false],
    ['READ input', nt.IRP_MJ_READ, 0, U, 'in', 0xc0000010, false],
    ['READ input, kernel mode', nt.IRP_MJ_READ, 0, K, 'in', 0xc0000010, false],
    ['WRITE input', nt.IRP_MJ_WRITE, 0, U, 'in', 0, true],
    ['WRITE output', nt.IRP_MJ_WRITE, 0, U, 'out', 0xc0000010, false],
    ['BUFFERED input', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(0), U, 'in', 0, false],
    ['BUFFERED output', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(0), U, 'out', 0, false],
    ['IN_DIRECT input', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(1), U, 'in', 0, true],
    ['IN_DIRECT output', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(1), U, 'out', 0, true],
    ['OUT_DIRECT input', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(2), U, 'in', 0, true],
    ['OUT_DIRECT output', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(2), U, 'out', 0, false],
    ['IN_DIRECT input, kernel mode', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(1), K, 'in', 0, true],
    ['internal IN_DIRECT input', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(1), U, 'in', 0, true],
    ['internal OUT_DIRECT output', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(2), U, 'out', 0, false],
    // S7.6: METHOD_NEITHER is refused only for IRP_MJ_DEVICE_CONTROL from a user-mode requestor
    ['S7.6 NEITHER input, user mode', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(3), U, 'in', 0xc0000010, false],
    ['S7.6 NEITHER output, user mode', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(3), U, 'out', 0xc0000010, false],
    ['S7.6 NEITHER input, kernel mode', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(3), K, 'in', 0, false],
    ['S7.6 NEITHER output, kernel mode', nt.IRP_MJ_DEVICE_CONTROL, IOCTL(3), K, 'out', 0, false],
    ['S7.6 internal NEITHER input', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(3), U, 'in', 0, false],
    ['S7.6 internal NEITHER output', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(3), U, 'out', 0, false],
    ['S7.6 internal NEITHER input, kernel mode', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(3), K, 'in', 0, false],
    ['S7.6 internal NEITHER output, kernel mode', nt.IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL(3), K, 'out', 0, false],
  ];
  test.each(table)('1.1 read-only table / 6.2 direction / S7.6 METHOD_NEITHER: %s', (_n, major, ioctl, mode, dir, status, ro) => {
    const inBuf = guarded(8, 0xaa);
    const outBuf = guarded(8, 0xaa);
    const req = nt.Sim.createRequest({
      MajorFunction: major, IoControlCode: ioctl, InputBuffer: inBuf.view, OutputBuffer: outBuf.view, RequestorMode: mode,
    });
    const r = dir === 'in' ? nt.WdfRequestRetrieveInputMemory(req) : nt.WdfRequestRetrieveOutputMemory(req);
    expect(r.status).toBe(status);
    if (status !== 0) {
      expect(r.memory).toBeNull();
      return;
    }
    const target = dir === 'in' ? inBuf : outBuf;
    const other = dir === 'in' ? outBuf : inBuf;
    expect(copyFrom(r.memory!, 0, seq(8), 8)).toBe(ro ? 0xc0000005 : 0);
    expect([...target.view]).toEqual(ro ? Array(8).fill(0xaa) : [1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...other.view]).toEqual(Array(8).fill(0xaa));
    expect(inBuf.guardsIntact() && outBuf.guardsIntact()).toBe(true);
  });
  test('S7.6: the default RequestorMode is UserMode: a METHOD_NEITHER IRP_MJ_DEVICE_CONTROL is refused', () => {
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: IOCTL(3), InputBuffer: Buffer.alloc(4), OutputBuffer: Buffer.alloc(4) });
    expect(nt.WdfRequestRetrieveInputMemory(req)).toEqual({ status: 0xc0000010, memory: null });
    expect(nt.WdfRequestRetrieveOutputMemory(req)).toEqual({ status: 0xc0000010, memory: null });
  });
  test('S7.6: KernelMode = 0 and UserMode = 1 (KPROCESSOR_MODE); a RequestorMode other than 0 or 1 is a RangeError, nothing made', () => {
    expect([nt.KernelMode, nt.UserMode]).toEqual([0, 1]);
    const live = native.liveObjects();
    for (const bad of [2, 0xff, 0xffffffff, 2n]) {
      expect(() => nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: Buffer.alloc(4), RequestorMode: bad as number })).toThrow(RangeError);
    }
    for (const bad of [-1, 1.5, NaN, 2 ** 32]) {
      expect(() => nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, RequestorMode: bad })).toThrow(RangeError);
    }
    for (const bad of ['1', null, true, {}]) {
      expect(() => nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, RequestorMode: bad as never })).toThrow(TypeError);
    }
    expect(native.liveObjects()).toBe(live);
    // bigint spellings of a ULONG are accepted, as for every ULONG parameter
    const k = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: IOCTL(3), InputBuffer: Buffer.alloc(4), RequestorMode: 0n as unknown as number });
    expect(nt.WdfRequestRetrieveInputMemory(k).status).toBe(0);
  });
  test('S7.6: for both IOCTL majors a missing or zero-length buffer is STATUS_BUFFER_TOO_SMALL before the METHOD_NEITHER refusal', () => {
    for (const major of [nt.IRP_MJ_DEVICE_CONTROL, nt.IRP_MJ_INTERNAL_DEVICE_CONTROL]) {
      for (const mode of [U, K]) {
        const none = nt.Sim.createRequest({ MajorFunction: major, IoControlCode: IOCTL(3), RequestorMode: mode });
        expect(nt.WdfRequestRetrieveInputMemory(none)).toEqual({ status: 0xc0000023, memory: null });
        expect(nt.WdfRequestRetrieveOutputMemory(none)).toEqual({ status: 0xc0000023, memory: null });
        const empty = nt.Sim.createRequest({ MajorFunction: major, IoControlCode: IOCTL(3), RequestorMode: mode, InputBuffer: new Uint8Array(0), OutputBuffer: Buffer.alloc(0) });
        expect(nt.WdfRequestRetrieveInputMemory(empty)).toEqual({ status: 0xc0000023, memory: null });
        expect(nt.WdfRequestRetrieveOutputMemory(empty)).toEqual({ status: 0xc0000023, memory: null });
      }
    }
    // READ / WRITE: the direction the request lacks still comes first (6.2)
    const read = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, RequestorMode: K });
    expect(nt.WdfRequestRetrieveInputMemory(read).status).toBe(0xc0000010);
    expect(nt.WdfRequestRetrieveOutputMemory(read).status).toBe(0xc0000023);
  });
  test('S7.6: METHOD_NEITHER memory a kernel-mode requestor gets is the buffer itself, writable, sized as it', () => {
    const inBuf = guarded(6, 0x11);
    const outBuf = guarded(10, 0x22);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: IOCTL(3), RequestorMode: K, InputBuffer: inBuf.view, OutputBuffer: outBuf.view });
    const i = nt.WdfRequestRetrieveInputMemory(req).memory!;
    const o = nt.WdfRequestRetrieveOutputMemory(req).memory!;
    expect(copyFrom(i, 0, seq(7), 7)).toBe(0xc0000206); // Type3InputBuffer: 6 bytes
    expect(copyFrom(i, 2, seq(4), 4)).toBe(0);
    expect(copyFrom(o, 0, seq(11), 11)).toBe(0xc0000206); // UserBuffer: 10 bytes
    expect(copyFrom(o, 9, seq(1, 9), 1)).toBe(0);
    expect([...inBuf.view]).toEqual([0x11, 0x11, 1, 2, 3, 4]);
    expect([...outBuf.view]).toEqual([...Array(9).fill(0x22), 9]);
    expect(inBuf.guardsIntact() && outBuf.guardsIntact()).toBe(true);
    expect(nt.WdfMemoryGetBuffer(o).buffer).toBe(outBuf.all.buffer);
  });
  test('6.2: a missing or zero-length buffer -> STATUS_BUFFER_TOO_SMALL', () => {
    const a = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ });
    expect(nt.WdfRequestRetrieveOutputMemory(a)).toEqual({ status: 0xc0000023, memory: null });
    const b = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: Buffer.alloc(0) });
    expect(nt.WdfRequestRetrieveInputMemory(b)).toEqual({ status: 0xc0000023, memory: null });
  });
  test('retrieved memory is the same handle each time, sized as the buffer, aliasing it', () => {
    const out = Buffer.alloc(6);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: out });
    const m1 = nt.WdfRequestRetrieveOutputMemory(req).memory!;
    expect(nt.WdfRequestRetrieveOutputMemory(req).memory).toBe(m1);
    expect(copyFrom(m1, 0, seq(7), 7)).toBe(0xc0000206);
    expect(nt.WdfMemoryGetBuffer(m1).buffer).toBe(out.buffer);
  });
  test('API.md 7: deleting the request makes its retrieved memory stale', () => {
    const out = guarded(4, 0xaa);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: out.view });
    const m = nt.WdfRequestRetrieveOutputMemory(req).memory!;
    expect(copyFrom(m, 0, seq(4), 4)).toBe(0);
    expect([...out.view]).toEqual([1, 2, 3, 4]);
    nt.WdfObjectDelete(req);
    expectBugCheck(() => copyFrom(m, 0, seq(4, 9), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
    expectBugCheck(() => nt.WdfRequestRetrieveOutputMemory(req), nt.WDF_VIOLATION, [5, undefined, 0x1008]);
    expectBugCheck(() => nt.WdfRequestRetrieveInputMemory(null as never), nt.WDF_VIOLATION, [5, 0, 0x1008]);
    expect([...out.view]).toEqual([1, 2, 3, 4]);
    expect(out.guardsIntact()).toBe(true);
  });
  test.each(['input', 'output'] as const)('S7.5: WdfObjectDelete on the %s memory deletes the request: both memories, the request and its children are stale (0x10D)', (which) => {
    const inBuf = guarded(4, 0x11);
    const outBuf = guarded(4, 0x22);
    const req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: IOCTL(0), InputBuffer: inBuf.view, OutputBuffer: outBuf.view });
    const i = nt.WdfRequestRetrieveInputMemory(req).memory!;
    const o = nt.WdfRequestRetrieveOutputMemory(req).memory!;
    const child = nt.WdfMemoryCreate({ ParentObject: req }, nt.NonPagedPool, 0, 4).memory!;
    const live = native.liveObjects();
    expect(nt.WdfObjectDelete(which === 'input' ? i : o)).toBeUndefined(); // the call itself returns normally
    expect(native.liveObjects()).toBe(live - 4); // request, its two memories, its child
    // P3 as for any stale handle of that kind: 0x100A for memory, 0x1008 for the request routines, 0x1000 for delete
    for (const m of [i, o, child]) {
      const b = expectBugCheck(() => copyFrom(m, 0, seq(4), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a, 0]);
      expect(b.parameters[1]).not.toBe(0n);
      expectBugCheck(() => copyTo(m, 0, Buffer.alloc(4), 4), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
      expectBugCheck(() => nt.WdfMemoryGetBuffer(m), nt.WDF_VIOLATION, [5, undefined, 0x100a]);
      expectBugCheck(() => nt.WdfObjectDelete(m), nt.WDF_VIOLATION, [5, undefined, 0x1000]);
    }
    expectBugCheck(() => nt.WdfRequestRetrieveInputMemory(req), nt.WDF_VIOLATION, [5, undefined, 0x1008]);
    expectBugCheck(() => nt.WdfRequestRetrieveOutputMemory(req), nt.WDF_VIOLATION, [5, undefined, 0x1008]);
    expectBugCheck(() => nt.WdfObjectDelete(req), nt.WDF_VIOLATION, [5, undefined, 0x1000]);
    expect([...inBuf.view]).toEqual([0x11, 0x11, 0x11, 0x11]);
    expect([...outBuf.view]).toEqual([0x22, 0x22, 0x22, 0x22]);
    expect(inBuf.guardsIntact() && outBuf.guardsIntact()).toBe(true);
  });
  test('S7.5: other requests and their memory are untouched by the delete', () => {
    const a = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: Buffer.alloc(4) });
    const b = guarded(4, 0xaa);
    const other = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: b.view });
    const mb = nt.WdfRequestRetrieveOutputMemory(other).memory!;
    nt.WdfObjectDelete(nt.WdfRequestRetrieveOutputMemory(a).memory!);
    expect(copyFrom(mb, 0, seq(4), 4)).toBe(0);
    expect([...b.view]).toEqual([1, 2, 3, 4]);
    expect(b.guardsIntact()).toBe(true);
    expect(nt.WdfRequestRetrieveOutputMemory(other).memory).toBe(mb);
  });
  test('Sim.createRequest accepts the four MajorFunction values only', () => {
    expect(() => nt.Sim.createRequest({ MajorFunction: 0x00 })).toThrow(RangeError);
    expect(() => nt.Sim.createRequest({ MajorFunction: 0x0e, IoControlCode: -1 })).toThrow(RangeError);
    expect(() => nt.Sim.createRequest(null as never)).toThrow(TypeError);
  });
  test('CTL_CODE and the transfer method IoControlCode & 3', () => {
    expect(nt.CTL_CODE(0x22, 0x800, nt.METHOD_OUT_DIRECT, 0)).toBe(0x222002);
    expect(nt.CTL_CODE(0xffff, 0xfff, 3, 3)).toBe(0xffffffff);
  });
});
