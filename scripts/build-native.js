#!/usr/bin/env node
// Builds the addon from source with node-gyp against the running Node's own headers, and nothing else:
//   - headers: <prefix of process.execPath>/include/node, or NTCOPY_NODEDIR; npm_config_nodedir (which npm
//     and this machine's npmrc set, and which overrides node-gyp's --nodedir) is ignored and stripped from
//     node-gyp's environment. include/node/node_version.h must name process.version, or the build stops
//     before compiling anything: a binary built against another Node's headers must never exist.
//   - node-gyp never downloads headers (nothing but the npm registry is reachable on the project's machines).
// In a checkout (binding.gyp at the top) it also refreshes this platform's prebuild, so the binary the loader
// takes first is always the one just built, and native/ntcopy.gyp, the gyp file the npm package carries.
// In an installed package (no top-level binding.gyp: its presence would make npm and pnpm run node-gyp on
// install) it builds from native/ntcopy.gyp, fetching node-gyp and node-addon-api first if they are absent.
//
//   node scripts/build-native.js                   build (what `npm run build` and the loader's error say)
//   node scripts/build-native.js --check-headers   only find and check the headers
//   node scripts/build-native.js --debug           build/Debug instead of build/Release
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const checkout = fs.existsSync(path.join(root, 'binding.gyp'));
const argv = process.argv.slice(2);

function die(lines) {
  for (const line of [].concat(lines)) console.error(`ntcopy: ${line}`);
  process.exit(1);
}

/** `vX.Y.Z` from include/node/node_version.h, or null. */
function headerVersion(dir) {
  let text;
  try {
    text = fs.readFileSync(path.join(dir, 'include', 'node', 'node_version.h'), 'utf8');
  } catch {
    return null;
  }
  const part = (name) => (new RegExp(`^#define\\s+NODE_${name}_VERSION\\s+(\\d+)`, 'm').exec(text) || [])[1];
  const [major, minor, patch] = ['MAJOR', 'MINOR', 'PATCH'].map(part);
  return major && minor && patch ? `v${major}.${minor}.${patch}` : null;
}

/** The Node prefix whose headers match the running Node, or exit with a message naming both versions. */
function nodeDir() {
  const own = path.resolve(path.dirname(process.execPath), '..');
  const dir = process.env.NTCOPY_NODEDIR ? path.resolve(process.env.NTCOPY_NODEDIR) : own;
  const from = process.env.NTCOPY_NODEDIR ? 'NTCOPY_NODEDIR' : `the running Node's prefix (${process.execPath})`;
  const found = headerVersion(dir);
  if (!found || !fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))) {
    die([`no Node headers (include/node/node_version.h and node_api.h) under ${dir}, from ${from}.`,
      `Set NTCOPY_NODEDIR to a directory holding include/node for ${process.version} (a Node ${process.version} install,`,
      `or the node-${process.version}-headers.tar.gz of that release, unpacked).`]);
  }
  if (found !== process.version) {
    die([`header mismatch: ${path.join(dir, 'include', 'node')} is Node ${found}, but this build runs on Node ${process.version}.`,
      `A binary built against ${found}'s headers is not built for ${process.version}: refusing to build.`,
      `Run the build with the Node you will use it on, or point NTCOPY_NODEDIR at ${process.version}'s headers.`]);
  }
  const ignored = process.env.npm_config_nodedir || process.env.NPM_CONFIG_NODEDIR;
  if (ignored && path.resolve(ignored) !== dir) console.log(`ntcopy: ignoring npm_config_nodedir=${ignored}`);
  console.log(`ntcopy: Node ${process.version} headers: ${path.join(dir, 'include', 'node')}`);
  return dir;
}

/** The environment node-gyp runs in: without npm's header-choosing settings, which outrank --nodedir. */
function gypEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|dist_?url|runtime|node_gyp)$/i.test(key)) delete env[key];
  }
  return env;
}

function onPath(names) {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  return names.find((n) => dirs.some((d) => { try { fs.accessSync(path.join(d, n), fs.constants.X_OK); return true; } catch { return false; } }));
}

/** Says up front, in one message, what a source build lacks (node-gyp's own errors come one at a time). */
function checkToolchain() {
  if (process.platform === 'win32') return; // node-gyp finds Visual Studio itself and says what is missing
  const missing = [];
  if (!(process.env.npm_config_python || process.env.PYTHON || onPath(['python3', 'python']))) missing.push('Python 3'); // node-gyp honours both
  if (!onPath(['make', 'gmake'])) missing.push('make');
  if (!(process.env.CXX ? onPath([process.env.CXX.split(' ')[0]]) || fs.existsSync(process.env.CXX.split(' ')[0]) : onPath(['c++', 'g++', 'clang++']))) missing.push('a C++17 compiler (g++ or clang++)');
  if (!(process.env.CC ? true : onPath(['cc', 'gcc', 'clang']))) missing.push('a C compiler (gcc or clang)');
  if (missing.length) {
    die([`cannot build from source on ${process.platform}-${process.arch}: ${missing.join(', ')} not found on PATH.`,
      'Install them (Debian/Ubuntu: apt-get install python3 make g++; macOS: xcode-select --install), then run again.']);
  }
}

/** The node-gyp that npm bundles, next to the npm on PATH (or the one npm names when it runs us). */
function npmsNodeGyp() {
  const named = process.env.npm_config_node_gyp || process.env.NPM_CONFIG_NODE_GYP;
  if (named && fs.existsSync(named)) return named;
  for (const dir of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    for (const npm of ['npm', 'npm-cli.js']) {
      try {
        const cli = fs.realpathSync(path.join(dir, npm)); // <npm>/bin/npm-cli.js
        const gyp = path.join(path.dirname(cli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
        if (fs.existsSync(gyp)) return gyp;
      } catch { /* not here */ }
    }
  }
  if (process.platform === 'win32') {
    const gyp = path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(gyp)) return gyp;
  }
  return null;
}

/**
 * node-gyp and node-addon-api: the package's own (a checkout has both as devDependencies); in an installed
 * package, npm's bundled node-gyp and node-addon-api fetched once (a header-only package) into build-tools/.
 */
function buildTools() {
  const want = require(path.join(root, 'package.json')).devDependencies || {};
  const find = (req) => { try { return require.resolve(req, { paths: [root] }); } catch { return null; } };
  let gyp = find('node-gyp/bin/node-gyp.js') || npmsNodeGyp();
  let nodePath;
  if (!gyp || !find('node-addon-api')) {
    const tools = path.join(root, 'build-tools');
    const inTools = (req) => { try { return require.resolve(req, { paths: [tools] }); } catch { return null; } };
    if (!(gyp || inTools('node-gyp/bin/node-gyp.js')) || !inTools('node-addon-api')) {
      console.log(`ntcopy: fetching the build tools into ${tools}`);
      fs.mkdirSync(tools, { recursive: true });
      fs.writeFileSync(path.join(tools, 'package.json'), '{"private":true}\n');
      const specs = (gyp ? ['node-addon-api'] : ['node-gyp', 'node-addon-api']).map((n) => `${n}@${want[n] || 'latest'}`);
      const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
        ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', ...specs],
        { cwd: tools, stdio: 'inherit', shell: process.platform === 'win32', env: gypEnv() });
      if (npm.status !== 0) die(`could not install ${specs.join(' ')} with npm into ${tools}`);
    }
    gyp = gyp || inTools('node-gyp/bin/node-gyp.js');
    nodePath = path.join(tools, 'node_modules'); // binding.gyp asks require('node-addon-api') for its include dir
  }
  return { gyp, nodePath };
}

/** Writes dest from src by rename, never in place: a running process may have the old file mapped. */
function replace(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.copyFileSync(src, tmp);
  fs.renameSync(tmp, dest);
}

/** 'glibc' or 'musl' on Linux, '' elsewhere: decided as lib/native.ts decides it. */
function linuxLibc() {
  if (process.platform !== 'linux') return '';
  try {
    const ldd = fs.readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return 'glibc';
  } catch { /* no ldd: ask the runtime */ }
  return process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** The prebuild this platform's loader looks for first (see lib/native.ts). */
function prebuildPath() {
  const libc = linuxLibc();
  return path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, `ntcopy.napi${libc ? `.${libc}` : ''}.node`);
}

/**
 * In a checkout: this platform's prebuild := build/Release/ntcopy.node, native/ntcopy.gyp := binding.gyp, where
 * they differ (`npm test` calls this too, so an addon rebuilt by hand is never shadowed by an older prebuild).
 * Returns the files it rewrote.
 */
function syncCheckout() {
  const pairs = [[path.join(root, 'build', 'Release', 'ntcopy.node'), prebuildPath()],
    [path.join(root, 'binding.gyp'), path.join(root, 'native', 'ntcopy.gyp')]];
  const same = (a, b) => { try { return fs.readFileSync(a).equals(fs.readFileSync(b)); } catch { return false; } };
  const changed = [];
  for (const [src, dest] of pairs) {
    if (fs.existsSync(src) && !same(src, dest)) {
      replace(src, dest);
      changed.push(path.relative(root, dest));
    }
  }
  return changed;
}

function build() {
  const dir = nodeDir();
  checkToolchain();
  const { gyp, nodePath } = buildTools();
  console.log(`ntcopy: node-gyp: ${gyp}`);
  const gypFile = path.join(root, 'binding.gyp');
  if (!checkout) fs.copyFileSync(path.join(root, 'native', 'ntcopy.gyp'), gypFile); // node-gyp reads ./binding.gyp only
  let r;
  try {
    const args = [gyp, 'rebuild', `--nodedir=${dir}`];
    if (argv.includes('--debug')) args.push('--debug');
    const env = gypEnv(nodePath ? { NODE_PATH: [nodePath, process.env.NODE_PATH].filter(Boolean).join(path.delimiter) } : {});
    r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, env });
  } finally {
    if (!checkout) fs.rmSync(gypFile, { force: true }); // never leave one for a later `npm ci` or pnpm to act on
  }
  if (r.status !== 0) die(`node-gyp failed (exit ${r.status === null ? r.signal : r.status}); its messages are above.`);

  const built = path.join(root, 'build', argv.includes('--debug') ? 'Debug' : 'Release', 'ntcopy.node');
  const load = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(built)})`], { encoding: 'utf8' });
  if (load.status !== 0) {
    fs.rmSync(built, { force: true });
    die([`the binary just built does not load on Node ${process.version}, so it was removed:`, (load.stderr || '').trim()]);
  }
  if (checkout && !argv.includes('--debug')) {
    syncCheckout();
    console.log(`ntcopy: built ${path.relative(root, built)}, refreshed ${path.relative(root, prebuildPath())}`);
  } else {
    console.log(`ntcopy: built ${built}`);
  }
}

module.exports = { prebuildPath, syncCheckout, gypEnv, headerVersion };
if (require.main === module) {
  if (argv.includes('--check-headers')) nodeDir();
  else build();
}
