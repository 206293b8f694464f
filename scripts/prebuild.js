#!/usr/bin/env node
// `npm run prebuild`: the prebuilt binaries the npm package ships, in prebuilds/<platform>-<arch>/ (the layout of
// prebuildify and node-gyp-build; build output, gitignored, packed by `npm pack`).
//   - this platform's, built from source here by scripts/build-native.js (linux-x64: ntcopy.napi.glibc.node);
//   - win32-x64's, cross-built by scripts/prebuild-win.js (mingw, tested under Wine), when asked for with
//     `--win` or NTCOPY_PREBUILD_WIN=1; asking for it where that script is absent is an error.
// `npm run build` runs this first (npm's pre-hook), so a rebuilt addon is always the one the loader takes first.
//   --if-missing   build this platform's prebuild only if it is absent (prepack; `prepare` rebuilds it anyway)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { prebuildPath } = require('./build-native');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);

function run(script, args = []) {
  const r = spawnSync(process.execPath, [path.join(__dirname, script), ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status || 1);
}

if (!(argv.includes('--if-missing') && fs.existsSync(prebuildPath()))) run('build-native.js');

if (argv.includes('--win') || process.env.NTCOPY_PREBUILD_WIN === '1') {
  if (!fs.existsSync(path.join(__dirname, 'prebuild-win.js'))) {
    console.error('ntcopy: a win32-x64 prebuild was asked for, but scripts/prebuild-win.js (the mingw cross-build) is not in this checkout');
    process.exit(1);
  }
  run('prebuild-win.js');
  if (!fs.existsSync(path.join(root, 'prebuilds', 'win32-x64', 'ntcopy.napi.node'))) {
    console.error('ntcopy: scripts/prebuild-win.js did not write prebuilds/win32-x64/ntcopy.napi.node');
    process.exit(1);
  }
}

const dir = path.join(root, 'prebuilds');
const shipped = fs.existsSync(dir) ? fs.readdirSync(dir).flatMap((p) => fs.readdirSync(path.join(dir, p)).map((f) => `${p}/${f}`)) : [];
console.log(`ntcopy: prebuilds: ${shipped.join(', ') || 'none'}`);
