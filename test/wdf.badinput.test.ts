// Bad JS input (API.md section 0 and 7): for every WDF export and every parameter, a value of the wrong
// type or range throws TypeError / RangeError before anything is read or written.
import * as nt from '../lib';
import { native } from '../lib/native';

type Kind = 'size_t' | 'ulong' | 'handle' | 'view?' | 'attrs' | 'bool';
const BAD: Record<Kind, [unknown, 'TypeError' | 'RangeError'][]> = {
  size_t: [[NaN, 'RangeError'], [1.5, 'RangeError'], [-1, 'RangeError'], [2 ** 64, 'RangeError'], [2 ** 53, 'RangeError'],
    [Infinity, 'RangeError'], [-1n, 'RangeError'], [2n ** 64n, 'RangeError'], ['1', 'TypeError'], [null, 'TypeError'],
    [{}, 'TypeError'], [true, 'TypeError']],
  ulong: [[NaN, 'RangeError'], [1.5, 'RangeError'], [-1, 'RangeError'], [2 ** 32, 'RangeError'], [2n ** 32n, 'RangeError'],
    [-1n, 'RangeError'], ['1', 'TypeError'], [null, 'TypeError'], [Symbol('x'), 'TypeError']],
  handle: [[5, 'TypeError'], ['memory', 'TypeError'], [{}, 'TypeError'], [[], 'TypeError'], [Buffer.alloc(1), 'TypeError']],
  'view?': [['abc', 'TypeError'], [[1, 2], 'TypeError'], [new ArrayBuffer(4), 'TypeError'], [5, 'TypeError'], [{ length: 4 }, 'TypeError']],
  attrs: [[5, 'TypeError'], ['x', 'TypeError'], [{ ParentObject: 7 }, 'TypeError']],
  bool: [],
};

interface Case { name: string; args: () => unknown[]; kinds: Kind[]; call: (...a: any[]) => unknown }
const target = () => {
  const mem = nt.WdfMemoryCreatePreallocated(null, guard).memory!;
  return mem;
};
const guard = Buffer.alloc(32, 0x5a);
let mem: nt.WDFMEMORY;
let req: nt.WDFREQUEST;

const cases: Case[] = [
  { name: 'WdfMemoryCopyFromBuffer', call: nt.WdfMemoryCopyFromBuffer, kinds: ['handle', 'size_t', 'view?', 'size_t'], args: () => [mem, 0, Buffer.alloc(4, 1), 4] },
  { name: 'WdfMemoryCopyToBuffer', call: nt.WdfMemoryCopyToBuffer, kinds: ['handle', 'size_t', 'view?', 'size_t'], args: () => [mem, 0, guard.subarray(8, 12), 4] },
  { name: 'WdfMemoryCreate', call: nt.WdfMemoryCreate, kinds: ['attrs', 'ulong', 'ulong', 'size_t'], args: () => [null, 0, 0, 8] },
  { name: 'WdfMemoryCreatePreallocated', call: nt.WdfMemoryCreatePreallocated, kinds: ['attrs', 'view?', 'size_t'], args: () => [null, Buffer.alloc(8), 8] },
  { name: 'WdfMemoryAssignBuffer', call: nt.WdfMemoryAssignBuffer, kinds: ['handle', 'view?', 'size_t'], args: () => [mem, guard, 8] },
  { name: 'WdfMemoryGetBuffer', call: nt.WdfMemoryGetBuffer, kinds: ['handle'], args: () => [mem] },
  { name: 'WdfObjectDelete', call: nt.WdfObjectDelete, kinds: ['handle'], args: () => [mem] },
  { name: 'WdfRequestRetrieveInputMemory', call: nt.WdfRequestRetrieveInputMemory, kinds: ['handle'], args: () => [req] },
  { name: 'WdfRequestRetrieveOutputMemory', call: nt.WdfRequestRetrieveOutputMemory, kinds: ['handle'], args: () => [req] },
  { name: 'CTL_CODE', call: nt.CTL_CODE, kinds: ['ulong', 'ulong', 'ulong', 'ulong'], args: () => [0x22, 0x800, 0, 0] },
];

const rows: [string, number, string, unknown, string][] = [];
for (const c of cases) {
  c.kinds.forEach((k, i) => {
    for (const [v, err] of BAD[k]) rows.push([c.name, i, describe_(v), v, err]);
  });
}
function describe_(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return 'Symbol';
  if (ArrayBuffer.isView(v)) return 'Buffer';
  if (v instanceof ArrayBuffer) return 'ArrayBuffer';
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? '[array]' : typeof v === 'object' && v ? JSON.stringify(v) : String(v);
}

describe('bad JS input to WDF routines: TypeError/RangeError, nothing touched', () => {
  beforeEach(() => {
    guard.fill(0x5a);
    mem = target();
    req = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: guard });
  });
  test.each(rows)('%s argument %i = %s', (name, index, _d, value, err) => {
    const c = cases.find((x) => x.name === name)!;
    const args = c.args();
    args[index] = value;
    const live = native.liveObjects();
    let thrown: unknown;
    try {
      c.call(...args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(err === 'TypeError' ? TypeError : RangeError);
    expect(guard.every((b) => b === 0x5a)).toBe(true);
    expect(native.liveObjects()).toBe(live);
    // the object is still usable: nothing half-happened
    expect(nt.WdfMemoryCopyToBuffer(mem, 0, Buffer.alloc(1), 1)).toBe(nt.STATUS_SUCCESS);
  });
  test('a getter that throws on the attributes object propagates before anything happens', () => {
    const live = native.liveObjects();
    const attrs = { get ParentObject(): never { throw new Error('boom'); } };
    expect(() => nt.WdfMemoryCreate(attrs as never, 0, 0, 8)).toThrow('boom');
    expect(native.liveObjects()).toBe(live);
  });
  test('valid values at the edges are accepted: bigint, 2^53-1 as a number, -0', () => {
    expect(nt.WdfMemoryCopyFromBuffer(mem, 0n, Buffer.alloc(1), 1n)).toBe(0);
    expect(nt.WdfMemoryCopyFromBuffer(mem, Number.MAX_SAFE_INTEGER, Buffer.alloc(1), 1)).toBe(nt.STATUS_INVALID_BUFFER_SIZE);
    expect(nt.WdfMemoryCopyFromBuffer(mem, -0, Buffer.alloc(1), 1)).toBe(0);
    expect(nt.WdfMemoryCreate(null, 0xffffffff, 0xffffffffn as unknown as number, 1).status).toBe(0); // typed number; a bigint ULONG works too
  });
});
