// WDF cases (DESIGN.md 4): WdfMemoryCopyFromBuffer / CopyToBuffer at a non-zero offset against
// Buffer.prototype.copy with the same offsets and Uint8Array.prototype.set; 1 MiB against memcpy.
// Every implementation's destination sits at the same offset modulo 4 KiB relative to the source: on
// this machine memmove slows ~10x when the destination lies a few bytes after the source modulo 4 KiB
// (measured: 4 KiB copy 130 ns -> 1.26 us, for Uint8Array.set and ntcopy alike), so unequal placement
// would measure the allocator, not the implementations.
function arena(size, count) {
  const stride = Math.ceil((size + 64) / 4096) * 4096;
  const ab = new ArrayBuffer(stride * count);
  return Array.from({ length: count }, (_, i) => Buffer.from(ab, i * stride, size + 16));
}

export default function wdfCases(nt, native) {
  const cases = [];
  for (const size of [16, 256, 4096, 1 << 20]) {
    const OFF = 3;
    const [src, dNt, dCopy, dSet, dMem, oNt, oCopy, oSet] = arena(size + 8, 8);
    for (let i = 0; i < src.length; i++) src[i] = (i * 31 + 7) & 0xff;
    const srcView = src.subarray(5, 5 + size); // the bytes every implementation copies
    const dst = { ntcopy: dNt, copy: dCopy, set: dSet, memcpy: dMem };
    const { memory } = nt.WdfMemoryCreatePreallocated(null, dst.ntcopy);
    const label = size >= 1 << 20 ? '1 MiB' : size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
    const from = {
      name: `WdfMemoryCopyFromBuffer ${label} @${OFF}`,
      impls: {
        ntcopy: () => nt.WdfMemoryCopyFromBuffer(memory, OFF, srcView, size),
        'Buffer.copy': () => src.copy(dst.copy, OFF, 5, 5 + size),
        'Uint8Array.set': () => dst.set.set(srcView, OFF),
      },
      outputs: { ntcopy: dst.ntcopy, 'Buffer.copy': dst.copy, 'Uint8Array.set': dst.set },
      targets: size <= 256 ? [{ peer: 'Buffer.copy', atLeast: 1.0, text: 'no slower than Buffer.copy with offsets' }] : [],
      alloc: size === 16,
    };
    if (size === 1 << 20) {
      const memDst = dst.memcpy.subarray(OFF);
      from.impls['C memcpy'] = () => native.benchMemcpyLoop(memDst, srcView, size, 1);
      from.outputs['C memcpy'] = dst.memcpy;
      from.targets.push({ peer: 'C memcpy', atLeast: 0.95, text: '>= 0.95x the C memcpy loop' });
    }
    cases.push(from);
    const out = { ntcopy: oNt.subarray(0, size), copy: oCopy.subarray(0, size), set: oSet.subarray(0, size) };
    const mem = dst.ntcopy; // after the from-case check it holds srcView at OFF
    cases.push({
      name: `WdfMemoryCopyToBuffer ${label} @${OFF}`,
      impls: {
        ntcopy: () => nt.WdfMemoryCopyToBuffer(memory, OFF, out.ntcopy, size),
        'Buffer.copy': () => mem.copy(out.copy, 0, OFF, OFF + size),
        'Uint8Array.set': () => out.set.set(mem.subarray(OFF, OFF + size)),
      },
      outputs: { ntcopy: out.ntcopy, 'Buffer.copy': out.copy, 'Uint8Array.set': out.set },
      targets: [],
      prepare: () => nt.WdfMemoryCopyFromBuffer(memory, OFF, srcView, size),
    });
  }
  return cases;
}
