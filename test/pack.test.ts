// What `npm pack` ships: the built library, the native sources and build files, README, LICENSE,
// CHANGELOG, and the install script; no tests, benchmarks, fuzz corpora or build output.
import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');

test('npm pack --dry-run ships exactly what a consumer needs to build and use ntcopy', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'binding.gyp', 'scripts/build-native.js',
    'dist/index.js', 'dist/index.d.ts', 'native/core/nt_core.h', 'native/core/nt_wdf.c', 'native/core/nt_ndis_obj.c', 'native/core/nt_ndis_seek.c', 'native/core/nt_ndis_copy.c', 'native/core/nt_ndis_adv.c', 'native/core/nt_ndis_int.h',
    'native/core/nt_lsa.c', 'native/addon/binding.cc', 'native/addon/addon.h']) {
    expect(files).toContain(needed);
  }
  const forbidden = files.filter((f) => /^(test|bench|examples|build|node_modules|\.ci)\/|^native\/core\/(test|fuzz)\/|\.node$|\.test\./.test(f));
  expect(forbidden).toEqual([]);
});
