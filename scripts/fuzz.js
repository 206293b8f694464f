#!/usr/bin/env node
// `npm run fuzz [-- --seconds N] [--target wdf]`: builds the libFuzzer targets of native/core/fuzz with
// clang and runs each for N seconds (default 300) from the seed corpus. `--smoke` (used by npm test)
// runs each for 10 s. New corpus entries go to a temp dir unless --update-corpus is given.
// Each target prints "fuzz/<name>: 1 passed, 0 failed" (or 0/1), which scripts/test.js adds up.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = path.join(__dirname, '..', 'native', 'core', 'fuzz');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const smoke = argv.includes('--smoke');
const seconds = Number(opt('--seconds', smoke ? 10 : 300));
const only = opt('--target', null);

function have(cmd) { return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0; }

// libFuzzer comes with clang (Debian: clang + libclang-rt-14-dev). Install it where we can.
if (!have('clang')) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && have('apt-get')) {
    console.error('fuzz: installing clang (Debian packages clang, libclang-rt-14-dev)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'clang', 'libclang-rt-14-dev'], { stdio: 'inherit', env });
  }
  if (!have('clang')) {
    console.error('fuzz: clang is required (apt-get install clang libclang-rt-14-dev)');
    console.log('fuzz/build: 0 passed, 1 failed');
    process.exit(1);
  }
}

const build = spawnSync('make', ['-s', '-C', dir], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('fuzz/build: 0 passed, 1 failed');
  process.exit(1);
}

const targets = fs.readdirSync(path.join(dir, 'out')).filter((f) => f.startsWith('fuzz_')).map((f) => f.slice(5))
  .filter((t) => !only || t === only).sort();
let failed = 0;
for (const t of targets) {
  const seeds = path.join(dir, 'corpus', t);
  fs.mkdirSync(seeds, { recursive: true });
  const work = argv.includes('--update-corpus') ? seeds : fs.mkdtempSync(path.join(os.tmpdir(), `ntcopy-fuzz-${t}-`));
  const args = [`-max_total_time=${seconds}`, '-print_final_stats=1', `-artifact_prefix=${path.join(os.tmpdir(), `ntcopy-${t}-`)}`, work];
  if (work !== seeds) args.push(seeds);
  const r = spawnSync(path.join(dir, 'out', `fuzz_${t}`), args, { encoding: 'utf8' });
  const log = (r.stderr || '') + (r.stdout || '');
  const runs = /stat::number_of_executed_units:\s*(\d+)/.exec(log);
  const ok = r.status === 0;
  if (!ok) {
    failed++;
    process.stderr.write(log.split('\n').slice(-40).join('\n') + '\n');
  }
  console.log(`fuzz/${t} (${seconds}s, ${runs ? runs[1] : '?'} runs): ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  if (work !== seeds) fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
