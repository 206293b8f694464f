// DESIGN.md 1b / API.md 0 "Runtimes (v1.3)": the binary imports Node-API and nothing else of Node's, so
// one build loads on every Node line. A V8, node:: or libuv symbol ties it to one ABI (a Node 20 build
// then dies with `symbol lookup error` on Node 26).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { nativePath } from '../lib/native';

// The file lib/native.ts loads.
const binary: string = nativePath;

/** ELF (Linux): the dynamic symbols the binary imports (undefined in it), by objdump -T or else nm -D. */
function elfImports(file: string): string[] {
  const od = spawnSync('objdump', ['-T', file], { encoding: 'utf8' });
  if (od.status === 0) {
    return od.stdout.split('\n').filter((l) => l.includes('*UND*')).map((l) => l.trim().split(/\s+/).pop()!);
  }
  const nm = spawnSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' });
  if (nm.status !== 0) throw new Error(`neither objdump -T nor nm -D could read ${file}`);
  return nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop()!).filter(Boolean);
}

/**
 * PE32+ (Windows): the import table read from the file itself (a Windows machine has no objdump),
 * as DLL name -> imported symbol names ('#n' for an import by ordinal).
 */
function peImports(file: string): Map<string, string[]> {
  const b = fs.readFileSync(file);
  const pe = b.readUInt32LE(0x3c);
  if (b.readUInt32LE(pe) !== 0x4550) throw new Error(`${file}: no PE signature`);
  const sections = b.readUInt16LE(pe + 6);
  const opt = pe + 24;
  if (b.readUInt16LE(opt) !== 0x20b) throw new Error(`${file}: not PE32+`);
  const importRva = b.readUInt32LE(opt + 112 + 8); // data directory 1: the import table
  const table = opt + b.readUInt16LE(pe + 20);
  const offset = (rva: number): number => {
    for (let i = 0; i < sections; i++) {
      const s = table + i * 40;
      const va = b.readUInt32LE(s + 12);
      const size = Math.max(b.readUInt32LE(s + 8), b.readUInt32LE(s + 16));
      if (rva >= va && rva < va + size) return rva - va + b.readUInt32LE(s + 20);
    }
    throw new Error(`${file}: RVA 0x${rva.toString(16)} in no section`);
  };
  const cstr = (at: number): string => b.toString('latin1', at, b.indexOf(0, at));
  const out = new Map<string, string[]>();
  for (let d = offset(importRva); b.readUInt32LE(d + 12) !== 0; d += 20) {
    const names: string[] = [];
    const thunks = b.readUInt32LE(d) || b.readUInt32LE(d + 16); // OriginalFirstThunk, else FirstThunk
    for (let t = offset(thunks); b.readBigUInt64LE(t) !== 0n; t += 8) {
      const v = b.readBigUInt64LE(t);
      names.push(v >> 63n ? `#${v & 0xffffn}` : cstr(offset(Number(v & 0x7fffffffn)) + 2));
    }
    out.set(cstr(offset(b.readUInt32LE(d + 12))), names);
  }
  return out;
}

describe('ABI: Node-API only', () => {
  test('the built binary imports no V8, node:: or libuv symbol', () => {
    if (process.platform === 'win32') {
      // Windows: the addon imports from node.exe only Node-API functions, and otherwise only DLLs that
      // every Windows has (the mingw-w64 prebuild links its C and C++ runtimes in statically).
      const dlls = peImports(binary);
      expect([...dlls.keys()].map((d) => d.toLowerCase()).filter((d) => !['node.exe', 'kernel32.dll', 'msvcrt.dll'].includes(d))).toEqual([]);
      const fromNode = [...dlls].filter(([d]) => d.toLowerCase() === 'node.exe').flatMap(([, names]) => names);
      expect(fromNode.some((s) => s.startsWith('napi_'))).toBe(true); // the listing is real
      expect(fromNode.filter((s) => !/^(napi|node_api)_/.test(s))).toEqual([]);
      return;
    }
    const syms = elfImports(binary);
    expect(syms.some((s) => s.startsWith('napi_'))).toBe(true); // the listing is real
    expect(syms.filter((s) => /^_ZN2v8|^_ZNK2v8|^_ZN4node|^_ZNK4node|^uv_/.test(s))).toEqual([]);
  });
});
