// The sparse address space scales (issue 4): thousands of mapped regions plus a 1 GiB mapped range
// (and a 4 GiB allocation) cost memory for written pages only, and copies stay correct. Measured in
// a child process so the RSS numbers are not jest's.
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');

// Runs in the child: lib/ compiled on the fly (the current sources, not a stale dist/).
const child = `
const fs = require('fs');
const ts = require(require.resolve('typescript', { paths: [${JSON.stringify(root)}] }));
require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'),
  { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);
const nt = require(${JSON.stringify(path.join(root, 'lib'))});
const { lsaStats } = require(${JSON.stringify(path.join(root, 'lib', 'lsa'))});
const L = nt.LsaFunctions;
global.gc(); global.gc();
const rss0 = process.memoryUsage().rss;
const r = nt.Sim.createClientRequest();
const REGIONS = 5000, GIB = 2 ** 30;
r.map(0x40000000, GIB, nt.PAGE_READWRITE);                        // 1 GiB, never fully written
for (let i = 0; i < REGIONS; i++) {
  const d = Buffer.alloc(8); d.writeUInt32LE(i, 0); d.writeUInt32LE(~i >>> 0, 4);
  r.map(0x100000000 + i * 0x20000, d, i % 3 ? nt.PAGE_READWRITE : nt.PAGE_READONLY);
}
const big = L.AllocateClientBuffer(r, 0xffffffff);                  // 4 GiB committed, zero
const errors = [];
const out = Buffer.alloc(8);
for (let k = 0; k < 20000; k++) {
  const i = (k * 7919) % REGIONS;
  const st = L.CopyFromClientBuffer(r, 8, out, 0x100000000 + i * 0x20000);
  if (st !== 0 || out.readUInt32LE(0) !== i || out.readUInt32LE(4) !== (~i >>> 0)) { errors.push('region ' + i); break; }
}
const MiB = Buffer.alloc(1 << 20);
for (let i = 0; i < MiB.length; i++) MiB[i] = (i * 13) & 0xff;
const back = Buffer.alloc(1 << 20);
if (L.CopyToClientBuffer(r, MiB.length, 0x40000000 + GIB / 2 + 123, MiB) !== 0) errors.push('copy to');
if (L.CopyFromClientBuffer(r, back.length, back, 0x40000000 + GIB / 2 + 123) !== 0 || !back.equals(MiB)) errors.push('copy back');
if (L.CopyFromClientBuffer(r, back.length, back, 0x40000000 + 12345) !== 0 || back.some((x) => x !== 0)) errors.push('zeros');
if (L.CopyFromClientBuffer(r, back.length, back, big.ClientBaseAddress + 0x80000000n) !== 0 || back.some((x) => x !== 0)) errors.push('alloc zeros');
if (L.CopyFromClientBuffer(r, 16, out, 0x100000000 + 0x10000) !== nt.STATUS_PARTIAL_COPY) errors.push('gap between regions');
const [runs, pages] = lsaStats(r);
global.gc(); global.gc();
const rss1 = process.memoryUsage().rss;
console.log(JSON.stringify({ growth: rss1 - rss0, runs, pages, errors, big: String(big.ClientBaseAddress) }));
`;

describe('scaling of the sparse client address space', () => {
  test('5000 regions + 1 GiB mapping + 4 GiB allocation: memory follows written pages, copies correct', () => {
    const res = spawnSync(process.execPath, ['--expose-gc', '-e', child], { cwd: root, encoding: 'utf8', timeout: 120000 });
    expect(res.stderr).toBe('');
    const o = JSON.parse(res.stdout.trim().split('\n').pop()!) as { growth: number; runs: number; pages: number; errors: string[]; big: string };
    expect(o.errors).toEqual([]);
    expect(o.runs).toBe(5000 + 2);                  // one run per mapping, the allocation included
    expect(o.pages).toBe(5000 + 257);               // 1 MiB at an unaligned address touches 257 pages
    // first fit: not below 1 GiB, not in the 2 GiB between the 1 GiB range and the regions, so the
    // first 64 KiB boundary after the last one-page region at 0x100000000 + 4999 * 0x20000
    expect(BigInt(o.big)).toBe(0x100000000n + 4999n * 0x20000n + 0x10000n);
    // ~5257 pages of 4 KiB (~21 MiB) plus tables and the two 1 MiB Buffers: far below the 5 GiB mapped
    expect(o.growth).toBeLessThan(96 * 2 ** 20);
  });
});
