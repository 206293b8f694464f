// JS argument errors (API.md 0 and 7): every NDIS export, every integer parameter, bad handles and bad
// shapes -> TypeError / RangeError thrown before anything is read or written.
import * as nt from '../lib';
import { native } from '../lib/native';
import { seg, nbOf, bytesOf, guardsIntact } from './helpers/ndis';

/** A fresh fixture and a fingerprint of everything a call could change. */
function fixture() {
  const src = [seg([1, 2, 3, 4]), seg([5, 6, 7, 8])];
  const dst = [seg(8)];
  const s = nbOf(src, 2, 6), d = nbOf(dst);
  const nbp = nt.NdisAllocateNetBufferPool(null), nblp = nt.NdisAllocateNetBufferListPool(null);
  const nbl = nt.NdisAllocateNetBufferAndNetBufferList(nblp, 0, 0, src[0].mdl, 0, 8)!;
  const bc = new Uint32Array([77]);
  const storage = Buffer.alloc(8, 0xee);
  const fp = () => JSON.stringify([bytesOf(src), bytesOf(dst), [...bc], [...storage], native.liveObjects(),
    [s, d].map((n) => [n.DataLength, n.DataOffset, n.CurrentMdlOffset, n.CurrentMdl === null]),
    [...src, ...dst].map((x) => [x.mdl.ByteCount, x.mdl.MdlFlags, x.mdl.Next === null])]);
  return { src, dst, s, d, nbp, nblp, nbl, bc, storage, fp, m: src[0].mdl };
}
type F = ReturnType<typeof fixture>;

interface Row {
  name: string;
  args: (f: F) => unknown[];
  call: (...a: unknown[]) => unknown;
  ints?: number[]; // ULONG parameter positions
  handles?: number[]; // handle parameter positions
}

const fn = (f: (...a: never[]) => unknown) => f as unknown as (...a: unknown[]) => unknown;

const rows: Row[] = [
  { name: 'IoAllocateMdl', call: fn(nt.IoAllocateMdl), args: (f) => [f.storage, 4, false, false, null], ints: [1] },
  { name: 'NdisAllocateMdl', call: fn(nt.NdisAllocateMdl), args: (f) => [null, f.storage, 4], ints: [2], handles: [0] },
  { name: 'MmBuildMdlForNonPagedPool', call: fn(nt.MmBuildMdlForNonPagedPool), args: (f) => [f.m], handles: [0] },
  { name: 'IoFreeMdl', call: fn(nt.IoFreeMdl), args: (f) => [f.m], handles: [0] },
  { name: 'NdisFreeMdl', call: fn(nt.NdisFreeMdl), args: (f) => [f.m], handles: [0] },
  { name: 'MmGetMdlByteCount', call: fn(nt.MmGetMdlByteCount), args: (f) => [f.m], handles: [0] },
  { name: 'MmGetMdlVirtualAddress', call: fn(nt.MmGetMdlVirtualAddress), args: (f) => [f.m], handles: [0] },
  { name: 'MmGetSystemAddressForMdlSafe', call: fn(nt.MmGetSystemAddressForMdlSafe), args: (f) => [f.m, 16], ints: [1], handles: [0] },
  { name: 'NdisAllocateNetBufferPool', call: fn(nt.NdisAllocateNetBufferPool), args: () => [null, {}], handles: [0] },
  { name: 'NdisAllocateNetBufferListPool', call: fn(nt.NdisAllocateNetBufferListPool), args: () => [null, {}], handles: [0] },
  { name: 'NdisFreeNetBufferPool', call: fn(nt.NdisFreeNetBufferPool), args: (f) => [f.nbp], handles: [0] },
  { name: 'NdisFreeNetBufferListPool', call: fn(nt.NdisFreeNetBufferListPool), args: (f) => [f.nblp], handles: [0] },
  { name: 'NdisAllocateNetBuffer', call: fn(nt.NdisAllocateNetBuffer), args: (f) => [f.nbp, f.m, 1, 2], ints: [2, 3], handles: [0, 1] },
  { name: 'NdisFreeNetBuffer', call: fn(nt.NdisFreeNetBuffer), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_NEXT_NB', call: fn(nt.NET_BUFFER_NEXT_NB), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_FIRST_MDL', call: fn(nt.NET_BUFFER_FIRST_MDL), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_DATA_LENGTH', call: fn(nt.NET_BUFFER_DATA_LENGTH), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_DATA_OFFSET', call: fn(nt.NET_BUFFER_DATA_OFFSET), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_CURRENT_MDL', call: fn(nt.NET_BUFFER_CURRENT_MDL), args: (f) => [f.s], handles: [0] },
  { name: 'NET_BUFFER_CURRENT_MDL_OFFSET', call: fn(nt.NET_BUFFER_CURRENT_MDL_OFFSET), args: (f) => [f.s], handles: [0] },
  { name: 'NdisAllocateNetBufferList', call: fn(nt.NdisAllocateNetBufferList), args: (f) => [f.nblp, 0, 0], ints: [1, 2], handles: [0] },
  {
    name: 'NdisAllocateNetBufferAndNetBufferList', call: fn(nt.NdisAllocateNetBufferAndNetBufferList),
    args: (f) => [f.nblp, 0, 0, f.m, 1, 2], ints: [1, 2, 4, 5], handles: [0, 3],
  },
  { name: 'NdisFreeNetBufferList', call: fn(nt.NdisFreeNetBufferList), args: (f) => [f.nbl], handles: [0] },
  { name: 'NET_BUFFER_LIST_FIRST_NB', call: fn(nt.NET_BUFFER_LIST_FIRST_NB), args: (f) => [f.nbl], handles: [0] },
  { name: 'NET_BUFFER_LIST_NEXT_NBL', call: fn(nt.NET_BUFFER_LIST_NEXT_NBL), args: (f) => [f.nbl], handles: [0] },
  {
    name: 'NdisCopyFromNetBufferToNetBuffer', call: fn(nt.NdisCopyFromNetBufferToNetBuffer),
    args: (f) => [f.d, 1, 5, f.s, 1, f.bc], ints: [1, 2, 4], handles: [0, 3],
  },
  { name: 'NdisAdvanceNetBufferDataStart', call: fn(nt.NdisAdvanceNetBufferDataStart), args: (f) => [f.s, 1, false, null], ints: [1], handles: [0] },
  { name: 'NdisRetreatNetBufferDataStart', call: fn(nt.NdisRetreatNetBufferDataStart), args: (f) => [f.s, 1, 0, null], ints: [1, 2], handles: [0] },
  { name: 'NdisGetDataBuffer', call: fn(nt.NdisGetDataBuffer), args: (f) => [f.s, 4, f.storage, 1, 0], ints: [1, 3, 4], handles: [0] },
  { name: 'Sim.setMdlMappingFails', call: fn(nt.Sim.setMdlMappingFails), args: (f) => [f.m, true], handles: [0] },
];

const BAD_INTS: Array<[string, unknown, typeof TypeError | typeof RangeError]> = [
  ['NaN', NaN, RangeError], ['1.5', 1.5, RangeError], ['-1', -1, RangeError], ["'1'", '1', TypeError],
  ['2^32', 2 ** 32, RangeError], ['2n^32n', 2n ** 32n, RangeError], ['-1n', -1n, RangeError], ['null', null, TypeError],
  ['Infinity', Infinity, RangeError],
];
const BAD_HANDLES: Array<[string, unknown]> = [['1', 1], ["'h'", 'h'], ['{}', {}], ['a Buffer', Buffer.alloc(1)]];

describe('bad integer arguments: TypeError / RangeError before anything happens (API.md 0)', () => {
  for (const row of rows) {
    for (const pos of row.ints ?? []) {
      test(`${row.name} parameter ${pos}: NaN, 1.5, -1, '1', 2^32, ... rejected, nothing changed`, () => {
        for (const [, bad, err] of BAD_INTS) {
          const f = fixture();
          const before = f.fp();
          const args = row.args(f);
          args[pos] = bad;
          expect(() => row.call(...args)).toThrow(err);
          expect(f.fp()).toBe(before);
        }
        const f = fixture();
        const args = row.args(f);
        args[pos] = typeof args[pos] === 'number' ? BigInt(args[pos] as number) : args[pos]; // bigint ULONG accepted
        expect(() => row.call(...args)).not.toThrow();
      });
    }
  }
});

describe('values that are no ntcopy handle: TypeError before anything happens (API.md 7)', () => {
  for (const row of rows) {
    for (const pos of row.handles ?? []) {
      test(`${row.name} parameter ${pos}: 1, 'h', {}, a Buffer rejected, nothing changed`, () => {
        for (const [, bad] of BAD_HANDLES) {
          const f = fixture();
          const before = f.fp();
          const args = row.args(f);
          args[pos] = bad;
          expect(() => row.call(...args)).toThrow(TypeError);
          expect(f.fp()).toBe(before);
        }
      });
    }
  }
});

describe('other argument shapes', () => {
  test('NdisCopyFromNetBufferToNetBuffer: bigint offsets and count are the same ULONGs as numbers', () => {
    for (const big of [false, true]) {
      const f = fixture(); // source data from byte 2 of [1 2 3 4][5 6 7 8]: offset 1 is byte 4
      const u = (x: number) => (big ? BigInt(x) : x) as number;
      expect(nt.NdisCopyFromNetBufferToNetBuffer(f.d, u(1), u(5), f.s, u(1), f.bc)).toBe(nt.NDIS_STATUS_SUCCESS);
      expect(f.bc[0]).toBe(5);
      expect(bytesOf(f.dst)).toEqual([0, 4, 5, 6, 7, 8, 0, 0]);
      expect(guardsIntact(f.dst)).toBe(true);
    }
  });
  test('IoAllocateMdl: VirtualAddress null / not a view, Length over the view, Irp not null, non-boolean flags', () => {
    const f = fixture();
    const before = f.fp();
    expect(() => nt.IoAllocateMdl(null as unknown as Buffer)).toThrow(TypeError);
    expect(() => nt.IoAllocateMdl([1, 2] as unknown as Buffer)).toThrow(TypeError);
    expect(() => nt.IoAllocateMdl(f.storage, 9)).toThrow(RangeError);
    expect(() => nt.IoAllocateMdl(f.storage, 4, false, false, {} as unknown as null)).toThrow(TypeError);
    expect(() => nt.IoAllocateMdl(f.storage, 4, 1 as unknown as boolean)).toThrow(TypeError);
    expect(() => nt.NdisAllocateMdl(null, f.storage, 9)).toThrow(RangeError);
    expect(f.fp()).toBe(before);
  });
  test('field setters: ULONG fields reject bad integers; ByteCount over the described length is a RangeError', () => {
    const f = fixture();
    const before = f.fp();
    for (const [, bad, err] of BAD_INTS) {
      expect(() => { f.s.DataLength = bad as number; }).toThrow(err);
      expect(() => { f.s.DataOffset = bad as number; }).toThrow(err);
      expect(() => { f.s.CurrentMdlOffset = bad as number; }).toThrow(err);
      expect(() => { f.m.ByteCount = bad as number; }).toThrow(err);
    }
    expect(() => { f.m.ByteCount = 5; }).toThrow(RangeError);
    for (const [, bad] of BAD_HANDLES) {
      expect(() => { f.m.Next = bad as nt.PMDL; }).toThrow(TypeError);
      expect(() => { f.s.CurrentMdl = bad as nt.PMDL; }).toThrow(TypeError);
      expect(() => { f.s.MdlChain = bad as nt.PMDL; }).toThrow(TypeError);
      expect(() => { f.s.Next = bad as nt.PNET_BUFFER; }).toThrow(TypeError);
      expect(() => { f.nbl.Next = bad as nt.PNET_BUFFER_LIST; }).toThrow(TypeError);
      expect(() => { f.nbl.FirstNetBuffer = bad as nt.PNET_BUFFER; }).toThrow(TypeError);
    }
    expect(f.fp()).toBe(before);
  });
  test('handlers that are not functions, Storage that is no view, FreeMdl not a boolean, Parameters not an object', () => {
    const f = fixture();
    const before = f.fp();
    expect(() => nt.NdisAdvanceNetBufferDataStart(f.s, 1, true, 5 as unknown as null)).toThrow(TypeError);
    expect(() => nt.NdisAdvanceNetBufferDataStart(f.s, 1, 'yes' as unknown as boolean)).toThrow(TypeError);
    expect(() => nt.NdisRetreatNetBufferDataStart(f.s, 9, 0, {} as unknown as null)).toThrow(TypeError);
    expect(() => nt.NdisGetDataBuffer(f.s, 4, [0, 0, 0, 0] as unknown as Buffer, 1, 0)).toThrow(TypeError);
    expect(() => nt.NdisAllocateNetBufferPool(null, 5 as unknown as object)).toThrow(TypeError);
    expect(() => nt.Sim.setMdlMappingFails(f.m, 1 as unknown as boolean)).toThrow(TypeError);
    expect(f.fp()).toBe(before);
  });
  test('v1.2 order: a JS argument error wins over a NULL handle bug check', () => {
    expect(() => nt.NdisCopyFromNetBufferToNetBuffer(null as unknown as nt.PNET_BUFFER, -1, 0, null as unknown as nt.PNET_BUFFER, 0, new Uint32Array(1))).toThrow(RangeError);
    expect(() => nt.NdisGetDataBuffer(null as unknown as nt.PNET_BUFFER, 1, null, 3, 0)).toThrow(RangeError);
  });
});
