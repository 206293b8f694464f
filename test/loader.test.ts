// lib/native.ts loads this platform's prebuild first, and in a checkout that prebuild is the addon last built
// (npm run build refreshes it, npm test re-syncs it), so the suite always tests the fresh binary.
import * as fs from 'fs';
import * as path from 'path';
import { nativePath } from '../lib/native';

const root = path.join(__dirname, '..');
const { prebuildPath } = require('../scripts/build-native') as { prebuildPath: () => string };

test('the binding comes from this platform\'s prebuild', () => {
  expect(nativePath).toBe(prebuildPath());
});

test('that prebuild is byte for byte the last source build (build/Release)', () => {
  const built = path.join(root, 'build', 'Release', 'ntcopy.node');
  expect(fs.existsSync(built)).toBe(true);
  expect(fs.readFileSync(nativePath).equals(fs.readFileSync(built))).toBe(true);
});
