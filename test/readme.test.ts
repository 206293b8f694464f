// The README's tour snippets run as written (with require('ntcopy') pointing at this checkout).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has a snippet per family', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(3);
  for (const name of ['WdfMemoryCopyFromBuffer', 'NdisCopyFromNetBufferToNetBuffer', 'CopyFromClientBuffer']) {
    expect(snippets.some((s) => s.includes(name))).toBe(true);
  }
});

test.each(snippets.map((s, i) => [i, s] as const))('README snippet %i runs', (_i, code) => {
  const script = code.replace(/require\('ntcopy'\)/g, `require(${JSON.stringify(root)})`);
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
