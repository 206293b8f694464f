// LSA cases (DESIGN.md 4): CopyFromClientBuffer of 64 B and 1 MiB against Buffer.prototype.copy with
// offsets, and 1 MiB against the C memcpy loop (the physical limit).
export default function lsaCases(nt, native) {
  const cases = [];
  const BASE = 0x10000;
  const OFF = 3; // not page-aligned
  const client = nt.Sim.createClientRequest();
  const image = Buffer.alloc((1 << 20) + 4096);
  for (let i = 0; i < image.length; i++) image[i] = (i * 29 + 11) & 0xff;
  client.map(BASE, image, nt.PAGE_READWRITE);
  for (const size of [64, 1 << 20]) {
    const out = { ntcopy: Buffer.alloc(size), copy: Buffer.alloc(size), memcpy: Buffer.alloc(size) };
    const label = size >= 1 << 20 ? '1 MiB' : `${size} B`;
    const c = {
      name: `CopyFromClientBuffer ${label} @+${OFF}`,
      impls: {
        ntcopy: () => nt.LsaFunctions.CopyFromClientBuffer(client, size, out.ntcopy, BASE + OFF),
        'Buffer.copy': () => image.copy(out.copy, 0, OFF, OFF + size),
      },
      outputs: { ntcopy: out.ntcopy, 'Buffer.copy': out.copy },
      targets: [],
      alloc: size === 64,
    };
    if (size === 64) c.targets.push({ peer: 'Buffer.copy', atLeast: 1.0, text: 'no slower than Buffer.copy with offsets' });
    if (size === 1 << 20) {
      const src = image.subarray(OFF, OFF + size);
      c.impls['C memcpy'] = () => native.benchMemcpyLoop(out.memcpy, src, size, 1);
      c.outputs['C memcpy'] = out.memcpy;
      c.targets.push({ peer: 'C memcpy', atLeast: 0.95, text: '>= 0.95x the C memcpy loop' });
    }
    cases.push(c);
  }
  return cases;
}
