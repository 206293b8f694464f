// MDL routines, NET_BUFFER / NET_BUFFER_LIST objects and the companions of SEMANTICS.md 2.5 with the
// decisions of section 6 (rules 3-5) and API.md section 7.
import * as nt from '../lib';
import { native } from '../lib/native';
import { seg, nbOf, bugcheck, pool, S8, guardsIntact } from './helpers/ndis';
import { guarded } from './helpers';

const live = (): number => native.liveObjects();

describe('MDL routines (API.md 4, SEMANTICS 2.1)', () => {
  test('MDL_* constants are the wdm.h values of SEMANTICS 0.2', () => {
    expect([nt.MDL_MAPPED_TO_SYSTEM_VA, nt.MDL_PAGES_LOCKED, nt.MDL_SOURCE_IS_NONPAGED_POOL, nt.MDL_ALLOCATED_FIXED_SIZE,
      nt.MDL_PARTIAL, nt.MDL_PARTIAL_HAS_BEEN_MAPPED, nt.MDL_IO_PAGE_READ, nt.MDL_WRITE_OPERATION,
      nt.MDL_PARENT_MAPPED_SYSTEM_VA, nt.MDL_LOCKED_PAGE_TABLES, nt.MDL_FREE_EXTRA_PTES, nt.MDL_DESCRIBES_AWE,
      nt.MDL_IO_SPACE, nt.MDL_NETWORK_HEADER, nt.MDL_MAPPING_CAN_FAIL, nt.MDL_ALLOCATED_MUST_SUCCEED,
      nt.MDL_PAGE_CONTENTS_INVARIANT, nt.MDL_INTERNAL]).toEqual([0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x100,
      0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x4000, 0x8000]);
  });
  test('IoAllocateMdl: MdlFlags 0, MappedSystemVa null, ByteCount = Length (default byteLength)', () => {
    const buf = Buffer.from([1, 2, 3, 4, 5]);
    const m = nt.IoAllocateMdl(buf)!;
    expect(m.MdlFlags).toBe(0);
    expect(m.MappedSystemVa).toBeNull();
    expect(nt.MmGetMdlByteCount(m)).toBe(5);
    expect(m.ByteCount).toBe(5);
    expect(nt.IoAllocateMdl(buf, 3)!.ByteCount).toBe(3);
    expect(() => nt.IoAllocateMdl(buf, 6)).toThrow(RangeError);
    expect(() => nt.IoAllocateMdl(null as unknown as Buffer)).toThrow(TypeError);
  });
  test('NdisAllocateMdl = IoAllocateMdl + MmBuildMdlForNonPagedPool', () => {
    const buf = new Uint8Array([7, 8, 9]);
    const m = nt.NdisAllocateMdl(null, buf)!;
    expect(m.MdlFlags).toBe(nt.MDL_SOURCE_IS_NONPAGED_POOL);
    expect([...m.MappedSystemVa!]).toEqual([7, 8, 9]);
    const i = nt.IoAllocateMdl(buf)!;
    nt.MmBuildMdlForNonPagedPool(i);
    expect(i.MdlFlags).toBe(nt.MDL_SOURCE_IS_NONPAGED_POOL);
    expect(i.MappedSystemVa).not.toBeNull();
  });
  test('MmGetMdlVirtualAddress aliases the described bytes (ByteCount of them)', () => {
    const buf = Buffer.from([1, 2, 3, 4]);
    const m = nt.IoAllocateMdl(buf.subarray(1))!;
    m.ByteCount = 2;
    const va = nt.MmGetMdlVirtualAddress(m);
    expect([...va]).toEqual([2, 3]);
    va[0] = 0xee;
    expect(buf[1]).toBe(0xee);
  });
  test('2.1 MmGetSystemAddressForMdlSafe: success sets MDL_MAPPED_TO_SYSTEM_VA; failure is null; mapped cannot fail', () => {
    const m = nt.IoAllocateMdl(Buffer.from([1, 2]))!;
    nt.Sim.setMdlMappingFails(m, true);
    expect(nt.MmGetSystemAddressForMdlSafe(m, nt.NormalPagePriority)).toBeNull();
    expect(m.MdlFlags).toBe(0);
    nt.Sim.setMdlMappingFails(m, false);
    expect([...nt.MmGetSystemAddressForMdlSafe(m, nt.NormalPagePriority)!]).toEqual([1, 2]);
    expect(m.MdlFlags).toBe(nt.MDL_MAPPED_TO_SYSTEM_VA);
    expect([...m.MappedSystemVa!]).toEqual([1, 2]);
    nt.Sim.setMdlMappingFails(m, true);
    expect(nt.MmGetSystemAddressForMdlSafe(m, nt.NormalPagePriority)).not.toBeNull();
  });
  test('ByteCount writable 0..described length, else RangeError; MdlFlags and MappedSystemVa read-only', () => {
    const m = nt.IoAllocateMdl(Buffer.alloc(6), 4)!;
    m.ByteCount = 0;
    expect(m.ByteCount).toBe(0);
    m.ByteCount = 4;
    expect(() => { m.ByteCount = 5; }).toThrow(RangeError);
    expect(m.ByteCount).toBe(4);
    expect(() => { (m as unknown as { MdlFlags: number }).MdlFlags = 1; }).toThrow(TypeError);
    expect(() => { (m as unknown as { MappedSystemVa: null }).MappedSystemVa = null; }).toThrow(TypeError);
  });
  test('Next is writable and returns the same handle object', () => {
    const a = seg([1]), b = seg([2]);
    a.mdl.Next = b.mdl;
    expect(a.mdl.Next).toBe(b.mdl);
    a.mdl.Next = null;
    expect(a.mdl.Next).toBeNull();
    const nb = nbOf([]);
    expect(bugcheck(() => { a.mdl.Next = nb as unknown as nt.PMDL; }).bugCheckCode).toBe(0x1e); // wrong kind
  });
  test('IoFreeMdl / NdisFreeMdl free; a double free or NULL is 0x1E', () => {
    const before = live();
    const m = nt.IoAllocateMdl(Buffer.alloc(1))!;
    const n = nt.NdisAllocateMdl(null, Buffer.alloc(1))!;
    expect(live()).toBe(before + 2);
    nt.IoFreeMdl(m);
    nt.NdisFreeMdl(n);
    expect(live()).toBe(before);
    expect(bugcheck(() => nt.IoFreeMdl(m)).parameters[0]).toBe(0xc0000005n);
    expect(bugcheck(() => nt.NdisFreeMdl(n)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.IoFreeMdl(null as unknown as nt.PMDL)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.MmGetMdlByteCount(m)).bugCheckCode).toBe(0x1e);
  });
});

describe('NET_BUFFERs and NET_BUFFER_LISTs', () => {
  test('6.3: NdisAllocateNetBuffer derives the cursor, skipping leading zero-length MDLs', () => {
    const segs = [seg(0), seg(4), seg(0), seg(4)];
    const nb = nbOf(segs, 0, 8);
    expect(nb.MdlChain).toBe(segs[0].mdl);
    expect(nb.CurrentMdl).toBe(segs[1].mdl);
    expect(nb.CurrentMdlOffset).toBe(0);
    const nb2 = nt.NdisAllocateNetBuffer(pool, segs[0].mdl, 5, 3)!;
    expect(nb2.CurrentMdl).toBe(segs[3].mdl);
    expect(nb2.CurrentMdlOffset).toBe(1);
    expect(nb2.DataOffset).toBe(5);
    expect(nb2.DataLength).toBe(3);
  });
  test('6.3: DataOffset at or past the chain end -> CurrentMdl null, offset = DataOffset - chain length', () => {
    const segs = [seg(4), seg(4)];
    const nb = nbOf(segs, 8, 0);
    expect(nb.CurrentMdl).toBeNull();
    expect(nb.CurrentMdlOffset).toBe(0);
    const nb2 = nt.NdisAllocateNetBuffer(pool, segs[0].mdl, 11, 0)!;
    expect(nb2.CurrentMdlOffset).toBe(3);
    const nb3 = nt.NdisAllocateNetBuffer(pool, null, 7, 0)!;
    expect(nb3.CurrentMdl).toBeNull();
    expect(nb3.CurrentMdlOffset).toBe(7);
  });
  test('six NET_BUFFER fields read/write; NET_BUFFER_* accessors read them', () => {
    const a = seg(4), b = seg(4);
    const nb = nbOf([a, b]), other = nbOf([]);
    nb.Next = other;
    nb.CurrentMdl = b.mdl;
    nb.CurrentMdlOffset = 3;
    nb.DataLength = 5;
    nb.DataOffset = 7;
    nb.MdlChain = b.mdl;
    expect(nt.NET_BUFFER_NEXT_NB(nb)).toBe(other);
    expect(nt.NET_BUFFER_CURRENT_MDL(nb)).toBe(b.mdl);
    expect(nt.NET_BUFFER_CURRENT_MDL_OFFSET(nb)).toBe(3);
    expect(nt.NET_BUFFER_DATA_LENGTH(nb)).toBe(5);
    expect(nt.NET_BUFFER_DATA_OFFSET(nb)).toBe(7);
    expect(nt.NET_BUFFER_FIRST_MDL(nb)).toBe(b.mdl);
    expect(() => { nb.DataLength = -1; }).toThrow(RangeError);
    expect(() => { nb.DataOffset = 2 ** 32; }).toThrow(RangeError);
    expect(() => { nb.CurrentMdl = 5 as unknown as nt.PMDL; }).toThrow(TypeError);
  });
  test('NdisFreeNetBuffer; a freed NET_BUFFER is 0x1E on any use', () => {
    const nb = nbOf([seg(1)]);
    nt.NdisFreeNetBuffer(nb);
    expect(bugcheck(() => nb.DataLength).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NET_BUFFER_DATA_LENGTH(nb)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisFreeNetBuffer(nb)).bugCheckCode).toBe(0x1e);
  });
  test('pools: the wrong kind of pool is 0x1E; pools can be freed', () => {
    const nbp = nt.NdisAllocateNetBufferPool(null, {}), nblp = nt.NdisAllocateNetBufferListPool(null);
    expect(bugcheck(() => nt.NdisAllocateNetBuffer(nblp, null, 0, 0)).parameters[0]).toBe(0xc0000005n);
    expect(bugcheck(() => nt.NdisAllocateNetBufferList(nbp, 0, 0)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisAllocateNetBufferAndNetBufferList(nbp, 0, 0, null, 0, 0)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisFreeNetBufferPool(nblp)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisFreeNetBufferListPool(nbp)).bugCheckCode).toBe(0x1e);
    nt.NdisFreeNetBufferPool(nbp);
    nt.NdisFreeNetBufferListPool(nblp);
    expect(bugcheck(() => nt.NdisFreeNetBufferPool(nbp)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisAllocateNetBuffer(null as unknown as nt.NDIS_HANDLE, null, 0, 0)).bugCheckCode).toBe(0x1e);
  });
  test('NET_BUFFER_LISTs: fields, accessors, and NdisFreeNetBufferList frees the NB allocated with it', () => {
    const nblp = nt.NdisAllocateNetBufferListPool(null);
    const m = seg([1, 2, 3, 4]);
    const before = live();
    const l1 = nt.NdisAllocateNetBufferAndNetBufferList(nblp, 0, 0, m.mdl, 1, 3)!;
    const nb = nt.NET_BUFFER_LIST_FIRST_NB(l1)!;
    expect(live()).toBe(before + 2);
    expect(nb.MdlChain).toBe(m.mdl);
    expect(nb.DataOffset).toBe(1);
    expect(nb.CurrentMdlOffset).toBe(1);
    const l2 = nt.NdisAllocateNetBufferList(nblp, 16, 0)!;
    expect(l2.FirstNetBuffer).toBeNull();
    l1.Next = l2;
    expect(nt.NET_BUFFER_LIST_NEXT_NBL(l1)).toBe(l2);
    l2.FirstNetBuffer = nb;
    expect(l2.FirstNetBuffer).toBe(nb);
    nt.NdisFreeNetBufferList(l1);
    expect(live()).toBe(before + 1);
    expect(bugcheck(() => nb.DataLength).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => nt.NdisFreeNetBufferList(l1)).bugCheckCode).toBe(0x1e);
    nt.NdisFreeNetBufferList(l2);
    expect(live()).toBe(before);
  });
});

describe('2.5 / 6.5 NdisAdvanceNetBufferDataStart', () => {
  test('2.5 Advance: DataOffset += Delta, DataLength -= Delta, cursor re-derived from MdlChain', () => {
    const segs = [seg(3), seg(0), seg(5)];
    const nb = nbOf(segs, 1, 7);
    nt.NdisAdvanceNetBufferDataStart(nb, 2, false);
    expect([nb.DataOffset, nb.DataLength]).toEqual([3, 5]);
    expect(nb.CurrentMdl).toBe(segs[2].mdl); // the zero-length MDL is skipped
    expect(nb.CurrentMdlOffset).toBe(0);
    nt.NdisAdvanceNetBufferDataStart(nb, 5, true);
    expect(nb.CurrentMdl).toBeNull();
    expect(nb.CurrentMdlOffset).toBe(0);
    expect(nb.MdlChain).toBe(segs[0].mdl); // the caller's MDLs are never freed
  });
  test('2.5 Advance: Delta > DataLength is a RangeError, nothing changed', () => {
    const nb = nbOf([seg(4)], 0, 2);
    expect(() => nt.NdisAdvanceNetBufferDataStart(nb, 3, false)).toThrow(RangeError);
    expect([nb.DataOffset, nb.DataLength]).toEqual([0, 2]);
  });
  test('6.5: with FreeMdl, Retreat-allocated MDLs wholly before the new start are freed and DataOffset drops', () => {
    const a = seg(4);
    const nb = nbOf([a], 0, 4);
    expect(nt.NdisRetreatNetBufferDataStart(nb, 6, 0)).toBe(nt.NDIS_STATUS_SUCCESS);
    const r = nb.MdlChain!;
    expect(r.ByteCount).toBe(6);
    const before = live();
    nt.NdisAdvanceNetBufferDataStart(nb, 4, true); // still inside the new MDL: kept
    expect(nb.MdlChain).toBe(r);
    expect(live()).toBe(before);
    nt.NdisAdvanceNetBufferDataStart(nb, 3, true);
    expect(live()).toBe(before - 1);
    expect(nb.MdlChain).toBe(a.mdl);
    expect([nb.DataOffset, nb.DataLength]).toEqual([1, 3]);
    expect(nb.CurrentMdl).toBe(a.mdl);
    expect(nb.CurrentMdlOffset).toBe(1);
    expect(bugcheck(() => r.ByteCount).bugCheckCode).toBe(0x1e);
  });
  test('6.5: FreeMdl false keeps the Retreat MDL linked', () => {
    const a = seg(4), nb = nbOf([a], 0, 4);
    nt.NdisRetreatNetBufferDataStart(nb, 2, 0);
    const r = nb.MdlChain;
    nt.NdisAdvanceNetBufferDataStart(nb, 3, false);
    expect(nb.MdlChain).toBe(r);
    expect([nb.DataOffset, nb.CurrentMdlOffset]).toEqual([3, 1]);
    expect(nb.CurrentMdl).toBe(a.mdl);
  });
  test('6.5: FreeMdlHandler receives each freed MDL and frees it itself', () => {
    const a = seg(4), nb = nbOf([a], 0, 4);
    nt.NdisRetreatNetBufferDataStart(nb, 2, 0);
    const r1 = nb.MdlChain!;
    nt.NdisRetreatNetBufferDataStart(nb, 3, 0);
    const r2 = nb.MdlChain!;
    const seen: nt.PMDL[] = [];
    const before = live();
    nt.NdisAdvanceNetBufferDataStart(nb, 6, true, (m) => { seen.push(m); nt.NdisFreeMdl(m); });
    expect(seen).toEqual([r2, r1]);
    expect(live()).toBe(before - 2);
    expect(nb.MdlChain).toBe(a.mdl);
    expect([nb.DataOffset, nb.DataLength]).toEqual([1, 3]);
  });
  test('6.5: a throwing FreeMdlHandler propagates; the MDLs handled before it stay unlinked', () => {
    const a = seg(4), nb = nbOf([a], 0, 4);
    nt.NdisRetreatNetBufferDataStart(nb, 2, 0);
    const r1 = nb.MdlChain!;
    nt.NdisRetreatNetBufferDataStart(nb, 3, 0);
    let calls = 0;
    expect(() => nt.NdisAdvanceNetBufferDataStart(nb, 6, true, () => { calls++; throw new Error('boom'); })).toThrow('boom');
    expect(calls).toBe(1);
    expect(nb.MdlChain).toBe(r1); // the first (handled) MDL is unlinked, the second still linked
    expect(nb.DataOffset).toBe(3);
    expect(nb.DataLength).toBe(3);
  });
});

describe('2.5 / 6.4 NdisRetreatNetBufferDataStart', () => {
  test('2.5 Retreat in place when DataOffset >= Delta', () => {
    const segs = [seg(4), seg(4)], nb = nbOf(segs, 6, 2);
    expect(nt.NdisRetreatNetBufferDataStart(nb, 3, 100)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect([nb.DataOffset, nb.DataLength, nb.CurrentMdlOffset]).toEqual([3, 5, 3]);
    expect(nb.CurrentMdl).toBe(segs[0].mdl);
    expect(nb.MdlChain).toBe(segs[0].mdl);
  });
  test('6.4: DataOffset 0 -> a library MDL of Delta + DataBackFill bytes, DataOffset = DataBackFill', () => {
    const a = seg([1, 2]), nb = nbOf([a], 0, 2);
    expect(nt.NdisRetreatNetBufferDataStart(nb, 3, 5)).toBe(nt.NDIS_STATUS_SUCCESS);
    const m = nb.MdlChain!;
    expect(m.ByteCount).toBe(8);
    expect(m.Next).toBe(a.mdl);
    expect(nb.CurrentMdl).toBe(m);
    expect([nb.DataOffset, nb.CurrentMdlOffset, nb.DataLength]).toEqual([5, 5, 5]);
    expect(m.MdlFlags).toBe(nt.MDL_SOURCE_IS_NONPAGED_POOL);
  });
  test('6.4: 0 < DataOffset < Delta -> the MDL holds only the shortfall (Delta - DataOffset) + DataBackFill', () => {
    const a = seg([1, 2, 3, 4]), nb = nbOf([a], 2, 2);
    expect(nt.NdisRetreatNetBufferDataStart(nb, 5, 4)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(nb.MdlChain!.ByteCount).toBe(3 + 4);
    expect([nb.DataOffset, nb.CurrentMdlOffset, nb.DataLength]).toEqual([4, 4, 7]);
    // the data is contiguous: 3 new bytes then the whole of a from offset 0
    const bc = new Uint32Array(1);
    const dst = nbOf([seg(7)]);
    nb.MdlChain!.MappedSystemVa!.fill(9);
    expect(nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 7, nb, 0, bc)).toBe(0);
    expect([...nt.MmGetMdlVirtualAddress(dst.MdlChain!)]).toEqual([9, 9, 9, 1, 2, 3, 4]);
  });
  test('6.4: AllocateMdlHandler(Size) with ByteCount L >= Size -> DataOffset = CurrentMdlOffset = L - (Delta - old DataOffset)', () => {
    const a = seg(4), nb = nbOf([a], 1, 3);
    const h = seg(10);
    const sizes: number[] = [];
    expect(nt.NdisRetreatNetBufferDataStart(nb, 4, 2, (size) => { sizes.push(size); return h.mdl; })).toBe(0);
    expect(sizes).toEqual([5]);
    expect(nb.MdlChain).toBe(h.mdl);
    expect(nb.CurrentMdl).toBe(h.mdl);
    expect(h.mdl.Next).toBe(a.mdl);
    expect([nb.DataOffset, nb.CurrentMdlOffset, nb.DataLength]).toEqual([10 - 3, 7, 7]);
  });
  test('6.4: handler returns null or a too-small MDL -> NDIS_STATUS_RESOURCES, nothing changed', () => {
    const a = seg(4), nb = nbOf([a], 0, 4);
    const snap = () => [nb.MdlChain, nb.CurrentMdl, nb.DataOffset, nb.DataLength, nb.CurrentMdlOffset];
    const before = snap();
    expect(nt.NdisRetreatNetBufferDataStart(nb, 4, 0, () => null)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect(nt.NdisRetreatNetBufferDataStart(nb, 4, 0, () => seg(3).mdl)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect(snap()).toEqual(before);
  });
  test('6.4: a throwing handler propagates; a non-MDL or freed result is a TypeError; nothing changed', () => {
    const a = seg(4), nb = nbOf([a], 0, 4);
    expect(() => nt.NdisRetreatNetBufferDataStart(nb, 4, 0, () => { throw new Error('alloc'); })).toThrow('alloc');
    expect(() => nt.NdisRetreatNetBufferDataStart(nb, 4, 0, () => nb as unknown as nt.PMDL)).toThrow(TypeError);
    const f = seg(8);
    nt.IoFreeMdl(f.mdl);
    expect(() => nt.NdisRetreatNetBufferDataStart(nb, 4, 0, () => f.mdl)).toThrow(TypeError);
    expect(nb.MdlChain).toBe(a.mdl);
    expect([nb.DataOffset, nb.DataLength]).toEqual([0, 4]);
  });
  test('6.4: DataLength + Delta over 0xFFFFFFFF is a RangeError; a library MDL over 2^31 bytes is RESOURCES', () => {
    const nb = nbOf([seg(4)], 0, 0xfffffff0);
    expect(() => nt.NdisRetreatNetBufferDataStart(nb, 0x10, 0)).toThrow(RangeError);
    nb.DataLength = 4;
    expect(nt.NdisRetreatNetBufferDataStart(nb, 1, 0x80000000)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect([nb.DataOffset, nb.DataLength]).toEqual([0, 4]);
  });
});

describe('2.5 NdisGetDataBuffer (order of the v1.2 clarification)', () => {
  test('2.5 GetDataBuffer: BytesNeeded 0 -> null; DataLength < BytesNeeded -> null', () => {
    const s = S8();
    expect(nt.NdisGetDataBuffer(s.nb, 0, Buffer.alloc(8), 1, 0)).toBeNull();
    s.nb.DataLength = 3;
    expect(nt.NdisGetDataBuffer(s.nb, 4, Buffer.alloc(8), 1, 0)).toBeNull();
  });
  test('2.5 GetDataBuffer: contiguous -> a view into the mapped MDL (aliasing it), MDL mapped', () => {
    const s = S8();
    const v = nt.NdisGetDataBuffer(s.nb, 3, null, 1, 0) as Uint8Array;
    expect([...v]).toEqual([0x10, 0x11, 0x12]);
    v[0] = 0xaa;
    expect(s.segs[0].bytes[0]).toBe(0xaa);
    expect(s.segs[0].mdl.MdlFlags).toBe(nt.MDL_MAPPED_TO_SYSTEM_VA);
  });
  test('2.5 GetDataBuffer: alignment judged on view.byteOffset + k', () => {
    const ab = new ArrayBuffer(16);
    new Uint8Array(ab).set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const m = nt.IoAllocateMdl(new Uint8Array(ab, 3, 8))!;
    const nb = nt.NdisAllocateNetBuffer(pool, m, 1, 7)!; // data at byteOffset 4
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 4, 0) as Uint8Array)]).toEqual([4, 5]);
    expect(nt.NdisGetDataBuffer(nb, 2, null, 8, 0)).toBeNull(); // 4 % 8 != 0, no Storage
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 8, 4) as Uint8Array)]).toEqual([4, 5]);
    const st = Buffer.alloc(2);
    expect(nt.NdisGetDataBuffer(nb, 2, st, 8, 0)).toBe(st); // misaligned: copied into Storage
    expect([...st]).toEqual([4, 5]);
  });
  test('2.5 GetDataBuffer: not contiguous -> copied into Storage, the same object returned', () => {
    const s = S8(), st = new Uint8Array(10).fill(0xee);
    s.nb.CurrentMdlOffset = 2;
    expect(nt.NdisGetDataBuffer(s.nb, 4, st, 1, 0)).toBe(st);
    expect([...st]).toEqual([0x12, 0x13, 0x14, 0x15, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
    expect(nt.NdisGetDataBuffer(s.nb, 4, null, 1, 0)).toBeNull();
  });
  test('2.5 GetDataBuffer: Storage shorter than BytesNeeded -> 0xD6 (after the contiguous check)', () => {
    const s = S8();
    expect(nt.NdisGetDataBuffer(s.nb, 3, Buffer.alloc(1), 1, 0)).not.toBeNull(); // contiguous: Storage unused
    const e = bugcheck(() => nt.NdisGetDataBuffer(s.nb, 6, Buffer.alloc(5), 1, 0));
    expect(e.bugCheckCode).toBe(nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
    expect(e.parameters[1]).toBe(1n);
  });
  test('2.5 GetDataBuffer: chain shorter than needed or a mapping failure -> null, Storage unwritten', () => {
    const s = S8(), st = Buffer.alloc(8, 0xee);
    s.nb.CurrentMdlOffset = 3;
    expect(nt.NdisGetDataBuffer(s.nb, 6, st, 1, 0)).toBeNull(); // 5 bytes left in the chain
    expect([...st]).toEqual(new Array(8).fill(0xee));
    const t = nbOf([seg([1, 2]), seg([3, 4], true)]);
    expect(nt.NdisGetDataBuffer(t, 4, st, 1, 0)).toBeNull();
    expect([...st]).toEqual(new Array(8).fill(0xee));
  });
  test('2.5 GetDataBuffer: gone bytes -> 0x50; mapping failure on a contiguous MDL -> null', () => {
    const ab = new ArrayBuffer(4);
    const m = nt.IoAllocateMdl(new Uint8Array(ab))!;
    const nb = nt.NdisAllocateNetBuffer(pool, m, 0, 4)!;
    nt.Sim.setMdlMappingFails(m, true);
    expect(nt.NdisGetDataBuffer(nb, 2, null, 1, 0)).toBeNull();
    nt.Sim.setMdlMappingFails(m, false);
    structuredClone(ab, { transfer: [ab] });
    expect(bugcheck(() => nt.NdisGetDataBuffer(nb, 2, null, 1, 0)).bugCheckCode).toBe(0x50);
    expect(m.MdlFlags).toBe(0);
  });
  test('2.5 GetDataBuffer: AlignMultiple not a power of two, AlignOffset >= AlignMultiple -> RangeError', () => {
    const s = S8();
    expect(() => nt.NdisGetDataBuffer(s.nb, 1, null, 3, 0)).toThrow(RangeError);
    expect(() => nt.NdisGetDataBuffer(s.nb, 1, null, 0, 0)).toThrow(RangeError);
    expect(() => nt.NdisGetDataBuffer(s.nb, 1, null, 4, 4)).toThrow(RangeError);
    expect(bugcheck(() => nt.NdisGetDataBuffer(null as unknown as nt.PNET_BUFFER, 1, null, 1, 0)).bugCheckCode).toBe(0x1e);
  });
});

// SEMANTICS 7.3 (API.md 7, v1.3): a cursor at or past CurrentMdl's ByteCount carries into later MDLs as the
// copy's seek does (2.3 step 3); contiguity, alignment and mapping are judged in the MDL it lands in.
describe('S7.3 NdisGetDataBuffer with CurrentMdlOffset at or past CurrentMdl', () => {
  test('S7.3 GetDataBuffer: CurrentMdlOffset == ByteCount lands at the next MDL\'s first byte: a view into that MDL', () => {
    const s = S8(); // [10 11 12 13][14 15 16 17], DataLength 8
    s.nb.CurrentMdlOffset = 4;
    const v = nt.NdisGetDataBuffer(s.nb, 4, null, 1, 0) as Uint8Array;
    expect([...v]).toEqual([0x14, 0x15, 0x16, 0x17]);
    v[0] = 0xaa; // aliases the second MDL's bytes
    expect([...s.segs[1].bytes]).toEqual([0xaa, 0x15, 0x16, 0x17]);
    expect([...s.segs[0].bytes]).toEqual([0x10, 0x11, 0x12, 0x13]);
    expect(s.segs[1].mdl.MdlFlags).toBe(nt.MDL_MAPPED_TO_SYSTEM_VA);
    expect(s.segs[0].mdl.MdlFlags).toBe(0); // passed over, never mapped
    expect(guardsIntact(s.segs)).toBe(true);
    expect([s.nb.CurrentMdl, s.nb.CurrentMdlOffset]).toEqual([s.segs[0].mdl, 4]); // the NET_BUFFER is not changed
  });
  test('S7.3 GetDataBuffer: CurrentMdlOffset past ByteCount carries the rest: contiguous in the landing MDL or copied', () => {
    const s = S8();
    s.nb.CurrentMdlOffset = 5; // lands at [14 15 16 17] offset 1
    expect([...(nt.NdisGetDataBuffer(s.nb, 3, null, 1, 0) as Uint8Array)]).toEqual([0x15, 0x16, 0x17]);
    const st = guarded(8, 0xee);
    // 4 bytes: DataLength (8) allows it, but the chain holds 3 after the carried cursor: null, Storage unwritten
    expect(nt.NdisGetDataBuffer(s.nb, 4, st.view, 1, 0)).toBeNull();
    expect([...st.view]).toEqual(new Array(8).fill(0xee));
    expect(st.guardsIntact()).toBe(true);
    // past the whole chain: no MDL to land in, so never contiguous
    s.nb.CurrentMdlOffset = 8;
    expect(nt.NdisGetDataBuffer(s.nb, 1, null, 1, 0)).toBeNull();
    expect(nt.NdisGetDataBuffer(s.nb, 1, st.view, 1, 0)).toBeNull();
    expect([...st.view]).toEqual(new Array(8).fill(0xee));
    expect(guardsIntact(s.segs)).toBe(true);
  });
  test('S7.3 GetDataBuffer: over several MDLs, into Storage from the carried cursor', () => {
    const segs = [seg([1, 2]), seg([3, 4, 5]), seg([6, 7, 8, 9])];
    const nb = nbOf(segs);
    nb.CurrentMdlOffset = 4; // 2 + 2: lands at [3 4 5] offset 2
    const st = guarded(6, 0xee);
    expect(nt.NdisGetDataBuffer(nb, 3, st.view, 1, 0)).toBe(st.view); // 5 | 6 7: not contiguous
    expect([...st.view]).toEqual([5, 6, 7, 0xee, 0xee, 0xee]);
    expect(st.guardsIntact() && guardsIntact(segs)).toBe(true);
    nb.CurrentMdlOffset = 6; // 2 + 3 + 1: lands at [6 7 8 9] offset 1
    expect([...(nt.NdisGetDataBuffer(nb, 3, null, 1, 0) as Uint8Array)]).toEqual([7, 8, 9]);
    expect(segs.map((x) => x.mdl.MdlFlags)).toEqual([0, nt.MDL_MAPPED_TO_SYSTEM_VA, nt.MDL_MAPPED_TO_SYSTEM_VA]);
  });
  test('S7.3 GetDataBuffer: a zero-length CurrentMdl is passed over (never mapped); the data starts in the next MDL', () => {
    const segs = [seg([]), seg([0x10, 0x11, 0x12, 0x13]), seg([0x14, 0x15, 0x16, 0x17])];
    const nb = nbOf(segs);
    nt.Sim.setMdlMappingFails(segs[0].mdl, true); // would make the call return null if it were mapped
    nb.CurrentMdl = segs[0].mdl;
    nb.CurrentMdlOffset = 0;
    const v = nt.NdisGetDataBuffer(nb, 4, null, 1, 0) as Uint8Array;
    expect([...v]).toEqual([0x10, 0x11, 0x12, 0x13]);
    expect(v.buffer).toBe(segs[1].backing.buffer);
    nb.CurrentMdlOffset = 3; // 0 + 3: lands at [10 11 12 13] offset 3
    const st = guarded(4, 0xee);
    expect(nt.NdisGetDataBuffer(nb, 2, st.view, 1, 0)).toBe(st.view);
    expect([...st.view]).toEqual([0x13, 0x14, 0xee, 0xee]);
    expect(st.guardsIntact() && guardsIntact(segs)).toBe(true);
    expect(segs[0].mdl.MdlFlags).toBe(0);
  });
  test('S7.3 GetDataBuffer: alignment is judged on the landing MDL\'s bytes, not CurrentMdl\'s', () => {
    const ab = new ArrayBuffer(32);
    new Uint8Array(ab).forEach((_, i, a) => { a[i] = i; });
    const m1 = nt.IoAllocateMdl(new Uint8Array(ab, 0, 3))!; // bytes 0..2
    const m2 = nt.IoAllocateMdl(new Uint8Array(ab, 8, 8))!; // bytes 8..15
    m1.Next = m2;
    const nb = nt.NdisAllocateNetBuffer(pool, m1, 0, 11)!;
    nb.CurrentMdlOffset = 3; // lands at byteOffset 8
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 8, 0) as Uint8Array)]).toEqual([8, 9]);
    nb.CurrentMdlOffset = 4; // lands at byteOffset 9: 9 % 8 == 1
    expect(nt.NdisGetDataBuffer(nb, 2, null, 8, 0)).toBeNull();
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 8, 1) as Uint8Array)]).toEqual([9, 10]);
    const st = new Uint8Array(2);
    expect(nt.NdisGetDataBuffer(nb, 2, st, 8, 0)).toBe(st); // misaligned: copied
    expect([...st]).toEqual([9, 10]);
  });
  test('S7.3 GetDataBuffer: a mapping failure or gone bytes of the landing MDL decide, not those of CurrentMdl', () => {
    /** [1 2] then `second`, CurrentMdl = the first at `offset`. */
    const carried = (first: ReturnType<typeof seg>, second: nt.PMDL, offset: number) => {
      first.mdl.Next = second;
      const nb = nt.NdisAllocateNetBuffer(pool, first.mdl, 0, 2 + nt.MmGetMdlByteCount(second))!;
      nb.CurrentMdlOffset = offset;
      return nb;
    };
    const ab = new ArrayBuffer(4);
    new Uint8Array(ab).set([5, 6, 7, 8]);
    const a = seg([1, 2]);
    const nb = carried(a, nt.IoAllocateMdl(new Uint8Array(ab))!, 2);
    nt.Sim.setMdlMappingFails(a.mdl, true); // passed over: no effect
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 1, 0) as Uint8Array)]).toEqual([5, 6]);
    const c = seg([1, 2]);
    const d = seg([3, 4], true);
    expect(nt.NdisGetDataBuffer(carried(c, d.mdl, 2), 2, null, 1, 0)).toBeNull(); // the landing MDL cannot be mapped
    const ab2 = new ArrayBuffer(4);
    const e = seg([1, 2]);
    const f = nt.IoAllocateMdl(new Uint8Array(ab2))!;
    const nb3 = carried(e, f, 3);
    structuredClone(ab2, { transfer: [ab2] });
    const err = bugcheck(() => nt.NdisGetDataBuffer(nb3, 2, null, 1, 0));
    expect(err.bugCheckCode).toBe(nt.PAGE_FAULT_IN_NONPAGED_AREA);
    expect([e.mdl.MdlFlags, f.MdlFlags]).toEqual([0, 0]); // decided before anything is written
    expect(guardsIntact([a, c, d, e])).toBe(true);
  });
});
