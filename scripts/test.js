#!/usr/bin/env node
// `npm test`: the jest suite (incl. type tests), the packaging test and the C core tests under ASan+UBSan, then one
// closing line "N passed, M failed" over everything that ran (CI reads that line, not jest's).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
let passed = 0;
let failed = 0;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, ...opts.env } });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

// 0. The binary under test is the one last built: the loader takes this platform's prebuild first, so refresh it
// from build/Release if that was rebuilt by other means than `npm run build` (node-gyp by hand, an IDE).
const synced = require('./build-native').syncCheckout();
if (synced.length) console.log(`test: refreshed ${synced.join(', ')} from the last build`);

// Fresh typings and dist/: the type tests and the child-process tests read them.
const tsc = run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json']);
if (tsc.status !== 0) failed += 1;

// 1. jest, with a JSON report for the counts.
const report = path.join(os.tmpdir(), `ntcopy-jest-${process.pid}.json`);
const jestBin = require.resolve('jest/bin/jest', { paths: [root] });
const jest = run(process.execPath, ['--expose-gc', jestBin, '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)]);
if (fs.existsSync(report)) {
  const j = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.unlinkSync(report);
  passed += j.numPassedTests;
  failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
  if (j.numPendingTests + j.numTodoTests > 0) {
    console.error(`jest: ${j.numPendingTests + j.numTodoTests} skipped/todo tests: not allowed`);
    failed += j.numPendingTests + j.numTodoTests;
  }
} else {
  console.error('jest produced no report');
  failed += 1;
}
if (jest.status !== 0 && failed === 0) failed += 1; // jest failed without a failing test (config, coverage...)

// 1b. The package as users install it: npm pack, then npm install / --ignore-scripts / npm ci / pnpm with no
// compiler on PATH, the loader's error without a prebuild, and a source build from the installed package.
const packaging = run(process.execPath, [path.join(root, 'test', 'packaging', 'run.js')], { capture: true });
const pk = /^packaging: (\d+) passed, (\d+) failed$/m.exec(packaging.stdout || '');
if (pk) { passed += Number(pk[1]); failed += Number(pk[2]); } else failed += 1;

// 2. C core tests, each binary printing "<suite>: N passed, M failed".
const make = run('make', ['-s', '-C', 'native/core/test', 'check'], { capture: true });
let sawCore = false;
for (const m of (make.stdout || '').matchAll(/^[\w/-]+: (\d+) passed, (\d+) failed$/gm)) {
  sawCore = true;
  passed += Number(m[1]);
  failed += Number(m[2]);
}
if (make.status !== 0 && !/[1-9]\d* failed$/m.test(make.stdout || '')) failed += 1; // build or sanitizer abort
if (!sawCore) failed += 1;

// 3. A short smoke of each libFuzzer target (differential: core vs. a model in the harness).
const fuzz = run(process.execPath, [path.join(__dirname, 'fuzz.js'), '--smoke'], { capture: true });
let sawFuzz = false;
for (const m of (fuzz.stdout || '').matchAll(/^fuzz\/[^:]+: (\d+) passed, (\d+) failed$/gm)) {
  sawFuzz = true;
  passed += Number(m[1]);
  failed += Number(m[2]);
}
if (!sawFuzz) failed += 1;

// 4. The addon under valgrind memcheck (errors whose stack passes through ntcopy.node).
const memcheck = run(process.execPath, [path.join(__dirname, 'memcheck.js')], { capture: true });
const mc = /^memcheck: (\d+) passed, (\d+) failed/m.exec(memcheck.stdout || '');
if (mc) { passed += Number(mc[1]); failed += Number(mc[2]); } else failed += 1;

// 5. Benchmark smoke (`npm run bench -- --quick`): every case runs and all outputs agree byte for byte.
const bench = run(process.execPath, ['--expose-gc', path.join(root, 'bench', 'run.mjs'), '--quick'], { capture: true });
const benchOk = bench.status === 0 && /\b0 byte mismatches\b/.test(bench.stdout || '');
console.log(`bench-smoke: ${benchOk ? 1 : 0} passed, ${benchOk ? 0 : 1} failed`);
if (benchOk) passed += 1; else failed += 1;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
