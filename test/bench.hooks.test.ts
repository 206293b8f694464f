// The benchmark's native floor loop (benchRunsPrepare / benchRunsCopy, bench/cases/ndis.mjs): not part
// of the API, but reachable from JS, so bad input is refused and no JS action leaves it writing memory
// it does not hold.
import { native } from '../lib/native';

describe('bench floor hooks', () => {
  test('bad input is refused: not an array, not view pairs, unequal lengths, unknown plan', () => {
    expect(native.benchRunsPrepare(42)).toBeUndefined();
    expect(native.benchRunsPrepare([[1, 2]])).toBeUndefined();
    expect(native.benchRunsPrepare([[new Uint8Array(2), new Uint8Array(3)]])).toBeUndefined();
    expect(native.benchRunsCopy(1e9)).toBeUndefined();
  });

  test('copies the segments in order, neighbours merged, nothing outside them', () => {
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const dst = new Uint8Array(10).fill(0xee);
    // [1..4) -> [2..5) and [4..6) -> [5..7): contiguous on both sides, one run
    const id = native.benchRunsPrepare([[dst.subarray(2, 5), src.subarray(1, 4)], [dst.subarray(5, 7), src.subarray(4, 6)]]);
    expect(typeof id).toBe('number');
    native.benchRunsCopy(id);
    expect([...dst]).toEqual([0xee, 0xee, 2, 3, 4, 5, 6, 0xee, 0xee, 0xee]);
  });

  test('a destination transferred away after prepare: the loop writes nothing, no crash', () => {
    const src = Uint8Array.from([9, 8, 7, 6]);
    const dst = new Uint8Array(4);
    const id = native.benchRunsPrepare([[dst, src]]);
    const moved = structuredClone(dst.buffer, { transfer: [dst.buffer] });
    expect(dst.byteLength).toBe(0);
    native.benchRunsCopy(id); // Node-API holds the ArrayBuffer, not its memory: checked at every run
    expect([...new Uint8Array(moved)]).toEqual([0, 0, 0, 0]);
  });

  test('a resizable source shrunk below its run after prepare: nothing copied', () => {
    const rab = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer & { resize(n: number): void })(8, { maxByteLength: 8 });
    new Uint8Array(rab).fill(5);
    const dst = new Uint8Array(4);
    const id = native.benchRunsPrepare([[dst, new Uint8Array(rab, 4, 4)]]);
    rab.resize(6);
    native.benchRunsCopy(id);
    expect([...dst]).toEqual([0, 0, 0, 0]);
    rab.resize(8);
    native.benchRunsCopy(id);
    expect([...dst]).toEqual([5, 5, 0, 0]); // regrown bytes are zeros
  });
});
