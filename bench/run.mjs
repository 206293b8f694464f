// `npm run bench [-- --quick] [--only substring]`: every case's implementations measured interleaved
// in this one process (see harness.mjs), outputs cross-checked byte for byte before any timing.
// Prints one table (min / median / max per op, ratio of medians = how many times faster ntcopy is)
// and writes bench/results/latest.json. --quick: a smoke run, no speed claims.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, allocationCheck, fmtNs } from './harness.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const nt = require('..');
const { native } = require('../dist/native');

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const cfg = quick ? { rounds: 3, targetMs: 0.5, allocCalls: 1e5 } : { rounds: 21, targetMs: 20, allocCalls: 1e6 };

const families = [];
for (const f of fs.readdirSync(path.join(here, 'cases')).filter((x) => x.endsWith('.mjs')).sort()) {
  const mod = await import(path.join(here, 'cases', f));
  families.push(...mod.default(nt, native));
}
const cases = families.filter((c) => !only || c.name.includes(only));

let mismatches = 0;
function crossCheck(c) {
  const names = Object.keys(c.impls);
  for (const n of names) {
    c.prepare?.();
    c.impls[n]();
  }
  const bytes = (o) => { const v = typeof o === 'function' ? o() : o; return Buffer.from(v.buffer, v.byteOffset, v.byteLength); };
  const ref = bytes(c.outputs.ntcopy);
  for (const n of names) {
    if (Buffer.compare(ref, bytes(c.outputs[n])) !== 0) {
      console.error(`MISMATCH in "${c.name}": ${n} differs from ntcopy`);
      mismatches++;
    }
  }
}

const results = [];
const rows = [];
for (const c of cases) {
  crossCheck(c);
  const m = measure(c.impls, cfg);
  const base = m.ntcopy.median;
  const entry = { case: c.name, ns: m, ratios: {}, targets: [] };
  for (const [n, s] of Object.entries(m)) {
    const speedup = s.median / base;
    if (n !== 'ntcopy') entry.ratios[n] = speedup;
    rows.push([c.name, n, fmtNs(s.min), fmtNs(s.median), fmtNs(s.max), n === 'ntcopy' ? '' : `${speedup.toFixed(2)}x`]);
  }
  for (const t of c.targets) {
    const got = entry.ratios[t.peer];
    const met = got >= t.atLeast;
    entry.targets.push({ ...t, got, met });
    rows.push(['', `  target: ${t.text}`, '', '', '', `${met ? 'MET' : 'MISSED'} (${got.toFixed(2)}x)`]);
  }
  results.push(entry);
}

const head = ['case', 'implementation', 'min', 'median', 'max', 'ntcopy faster by'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

// No allocation per call: minor GCs while calling the hot path many times (0 = nothing allocated).
console.log(`\nallocation per call (${cfg.allocCalls} calls each):`);
const alloc = [];
for (const c of cases.filter((x) => x.alloc)) {
  c.prepare?.();
  const r = await allocationCheck(c.impls.ntcopy, cfg.allocCalls);
  alloc.push({ case: c.name, ...r });
  console.log(`  ${c.name}: ${r.gcs} GCs, heap ${r.heapDeltaKiB} KiB, RSS ${r.rssDeltaKiB} KiB`);
}

const out = {
  date: new Date().toISOString(), quick, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
  totalMemGiB: Math.round(os.totalmem() / 2 ** 30), config: cfg, results, alloc, mismatches,
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'latest.json'), JSON.stringify(out, null, 2));
console.log(`\n${results.length} cases, ${mismatches} byte mismatches; results in bench/results/latest.json`);
process.exit(mismatches ? 1 : 0);
