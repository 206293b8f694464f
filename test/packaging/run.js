#!/usr/bin/env node
// Installs the `npm pack` tarball of this checkout into empty projects as a user's app would, on a PATH with
// `node`, npm and a shell's basic tools but no compiler, make or Python: with `npm install`, with
// `npm install --ignore-scripts`, with `npm ci` from a lockfile, and with the current pnpm at its default
// settings (fetched from the npm registry into .nodes/, reused when there). Each must exit 0, and require()
// and ESM import must then copy bytes through the prebuilt binary. Then, in an installed copy whose prebuilds
// are removed: the loader's Error, the build command's message where no toolchain is present, and the same
// command building from source where one is. Run by `npm test` (scripts/test.js); the last line is
// `packaging: N passed, M failed`. Needs `npm run build` first (the tarball packs its prebuild).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ntcopy-packaging-'));
const keep = process.argv.includes('--keep');
let passed = 0;
let failed = 0;

/** The environment of a user's shell: none of npm's variables from the `npm test` that runs us. */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$)/i.test(k)) env[k] = v;
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd || tmp, env: opts.env || cleanEnv(), timeout: 120000 });
  return { status: r.status, out: `${r.stdout || ''}${r.stderr || ''}${r.error ? String(r.error) : ''}`, stdout: r.stdout || '', stderr: r.stderr || '' };
}

function check(name, fn) {
  const t0 = Date.now();
  try {
    fn();
    passed += 1;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n     ${String(e && e.message).replace(/\n/g, '\n     ')}`);
  }
}

function expect(cond, what, r) {
  if (!cond) throw new Error(`${what}${r ? `\n--- exit ${r.status}, output:\n${r.out.trim().split('\n').slice(-25).join('\n')}` : ''}`);
}

// --- A PATH with node, npm and basic tools, and no toolchain ---------------------------------------------------
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
const npmOnPath = (process.env.PATH || '').split(path.delimiter).map((d) => path.join(d, 'npm')).find((p) => fs.existsSync(p));
const npmCli = fs.realpathSync(npmOnPath); // npm-cli.js, which runs on the `node` first on PATH
fs.symlinkSync(process.execPath, path.join(bin, 'node'));
fs.symlinkSync(npmCli, path.join(bin, 'npm'));
for (const tool of ['sh', 'bash', 'env', 'cat', 'ls', 'rm', 'mkdir', 'cp', 'mv', 'ln', 'chmod', 'sed', 'grep', 'tar', 'gzip',
  'uname', 'dirname', 'basename', 'readlink', 'realpath', 'true', 'false', 'test', 'head', 'tail', 'tr', 'sort', 'touch', 'id']) {
  const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
  if (found) fs.symlinkSync(found, path.join(bin, tool));
}
const userEnv = cleanEnv({ PATH: bin });
for (const k of ['CC', 'CXX', 'PYTHON']) delete userEnv[k]; // a toolchain named outside PATH is a toolchain too

// --- The tarball -----------------------------------------------------------------------------------------------
let tgz;
check('npm pack: the tarball carries the prebuild, no binding.gyp, no install script', () => {
  const r = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: root });
  expect(r.status === 0, 'npm pack failed', r);
  const info = JSON.parse(r.stdout)[0];
  tgz = path.join(tmp, info.filename);
  const files = info.files.map((f) => f.path);
  expect(files.includes('prebuilds/linux-x64/ntcopy.napi.glibc.node'), `no linux-x64 prebuild in the tarball (run npm run build): ${files.join(' ')}`);
  expect(!files.includes('binding.gyp'), 'the tarball has a top-level binding.gyp: npm ci and pnpm would run node-gyp on install');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(!['preinstall', 'install', 'postinstall'].some((s) => pkg.scripts && pkg.scripts[s]), 'package.json has an install script');
  for (const t of ['cc', 'gcc', 'g++', 'c++', 'clang', 'make', 'python', 'python3']) {
    expect(sh('sh', ['-c', `command -v ${t}`], { env: userEnv }).status !== 0, `${t} is reachable on the test PATH`);
  }
});

// --- What the app does with it ---------------------------------------------------------------------------------
const CJS = `
const nt = require('ntcopy');
const { memory, buffer } = nt.WdfMemoryCreate(null, nt.NonPagedPool, 0, 16);
const s = nt.WdfMemoryCopyFromBuffer(memory, 4, Buffer.from('packaged'), 8);
if (s !== 0 || buffer.toString('latin1') !== '\\0\\0\\0\\0packaged\\0\\0\\0\\0') throw new Error('bad copy ' + s + ' ' + buffer.toString('hex'));
const loaded = Object.keys(require.cache).filter((k) => k.endsWith('.node'));
console.log('cjs ok ' + loaded.join(' '));
`;
const ESM = `
import { WdfMemoryCopyFromBuffer, WdfMemoryCreate, NonPagedPool, STATUS_SUCCESS } from 'ntcopy';
const { memory, buffer } = WdfMemoryCreate(null, NonPagedPool, 0, 8);
const s = WdfMemoryCopyFromBuffer(memory, 0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8);
if (s !== STATUS_SUCCESS || buffer.toString('hex') !== '0102030405060708') throw new Error('bad copy ' + s + ' ' + buffer.toString('hex'));
console.log('esm ok');
`;

function newApp(name) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `app-${name}`, version: '1.0.0', private: true, dependencies: { ntcopy: `file:${tgz}` } }, null, 2));
  fs.writeFileSync(path.join(dir, 'copy.js'), CJS);
  fs.writeFileSync(path.join(dir, 'copy.mjs'), ESM);
  return dir;
}

function usesPrebuild(dir) {
  const pkg = fs.realpathSync(path.join(dir, 'node_modules', 'ntcopy'));
  const cjs = sh('node', ['copy.js'], { cwd: dir, env: userEnv });
  expect(cjs.status === 0 && cjs.stdout.startsWith('cjs ok'), 'require(\'ntcopy\') did not copy', cjs);
  expect(cjs.stdout.includes(path.join(pkg, 'prebuilds', 'linux-x64', 'ntcopy.napi.glibc.node')), `not the prebuild: ${cjs.stdout}`);
  const esm = sh('node', ['copy.mjs'], { cwd: dir, env: userEnv });
  expect(esm.status === 0 && esm.stdout.startsWith('esm ok'), 'import from \'ntcopy\' did not copy', esm);
  expect(!fs.existsSync(path.join(pkg, 'build')) && !fs.existsSync(path.join(pkg, 'binding.gyp')), 'the install built something');
  return pkg;
}

let npmApp;
check('npm install (no compiler): exits 0; require and import copy through the prebuild', () => {
  npmApp = newApp('npm-install');
  const r = sh('npm', ['install'], { cwd: npmApp, env: userEnv });
  expect(r.status === 0, 'npm install failed', r);
  usesPrebuild(npmApp);
});

check('npm install --ignore-scripts (no compiler): exits 0; require and import copy', () => {
  const dir = newApp('npm-ignore-scripts');
  const r = sh('npm', ['install', '--ignore-scripts'], { cwd: dir, env: userEnv });
  expect(r.status === 0, 'npm install --ignore-scripts failed', r);
  usesPrebuild(dir);
});

check('npm ci from a lockfile (no compiler): exits 0; require and import copy', () => {
  const dir = newApp('npm-ci');
  const lock = sh('npm', ['install', '--package-lock-only'], { cwd: dir, env: userEnv });
  expect(lock.status === 0 && fs.existsSync(path.join(dir, 'package-lock.json')), 'npm install --package-lock-only failed', lock);
  const r = sh('npm', ['ci'], { cwd: dir, env: userEnv });
  expect(r.status === 0, 'npm ci failed', r);
  usesPrebuild(dir);
});

/** The current pnpm from the npm registry: its wrapper package plus the linux-x64 binary it runs. */
function pnpm() {
  const v = sh('npm', ['view', 'pnpm@latest', 'version']);
  const cached = fs.existsSync(path.join(root, '.nodes')) ? fs.readdirSync(path.join(root, '.nodes'))
    .filter((d) => d.startsWith('pnpm-') && fs.existsSync(path.join(root, '.nodes', d, 'ok'))).map((d) => d.slice(5)) : [];
  // The registry decides what "current" is; without it, the newest pnpm fetched before.
  const version = v.status === 0 ? v.stdout.trim() : cached.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
  expect(version, 'npm view pnpm failed and no pnpm was fetched before', v);
  const home = path.join(root, '.nodes', `pnpm-${version}`);
  const entry = path.join(home, 'package', 'bin', 'pnpm.mjs');
  if (!fs.existsSync(path.join(home, 'ok'))) {
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(home, { recursive: true });
    const pack = sh('npm', ['pack', `pnpm@${version}`, `@pnpm/exe.linux-x64@${version}`, '--json', '--pack-destination', home], { cwd: home });
    expect(pack.status === 0, 'npm pack pnpm failed', pack);
    const [wrapper, exe] = JSON.parse(pack.stdout).map((p) => path.join(home, p.filename));
    expect(sh('tar', ['xzf', wrapper, '-C', home]).status === 0, 'untar pnpm');
    const exeDir = path.join(home, 'package', 'node_modules', '@pnpm', 'exe.linux-x64');
    fs.mkdirSync(exeDir, { recursive: true });
    expect(sh('tar', ['xzf', exe, '-C', exeDir, '--strip-components=1']).status === 0, 'untar @pnpm/exe.linux-x64');
    fs.writeFileSync(path.join(home, 'ok'), version);
  }
  return { entry, version };
}

check('pnpm install, current pnpm at its defaults (no compiler): exits 0; require and import copy', () => {
  const { entry, version } = pnpm();
  const dir = newApp('pnpm');
  const xdg = path.join(tmp, 'pnpm-home'); // pnpm's store, cache and state go here, not into the user's home
  const env = { ...userEnv, XDG_DATA_HOME: `${xdg}/data`, XDG_CACHE_HOME: `${xdg}/cache`, XDG_STATE_HOME: `${xdg}/state`, XDG_CONFIG_HOME: `${xdg}/config` };
  const r = sh('node', [entry, 'install'], { cwd: dir, env });
  expect(r.status === 0, `pnpm ${version} install failed`, r);
  expect(!/ignored build scripts|approve-builds/i.test(r.out), `pnpm ${version} sees a build to approve in ntcopy`, r);
  usesPrebuild(dir);
  console.log(`     (pnpm ${version})`);
});

// --- Where no prebuild fits ------------------------------------------------------------------------------------
let pkg;
check('no prebuild, no toolchain: require throws an Error naming platform, arch, Node, what was tried, the build command', () => {
  expect(npmApp, 'needs the npm install app');
  pkg = fs.realpathSync(path.join(npmApp, 'node_modules', 'ntcopy'));
  fs.rmSync(path.join(pkg, 'prebuilds'), { recursive: true });
  const r = sh('node', ['-e', `try { require('ntcopy'); console.log('loaded'); } catch (e) { console.log(JSON.stringify({ isError: e instanceof Error, message: e.message })); }`], { cwd: npmApp, env: userEnv });
  expect(r.status === 0 && r.stdout.startsWith('{'), 'require did not throw', r);
  const { isError, message } = JSON.parse(r.stdout);
  expect(isError, 'not an Error');
  for (const part of ['linux-x64', 'glibc', process.version, path.join(pkg, 'prebuilds', 'linux-x64', 'ntcopy.napi.glibc.node'),
    path.join(pkg, 'build', 'Release', 'ntcopy.node'), 'not present', `node "${path.join(pkg, 'scripts', 'build-native.js')}"`]) {
    expect(message.includes(part), `the message lacks ${part}:\n${message}`);
  }
});

check('the build command without a toolchain: fails, says what is missing, leaves no binding.gyp', () => {
  expect(pkg, 'needs the previous case');
  const r = sh('node', [path.join(pkg, 'scripts', 'build-native.js')], { cwd: npmApp, env: userEnv });
  expect(r.status !== 0 && /cannot build from source on linux-x64: .*make.*C\+\+17 compiler/.test(r.out), 'no clear failure', r);
  expect(!fs.existsSync(path.join(pkg, 'binding.gyp')) && !fs.existsSync(path.join(pkg, 'build')), 'it left files behind');
});

check('the build command with a toolchain: builds from native/ntcopy.gyp with this Node\'s headers; require copies', () => {
  expect(pkg, 'needs the previous case');
  // npm_config_nodedir names other headers, as this machine's npmrc does: the build must not take them.
  const env = cleanEnv({ npm_config_nodedir: path.join(tmp, 'no-such-node') });
  const r = sh('node', [path.join(pkg, 'scripts', 'build-native.js')], { cwd: npmApp, env });
  expect(r.status === 0, 'source build failed', r);
  expect(r.out.includes(`Node ${process.version} headers: ${path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node')}`), 'not this Node\'s headers', r);
  expect(!fs.existsSync(path.join(pkg, 'binding.gyp')), 'it left binding.gyp behind (npm ci / pnpm would build again)');
  const cjs = sh('node', ['copy.js'], { cwd: npmApp, env: userEnv });
  expect(cjs.status === 0 && cjs.stdout.includes(path.join(pkg, 'build', 'Release', 'ntcopy.node')), 'require does not copy through the source build', cjs);
  expect(sh('node', ['copy.mjs'], { cwd: npmApp, env: userEnv }).status === 0, 'import fails after the source build');
});

if (keep) console.log(`kept ${tmp}`);
else fs.rmSync(tmp, { recursive: true, force: true });
console.log(`packaging: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
