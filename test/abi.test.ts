// DESIGN.md 1b / API.md 0 "Runtimes (v1.3)": the binary imports Node-API and nothing else of Node's, so
// one build loads on every Node line. A V8, node:: or libuv symbol ties it to one ABI (a Node 20 build
// then dies with `symbol lookup error` on Node 26).
import { spawnSync } from 'child_process';
import bindings = require('bindings');

// The file lib/native.ts loads.
const binary: string = (bindings as unknown as (o: object) => string)({ bindings: 'ntcopy', path: true });

/** The dynamic symbols the binary imports (undefined in it), by objdump -T or else nm -D. */
function imports(file: string): string[] {
  const od = spawnSync('objdump', ['-T', file], { encoding: 'utf8' });
  if (od.status === 0) {
    return od.stdout.split('\n').filter((l) => l.includes('*UND*')).map((l) => l.trim().split(/\s+/).pop()!);
  }
  const nm = spawnSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' });
  if (nm.status !== 0) throw new Error(`neither objdump -T nor nm -D could read ${file}`);
  return nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop()!).filter(Boolean);
}

// ELF tools: Linux only (the package's CI platform).
(process.platform === 'linux' ? describe : describe.skip)('ABI: Node-API only', () => {
  test('the built binary imports no V8, node:: or libuv symbol', () => {
    const syms = imports(binary);
    expect(syms.some((s) => s.startsWith('napi_'))).toBe(true); // the listing is real
    expect(syms.filter((s) => /^_ZN2v8|^_ZNK2v8|^_ZN4node|^_ZNK4node|^uv_/.test(s))).toEqual([]);
  });
});
