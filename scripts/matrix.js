#!/usr/bin/env node
// The version matrix of CI: the jest suite and the demo on each Node of scripts/nodes.js (installed from the npm
// registry into .nodes/ if absent), all against the one prebuilt binary `npm run prebuild` made here, never a
// rebuild. The matrix Node's bin dir goes first on PATH, so the children the suite spawns (`node`, npm's
// `#!/usr/bin/env node`) run on it too. One line per Node, then `matrix: N passed, M failed`.
//   node scripts/matrix.js [version...]     default: every version of scripts/nodes.js
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { prebuildPath } = require('./build-native');

const root = path.join(__dirname, '..');
let passed = 0;
let failed = 0;

const prebuild = prebuildPath();
if (!fs.existsSync(prebuild)) {
  console.log(`matrix: no prebuild at ${path.relative(root, prebuild)}: run npm run prebuild first`);
  console.log('matrix: 0 passed, 1 failed');
  process.exit(1);
}
const sha = crypto.createHash('sha256').update(fs.readFileSync(prebuild)).digest('hex').slice(0, 16);
console.log(`matrix: binary ${path.relative(root, prebuild)} (sha256 ${sha}...), built on Node ${process.version}`);

const nodes = spawnSync(process.execPath, [path.join(__dirname, 'nodes.js'), ...process.argv.slice(2)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const lines = (nodes.stdout || '').trim().split('\n').filter(Boolean);
if (nodes.status !== 0) failed += 1;

for (const line of lines) {
  const [version, binDir] = line.split(' ');
  const t0 = Date.now();
  const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
  for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
  const node = path.join(binDir, 'node');
  let p = 0;
  let f = 0;

  const report = path.join(os.tmpdir(), `ntcopy-matrix-${version}-${process.pid}.json`);
  const jest = spawnSync(node, ['--expose-gc', require.resolve('jest/bin/jest', { paths: [root] }), '--ci', '--json', `--outputFile=${report}`],
    { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (fs.existsSync(report)) {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    fs.unlinkSync(report);
    p += j.numPassedTests;
    f += j.numFailedTests + j.numRuntimeErrorTestSuites + j.numPendingTests + j.numTodoTests;
    if (jest.status !== 0 && f === 0) f += 1;
  } else {
    f += 1;
  }

  const demo = spawnSync(node, [path.join(root, 'examples', 'demo.js')], { cwd: root, env, encoding: 'utf8' });
  if (demo.status === 0) p += 1;
  else {
    f += 1;
    console.log(`node-${version}: demo failed (exit ${demo.status === null ? demo.signal : demo.status}): ${(demo.stderr || '').trim().split('\n').slice(0, 3).join(' | ')}`);
  }

  console.log(`node-${version}: ${p} passed, ${f} failed (jest + demo, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  passed += p;
  failed += f;
}

console.log(`matrix: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
