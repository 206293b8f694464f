#!/usr/bin/env node
// Builds the addon with node-gyp against this Node's own headers (--nodedir), so no header
// download is ever attempted (the machines here have no network but the npm registry).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function nodeDir() {
  const candidates = [
    process.env.NTCOPY_NODEDIR,
    path.resolve(path.dirname(process.execPath), '..'),
    process.config && process.config.variables && process.config.variables.node_prefix,
  ].filter(Boolean);
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))) return dir;
  }
  console.error('ntcopy: cannot find Node headers (include/node/node_api.h) under: ' + candidates.join(', '));
  console.error('ntcopy: set NTCOPY_NODEDIR to the prefix of your Node installation.');
  process.exit(1);
}

function nodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [path.join(__dirname, '..')] });
  } catch {
    if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp; // npm's bundled copy
    console.error('ntcopy: node-gyp not found; install it (npm i -g node-gyp) and retry.');
    process.exit(1);
  }
}

const args = [nodeGyp(), 'rebuild', `--nodedir=${nodeDir()}`];
if (process.argv.includes('--debug')) args.push('--debug');
execFileSync(process.execPath, args, { stdio: 'inherit', cwd: path.join(__dirname, '..') });
