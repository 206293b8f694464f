// What `npm pack` ships: the built library, the native sources and build files, README, LICENSE,
// CHANGELOG, and the install script; no tests, benchmarks, fuzz corpora or build output.
import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');

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

test('npm pack --dry-run ships exactly what a consumer needs to build and use ntcopy', () => {
  const out = npm(['pack', '--dry-run', '--json', '--ignore-scripts']);
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'binding.gyp', 'scripts/build-native.js',
    'dist/index.js', 'dist/index.d.ts', 'native/core/nt_core.h', 'native/core/nt_wdf.c', 'native/core/nt_ndis_obj.c', 'native/core/nt_ndis_seek.c', 'native/core/nt_ndis_copy.c', 'native/core/nt_ndis_adv.c', 'native/core/nt_ndis_int.h',
    'native/core/nt_lsa.c', 'native/addon/binding.cc', 'native/addon/addon.h']) {
    expect(files).toContain(needed);
  }
  const forbidden = files.filter((f) => /^(test|bench|examples|build|node_modules|\.ci)\/|^native\/core\/(test|fuzz)\/|\.node$|\.test\./.test(f));
  expect(forbidden).toEqual([]);
});
