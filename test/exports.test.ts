// The package's module object: every `nt.X(...)` loads X from it, so it must be a fast-mode V8 object of
// plain data properties (lib/index.ts), and CommonJS, ESM and the source modules must agree on it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nt = require(root);

function node(args: string[]): string {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

test('every export is a data property (no getter to call on each use) and __esModule is set', () => {
  const keys = Object.keys(nt);
  expect(keys.length).toBeGreaterThan(100);
  const getters = keys.filter((k) => Object.getOwnPropertyDescriptor(nt, k)!.get !== undefined);
  expect(getters).toEqual([]);
  expect(nt.__esModule).toBe(true);
  expect(Object.keys(nt)).not.toContain('__esModule');
  expect(typeof nt.WdfMemoryCopyFromBuffer).toBe('function');
});

test('exports can be spied on and replaced, as with the getters TypeScript emits (jest.spyOn, sinon)', () => {
  const spy = jest.spyOn(nt, 'NT_SUCCESS');
  expect(nt.NT_SUCCESS(0)).toBe(true);
  expect(spy).toHaveBeenCalledWith(0);
  spy.mockRestore();
  expect(jest.isMockFunction(nt.NT_SUCCESS)).toBe(false);
  const restore = jest.replaceProperty(nt, 'STATUS_SUCCESS', 7);
  expect(nt.STATUS_SUCCESS).toBe(7);
  restore.restore();
  expect(nt.STATUS_SUCCESS).toBe(0);
});

test('V8 keeps the module object in fast mode (dictionary mode costs a hash lookup per call)', () => {
  const out = node(['--allow-natives-syntax', '-e', `console.log(%HasFastProperties(require(${JSON.stringify(root)})))`]);
  expect(out).toBe('true');
});

test('every status export of lib/status.ts is in the package (index.ts lists them by name)', () => {
  const status = require(path.join(root, 'dist', 'status'));
  const keys = Object.keys(status);
  expect(keys).toContain('STATUS_SUCCESS');
  for (const k of keys) expect([k, nt[k]]).toEqual([k, status[k]]);
});

test('ESM: `import * as` and named imports see exactly the CommonJS exports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntcopy-esm-'));
  const file = path.join(dir, 'check.mjs');
  const url = JSON.stringify(require('url').pathToFileURL(path.join(root, 'dist', 'index.js')).href);
  fs.writeFileSync(file, [
    `import * as ns from ${url};`,
    `import { WdfMemoryCopyFromBuffer, STATUS_SUCCESS, NdisCopyFromNetBufferToNetBuffer } from ${url};`,
    `import { createRequire } from 'module';`,
    `const cjs = createRequire(import.meta.url)(${JSON.stringify(root)});`,
    `const named = Object.keys(ns).filter((k) => !['default', '__esModule', 'module.exports'].includes(k)).sort(); // Node >= 23 adds 'module.exports'`,
    `const same = named.every((k) => ns[k] === cjs[k]);`,
    `console.log(JSON.stringify({ named, cjs: Object.keys(cjs).sort(), same, picked: [typeof WdfMemoryCopyFromBuffer, STATUS_SUCCESS, typeof NdisCopyFromNetBufferToNetBuffer] }));`,
  ].join('\n'));
  try {
    const r = JSON.parse(node([file]));
    expect(r.named).toEqual(r.cjs);
    expect(r.same).toBe(true);
    expect(r.picked).toEqual(['function', 0, 'function']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
