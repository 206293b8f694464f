// What `npm pack` ships: the built library, this platform's prebuilt binary (and any other prebuilds made),
// the native sources with their gyp file under native/ (not at the top, where npm and pnpm would take it as
// "run node-gyp on install"), the source-build script, README, LICENSE, CHANGELOG; no tests, benchmarks,
// fuzz corpora or build output, and no install script or runtime dependency.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const { prebuildPath } = require('../scripts/build-native') as { prebuildPath: () => string };
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('npm pack --dry-run ships the prebuild, the sources and the build script, and nothing a package manager would build from', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'native/ntcopy.gyp', 'scripts/build-native.js',
    path.relative(root, prebuildPath()).split(path.sep).join('/'), // this platform's: prebuilds/linux-x64/ntcopy.napi.glibc.node here
    'dist/index.js', 'dist/index.d.ts', 'dist/native.js', 'native/core/nt_core.h', 'native/core/nt_wdf.c', 'native/core/nt_ndis.c',
    'native/core/nt_lsa.c', 'native/addon/binding.cc', 'native/addon/addon.h']) {
    expect(files).toContain(needed);
  }
  expect(files).not.toContain('binding.gyp');
  const forbidden = files.filter((f) => /^(test|bench|examples|build|build-tools|node_modules|\.ci|\.nodes)\/|^native\/core\/(test|fuzz)\/|\.test\./.test(f));
  expect(forbidden).toEqual([]);
  // The only .node files are prebuilds, named as lib/native.ts looks for them.
  expect(files.filter((f) => f.endsWith('.node')).filter((f) => !/^prebuilds\/(linux-[a-z0-9]+\/ntcopy\.napi\.(glibc|musl)|(win32|darwin)-[a-z0-9]+\/ntcopy\.napi)\.node$/.test(f))).toEqual([]);
});

test('installing the package runs nothing: no install scripts, gypfile off, no runtime dependencies', () => {
  for (const s of ['preinstall', 'install', 'postinstall']) expect(pkg.scripts[s]).toBeUndefined();
  expect(pkg.gypfile).toBe(false);
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['node-addon-api', 'node-gyp']));
});

test('native/ntcopy.gyp, the gyp file the package builds from, is the top-level binding.gyp', () => {
  expect(fs.readFileSync(path.join(root, 'native', 'ntcopy.gyp'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8'));
});
