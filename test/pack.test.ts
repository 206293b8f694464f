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

// npm as the running Node can start it on every platform: the npm CLI script that `npm test` names
// in npm_execpath, run by this Node; else the `npm` command (`npm.cmd` on Windows, which Node
// starts only through a shell).
function npm(args: string[]): string {
  const opts = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.c?js$/.test(cli)) return execFileSync(process.execPath, [cli, ...args], opts);
  if (process.platform === 'win32') return execFileSync('npm.cmd', args, { ...opts, shell: true });
  return execFileSync('npm', args, opts);
}

test('npm pack --dry-run ships the prebuild, the sources and the build script, and nothing a package manager would build from', () => {
  const out = npm(['pack', '--dry-run', '--json', '--ignore-scripts']);
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'native/ntcopy.gyp', 'scripts/build-native.js',
    path.relative(root, prebuildPath()).split(path.sep).join('/'), // this platform's: prebuilds/linux-x64/ntcopy.napi.glibc.node here
    'dist/index.js', 'dist/index.d.ts', 'dist/native.js', 'native/core/nt_core.h', 'native/core/nt_wdf.c',
    'native/core/nt_ndis_obj.c', 'native/core/nt_ndis_seek.c', 'native/core/nt_ndis_copy.c', 'native/core/nt_ndis_adv.c',
    'native/core/nt_ndis_int.h', 'native/core/nt_batch.c', 'native/addon/batch.cc',
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
