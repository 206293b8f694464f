// NdisCopyFromNetBufferToNetBuffer: SEMANTICS.md 2.3 steps, 2.4, 2.6 vectors, 6.1, 6.6, 6.7.
// Expected values come from the spec tables; guard bytes around every destination MDL are checked.
import * as nt from '../lib';
import { S8, D8, seg, nbOf, bytesOf, guardsIntact, bugcheck, copy, pool, newResizable } from './helpers/ndis';

const AV = 0xc0000005n;

describe('2.6 example vectors', () => {
  test('2.6 #1: D8, S8, (0,8,0) -> SUCCESS/8/10..17', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(8);
    expect(bytesOf(d.segs)).toEqual([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #3: (0,8,2) -> SUCCESS/6, source chain exhausted', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 8, s.nb, 2, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(6);
    expect(bytesOf(d.segs)).toEqual([0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0, 0]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #7: (6,8,0) -> SUCCESS/2, destination chain exhausted', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 6, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(2);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0x10, 0x11]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #9: dst [00 00][][00x6] -> SUCCESS/8 across 2 data MDLs', () => {
    const s = S8(), segs = [seg(2), seg(0), seg(6)], d = nbOf(segs), bc = new Uint32Array(1);
    expect(copy(d, 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(8);
    expect(bytesOf(segs)).toEqual([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]);
    expect(segs[1].mdl.MdlFlags).toBe(0);
    expect(guardsIntact(segs)).toBe(true);
  });
  test('2.6 #12: S8 with DataLength 2 -> SUCCESS/8 (chain-bound, not DataLength-bound)', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    s.nb.DataLength = 2;
    expect(copy(d.nb, 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(8);
    expect(bytesOf(d.segs)).toEqual([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #15: src [10..13][14..17]! -> RESOURCES/4, dst = 10 11 12 13 00..', () => {
    const segs = [seg([0x10, 0x11, 0x12, 0x13]), seg([0x14, 0x15, 0x16, 0x17], true)];
    const s = nbOf(segs), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 8, s, 0, bc)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect(bc[0]).toBe(4);
    expect(bytesOf(d.segs)).toEqual([0x10, 0x11, 0x12, 0x13, 0, 0, 0, 0]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #19: src [10 11][]![12 13] -> SUCCESS/4, zero-length MDL skipped and not mapped', () => {
    const segs = [seg([0x10, 0x11]), seg(0, true), seg([0x12, 0x13])];
    const s = nbOf(segs), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 4, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(4);
    expect(bytesOf(d.segs)).toEqual([0x10, 0x11, 0x12, 0x13, 0, 0, 0, 0]);
    expect(segs[1].mdl.MdlFlags).toBe(0);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('2.6 #25: same NB [00..07] as src and dst, (2,6,0) -> 00 01 00 01 02 03 04 05', () => {
    const segs = [seg([0, 1, 2, 3, 4, 5, 6, 7])], nb = nbOf(segs), bc = new Uint32Array(1);
    expect(copy(nb, 2, 6, nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(6);
    expect(bytesOf(segs)).toEqual([0, 1, 0, 1, 2, 3, 4, 5]);
    expect(guardsIntact(segs)).toBe(true);
  });
  test('2.6 #26: same NB [00..03][04..07], (2,6,0) -> 00 01 00 01 00 01 00 01 (sequential segments)', () => {
    const segs = [seg([0, 1, 2, 3]), seg([4, 5, 6, 7])], nb = nbOf(segs), bc = new Uint32Array(1);
    expect(copy(nb, 2, 6, nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(6);
    expect(bytesOf(segs)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(guardsIntact(segs)).toBe(true);
  });
});

describe('2.3 algorithm steps', () => {
  test('2.3 step 1: BytesCopied is written (0) even when nothing is copied', () => {
    const s = nbOf([]), d = D8(), bc = new Uint32Array([77]);
    expect(copy(d.nb, 0, 8, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
  });
  test('2.3 step 2: BytesToCopy 0 -> SUCCESS, no MDL examined or mapped', () => {
    const s = S8(), d = D8(), bc = new Uint32Array([77]);
    nt.Sim.setMdlMappingFails(s.segs[0].mdl, true);
    expect(copy(d.nb, 0, 0, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
    expect(s.segs[0].mdl.MdlFlags).toBe(0);
    expect(d.segs[0].mdl.MdlFlags).toBe(0);
  });
  test('2.3 step 2: BytesToCopy 0 with a zero-length cycle at CurrentMdl is SUCCESS (nothing examined)', () => {
    const z = seg(0);
    z.mdl.Next = z.mdl;
    const s = nt.NdisAllocateNetBuffer(pool, null, 0, 0)!;
    s.CurrentMdl = z.mdl;
    const d = D8(), bc = new Uint32Array([5]);
    expect(copy(d.nb, 0, 0, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
  });
  test('2.3 step 3: offsets are CurrentMdl + CurrentMdlOffset + Offset', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    s.nb.CurrentMdl = s.segs[1].mdl;
    s.nb.CurrentMdlOffset = 1;
    expect(copy(d.nb, 1, 8, s.nb, 1, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(2);
    expect(bytesOf(d.segs)).toEqual([0, 0x16, 0x17, 0, 0, 0, 0, 0]);
  });
  test('2.3 step 3: oversized CurrentMdlOffset carried forward into later MDLs', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    s.nb.CurrentMdlOffset = 6; // > len(first MDL) = 4
    expect(copy(d.nb, 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(2);
    expect(bytesOf(d.segs).slice(0, 2)).toEqual([0x16, 0x17]);
  });
  test('2.3 step 3: 64-bit offset arithmetic (no 32-bit wrap)', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    s.nb.CurrentMdlOffset = 0xffffffff;
    // 0xFFFFFFFF + 2 wrapped to 32 bits would be offset 1 (7 bytes); in 64 bits it is past the chain.
    expect(copy(d.nb, 0, 8, s.nb, 2, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  test('2.3 step 4a: zero-length MDLs skipped on both sides and never mapped', () => {
    const ss = [seg(0, true), seg([1, 2]), seg(0, true), seg([3])];
    const ds = [seg(0, true), seg(1), seg(0, true), seg(0, true), seg(2)];
    const bc = new Uint32Array(1);
    expect(copy(nbOf(ds), 0, 3, nbOf(ss), 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(3);
    expect(bytesOf(ds)).toEqual([1, 2, 3]);
    for (const z of [ss[0], ss[2], ds[0], ds[2], ds[3]]) expect(z.mdl.MdlFlags).toBe(0);
    expect(guardsIntact(ds)).toBe(true);
  });
  test('2.3 step 4b: bounds are the MDL chains, DataLength of neither NB consulted', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    s.nb.DataLength = 0;
    d.nb.DataLength = 1;
    expect(copy(d.nb, 0, 100, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(8);
  });
  test('2.3 step 4b: NULL CurrentMdl -> nothing copied, SUCCESS', () => {
    const s = S8(), d = D8(), bc = new Uint32Array([9]);
    d.nb.CurrentMdl = null;
    expect(copy(d.nb, 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
  });
  test('2.3 step 4c: chunk = min of both segments and what is left', () => {
    const ss = [seg([1, 2, 3]), seg([4, 5, 6, 7, 8])], ds = [seg(2), seg(5), seg(3)];
    const bc = new Uint32Array(1);
    expect(copy(nbOf(ds), 1, 6, nbOf(ss), 1, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(6);
    expect(bytesOf(ds)).toEqual([0, 2, 3, 4, 5, 6, 7, 0, 0, 0]);
    expect(guardsIntact(ds)).toBe(true);
  });
  test('2.3 step 4d: destination mapping failure -> RESOURCES with the partial count; source was mapped first', () => {
    const s = S8(), ds = [seg(3), seg(5, true)], bc = new Uint32Array(1);
    expect(copy(nbOf(ds), 0, 8, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect(bc[0]).toBe(3);
    expect(bytesOf(ds)).toEqual([0x10, 0x11, 0x12, 0, 0, 0, 0, 0]);
    expect(s.segs[0].mdl.MdlFlags).toBe(nt.MDL_MAPPED_TO_SYSTEM_VA);
    expect(ds[1].mdl.MdlFlags).toBe(0);
    expect(guardsIntact(ds)).toBe(true);
  });
  test('2.3 step 4d: mapping sets MDL_MAPPED_TO_SYSTEM_VA and MappedSystemVa; nonpaged MDLs never fail', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(s.segs[0].mdl.MappedSystemVa).toBeNull();
    expect(copy(d.nb, 0, 2, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(s.segs[0].mdl.MdlFlags).toBe(nt.MDL_MAPPED_TO_SYSTEM_VA);
    expect([...s.segs[0].mdl.MappedSystemVa!]).toEqual([0x10, 0x11, 0x12, 0x13]);
    expect(s.segs[1].mdl.MdlFlags).toBe(0); // not reached
    const f = seg([9, 9], true);
    nt.MmBuildMdlForNonPagedPool(f.mdl);
    expect(copy(d.nb, 0, 2, nbOf([f]), 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(f.mdl.MdlFlags).toBe(nt.MDL_SOURCE_IS_NONPAGED_POOL);
  });
  test('2.3 step 4e: per-segment memmove in ascending order (overlap through shared MDLs)', () => {
    // destination chain = [m1][m0] where the source chain is [m0][m1]: the second segment reads bytes
    // the first one wrote.
    const m0 = seg([1, 2]), m1 = seg([3, 4]);
    const src = nbOf([m0, m1]);
    const x0 = nt.IoAllocateMdl(m0.bytes)!, x1 = nt.IoAllocateMdl(m1.bytes)!;
    x1.Next = x0;
    const dst = nt.NdisAllocateNetBuffer(pool, x1, 0, 4)!;
    const bc = new Uint32Array(1);
    expect(copy(dst, 0, 4, src, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    // segment 1: m0 -> m1 (m1 = 1 2); segment 2: m1 (now 1 2) -> m0
    expect([...m0.bytes, ...m1.bytes]).toEqual([1, 2, 1, 2]);
  });
  test('2.3 step 5: short copy is SUCCESS with BytesCopied < BytesToCopy', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 0xffffffff, s.nb, 3, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(5);
  });
  test('2.4 post: no field of either NET_BUFFER changes', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    d.nb.DataLength = 3;
    const fields = (nb: nt.PNET_BUFFER) => [nb.Next, nb.CurrentMdl, nb.CurrentMdlOffset, nb.DataLength, nb.DataOffset, nb.MdlChain];
    const before = [fields(s.nb), fields(d.nb)];
    copy(d.nb, 1, 6, s.nb, 1, bc);
    expect([fields(s.nb), fields(d.nb)]).toEqual(before);
  });
});

describe('6.1 validity first (0x1E)', () => {
  test('6.1: NULL Destination is 0x1E even with BytesToCopy 0, BytesCopied unwritten', () => {
    const s = S8(), bc = new Uint32Array([42]);
    const e = bugcheck(() => copy(null as unknown as nt.PNET_BUFFER, 0, 0, s.nb, 0, bc));
    expect(e.bugCheckCode).toBe(nt.KMODE_EXCEPTION_NOT_HANDLED);
    expect(e.parameters[0]).toBe(AV);
    expect(bc[0]).toBe(42);
  });
  test('6.1: NULL Source, freed NB, wrong kind (an MDL) -> 0x1E, nothing written', () => {
    const s = S8(), d = D8(), bc = new Uint32Array([42]);
    expect(bugcheck(() => copy(d.nb, 0, 8, undefined as unknown as nt.PNET_BUFFER, 0, bc)).parameters[0]).toBe(AV);
    const gone = nbOf([seg([1])]);
    nt.NdisFreeNetBuffer(gone);
    expect(bugcheck(() => copy(d.nb, 0, 8, gone, 0, bc)).bugCheckCode).toBe(0x1e);
    expect(bugcheck(() => copy(d.nb, 0, 8, s.segs[0].mdl as unknown as nt.PNET_BUFFER, 0, bc)).bugCheckCode).toBe(0x1e);
    expect(bc[0]).toBe(42);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  test('6.1: NULL BytesCopied -> 0x1E; a non-Uint32Array or empty one -> TypeError', () => {
    const s = S8(), d = D8();
    expect(bugcheck(() => copy(d.nb, 0, 8, s.nb, 0, null as unknown as Uint32Array)).parameters[0]).toBe(AV);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    for (const bad of [new Uint32Array(0), new Int32Array(1), new Uint8Array(4), [0], {}, 1, s.nb]) {
      expect(() => copy(d.nb, 0, 8, s.nb, 0, bad as unknown as Uint32Array)).toThrow(TypeError);
    }
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  test('6.1: a freed MDL met by the walk -> 0x1E decided before writing', () => {
    const s = S8(), d = D8(), bc = new Uint32Array([42]);
    nt.IoFreeMdl(s.segs[1].mdl);
    const e = bugcheck(() => copy(d.nb, 0, 8, s.nb, 0, bc));
    expect(e.bugCheckCode).toBe(nt.KMODE_EXCEPTION_NOT_HANDLED);
    expect(e.parameters[0]).toBe(AV);
    expect(bc[0]).toBe(42);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.segs[0].mdl.MdlFlags).toBe(0);
    expect(copy(d.nb, 0, 4, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS); // walk ends before it
    expect(bc[0]).toBe(4);
  });
});

describe('6.6 cycles', () => {
  test('6.6: a cycle of zero-length MDLs -> 0x133 DPC_WATCHDOG_VIOLATION, nothing written', () => {
    const a = seg([1, 2]), z1 = seg(0), z2 = seg(0);
    const s = nbOf([a, z1, z2]);
    z2.mdl.Next = z1.mdl;
    const d = D8(), bc = new Uint32Array([42]);
    const e = bugcheck(() => copy(d.nb, 0, 8, s, 0, bc));
    expect(e.bugCheckCode).toBe(nt.DPC_WATCHDOG_VIOLATION);
    expect(bc[0]).toBe(42);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(a.mdl.MdlFlags).toBe(0);
    expect(copy(d.nb, 0, 2, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS); // BytesToCopy reached first
    expect(bc[0]).toBe(2);
  });
  test('6.6: mdl.Next = mdl (non-empty) is walked, bounded by the other chain', () => {
    const a = seg([1, 2, 3]);
    a.mdl.Next = a.mdl;
    const s = nt.NdisAllocateNetBuffer(pool, a.mdl, 0, 3)!;
    const d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 100, s, 1, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(8);
    expect(bytesOf(d.segs)).toEqual([2, 3, 1, 2, 3, 1, 2, 3]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('6.6: both chains cyclic -> ends at BytesToCopy; huge offsets reduced along the cycle', () => {
    const a = seg([1, 2, 3]), b = seg(4);
    a.mdl.Next = a.mdl;
    b.mdl.Next = b.mdl;
    const s = nt.NdisAllocateNetBuffer(pool, a.mdl, 0, 3)!, d = nt.NdisAllocateNetBuffer(pool, b.mdl, 0, 4)!;
    const bc = new Uint32Array(1);
    expect(copy(d, 0, 1000, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(1000);
    expect(copy(d, 0xffffffff, 1, s, 0xffffffff, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(1);
    expect(b.bytes[0xffffffff % 4]).toBe([1, 2, 3][0xffffffff % 3]);
    expect(guardsIntact([a, b])).toBe(true);
  });
});

describe('6.7 gone memory (0x50)', () => {
  test('6.7: source view detached -> 0x50 P2=0, nothing written (MdlFlags included)', () => {
    const ab = new ArrayBuffer(4);
    new Uint8Array(ab).set([5, 6, 7, 8]);
    const m0 = seg([1, 2, 3, 4]);
    const m1 = nt.IoAllocateMdl(new Uint8Array(ab))!;
    m0.mdl.Next = m1;
    const s = nt.NdisAllocateNetBuffer(pool, m0.mdl, 0, 8)!;
    structuredClone(ab, { transfer: [ab] });
    const d = D8(), bc = new Uint32Array([42]);
    const e = bugcheck(() => copy(d.nb, 0, 8, s, 0, bc));
    expect(e.bugCheckCode).toBe(nt.PAGE_FAULT_IN_NONPAGED_AREA);
    expect(e.parameters[1]).toBe(0n);
    expect(bc[0]).toBe(42);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(m0.mdl.MdlFlags).toBe(0);
    expect(copy(d.nb, 0, 4, s, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS); // gone bytes not reached
  });
  test('6.7: shrunk resizable buffer judged per byte; destination gone -> P2=1', () => {
    const rab = newResizable(8, 8);
    const dv = new Uint8Array(rab); // length-tracking
    const dm = nt.IoAllocateMdl(dv)!;
    const d = nt.NdisAllocateNetBuffer(pool, dm, 0, 8)!;
    const s = S8(), bc = new Uint32Array([42]);
    rab.resize(3);
    expect(copy(d, 0, 3, s.nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect([...dv]).toEqual([0x10, 0x11, 0x12]);
    const e = bugcheck(() => copy(d, 0, 4, s.nb, 1, bc));
    expect(e.bugCheckCode).toBe(0x50);
    expect(e.parameters[1]).toBe(1n);
    expect([...dv]).toEqual([0x10, 0x11, 0x12]);
    expect(bc[0]).toBe(3);
  });
  test('6.7: both sides of one segment gone -> the source is met first (P2=0)', () => {
    const sab = new ArrayBuffer(4), dab = new ArrayBuffer(4);
    const s = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(new Uint8Array(sab))!, 0, 4)!;
    const d = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(new Uint8Array(dab))!, 0, 4)!;
    structuredClone([sab, dab], { transfer: [sab, dab] });
    expect(bugcheck(() => copy(d, 0, 4, s, 0, new Uint32Array(1))).parameters[1]).toBe(0n);
  });
  test('6.7: a mapping failure met before the gone bytes -> RESOURCES with its partial copy', () => {
    const ab = new ArrayBuffer(4);
    const m0 = seg([1, 2]), m1 = seg([3, 4], true);
    const m2 = nt.IoAllocateMdl(new Uint8Array(ab))!;
    m0.mdl.Next = m1.mdl;
    m1.mdl.Next = m2;
    const s = nt.NdisAllocateNetBuffer(pool, m0.mdl, 0, 8)!;
    structuredClone(ab, { transfer: [ab] });
    const d = D8(), bc = new Uint32Array(1);
    expect(copy(d.nb, 0, 8, s, 0, bc)).toBe(nt.NDIS_STATUS_RESOURCES);
    expect(bc[0]).toBe(2);
    expect(bytesOf(d.segs).slice(0, 3)).toEqual([1, 2, 0]);
  });
  test('6.7: gone bytes met before a mapping failure -> 0x50, nothing written', () => {
    const ab = new ArrayBuffer(2);
    const m0 = nt.IoAllocateMdl(new Uint8Array(ab))!, m1 = seg([3, 4], true);
    m0.Next = m1.mdl;
    const s = nt.NdisAllocateNetBuffer(pool, m0, 0, 4)!;
    structuredClone(ab, { transfer: [ab] });
    const d = D8(), bc = new Uint32Array([7]);
    expect(bugcheck(() => copy(d.nb, 0, 4, s, 0, bc)).bugCheckCode).toBe(0x50);
    expect(bc[0]).toBe(7);
  });
});
