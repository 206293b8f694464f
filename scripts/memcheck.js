#!/usr/bin/env node
// `npm run test:memcheck`: runs test/memcheck/workload.js under valgrind memcheck and fails on any
// invalid read/write/free, uninitialised use or definite leak whose stack passes through ntcopy.node.
// Node and V8 have their own valgrind noise; only our frames count. --jitless keeps V8 code valgrind-clean.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
if (spawnSync('sh', ['-c', 'command -v valgrind']).status !== 0) {
  console.error('memcheck: valgrind is required (apt-get install valgrind)');
  console.log('memcheck: 0 passed, 1 failed');
  process.exit(1);
}
const xml = path.join(os.tmpdir(), `ntcopy-memcheck-${process.pid}.xml`);
const r = spawnSync('valgrind', ['--leak-check=full', '--errors-for-leak-kinds=definite', '--show-leak-kinds=definite',
  '--xml=yes', `--xml-file=${xml}`, process.execPath, '--jitless', path.join(root, 'test', 'memcheck', 'workload.js')],
{ encoding: 'utf8', cwd: root });
const out = fs.existsSync(xml) ? fs.readFileSync(xml, 'utf8') : '';
fs.rmSync(xml, { force: true });

const ours = [];
for (const m of out.matchAll(/<error>([\s\S]*?)<\/error>/g)) {
  const kind = (/<kind>([^<]+)<\/kind>/.exec(m[1]) || [])[1];
  if (/^Leak_(PossiblyLost|IndirectlyLost|StillReachable)$/.test(kind)) continue;
  if (!/ntcopy\.node/.test(m[1])) continue;
  const what = (/<what>([^<]+)<\/what>/.exec(m[1]) || /<text>([^<]+)<\/text>/.exec(m[1]) || [])[1];
  const fns = [...m[1].matchAll(/<fn>([^<]+)<\/fn>/g)].slice(0, 6).map((f) => f[1]);
  ours.push(`${kind}: ${what}\n    ${fns.join('\n    ')}`);
}
const ran = r.status === 0 && /workload done/.test(r.stdout);
if (!ran) console.error(`memcheck: the workload did not finish (exit ${r.status})\n${r.stderr}`);
for (const e of ours) console.error(e);
const ok = ran && ours.length === 0 && out.length > 0;
console.log(`memcheck: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed${ours.length ? ` (${ours.length} errors in ntcopy.node)` : ''}`);
process.exit(ok ? 0 : 1);
