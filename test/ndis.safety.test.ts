// Memory safety (API.md 6, DESIGN.md 3): detached, shrunk and dropped views under MDLs, cycles, freeing
// MDLs still in a chain, double frees. Each case either works on the memory as it is now, throws a JS
// error, or throws BugCheckError; nothing outside the views is touched and nothing hangs.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as nt from '../lib';
import { native } from '../lib/native';
import { seg, nbOf, bytesOf, bugcheck, pool, D8, S8, newResizable, guardsIntact } from './helpers/ndis';

function detach(ab: ArrayBufferLike): void {
  structuredClone(ab, { transfer: [ab as ArrayBuffer] });
}

describe('detached views (structuredClone transfer)', () => {
  test('API.md 6: every routine touching a detached MDL bug checks 0x50 or works without its bytes', () => {
    const ab = new ArrayBuffer(8);
    const m = nt.IoAllocateMdl(new Uint8Array(ab, 2, 4))!;
    const nb = nt.NdisAllocateNetBuffer(pool, m, 0, 4)!;
    detach(ab);
    expect(m.ByteCount).toBe(4); // the MDL structure itself is fine
    expect(bugcheck(() => nt.MmGetMdlVirtualAddress(m)).bugCheckCode).toBe(0x50);
    expect(bugcheck(() => nt.MmGetSystemAddressForMdlSafe(m, 0)).bugCheckCode).toBe(0x50);
    expect(m.MdlFlags).toBe(0); // decided before the mapping side effect
    const d = D8(), bc = new Uint32Array([3]);
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 4, nb, 0, bc)).bugCheckCode).toBe(0x50);
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(nb, 0, 4, d.nb, 0, bc)).parameters[1]).toBe(1n);
    expect(bc[0]).toBe(3);
    expect(bugcheck(() => nt.NdisGetDataBuffer(nb, 2, null, 1, 0)).bugCheckCode).toBe(0x50);
    m.ByteCount = 0; // a zero-length MDL over gone memory touches nothing
    expect(nt.MmGetMdlVirtualAddress(m).byteLength).toBe(0);
    expect(nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 4, nb, 0, bc)).toBe(nt.NDIS_STATUS_SUCCESS);
    expect(bc[0]).toBe(0);
    nt.IoFreeMdl(m);
  });
  test('API.md 6: a detached Storage view cannot be written (0xD6, Storage holds 0 bytes)', () => {
    const s = S8();
    s.nb.CurrentMdlOffset = 2;
    const st = new Uint8Array(8);
    detach(st.buffer);
    expect(bugcheck(() => nt.NdisGetDataBuffer(s.nb, 4, st, 1, 0)).bugCheckCode).toBe(0xd6);
  });
  test('API.md 6: a detached BytesCopied array is a TypeError before anything is written', () => {
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    detach(bc.buffer);
    expect(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 8, s.nb, 0, bc)).toThrow(TypeError);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('shrunk resizable ArrayBuffers', () => {
  test('API.md 6: a fixed-length view pushed out of bounds is wholly gone; growing back restores it', () => {
    const rab = newResizable(8, 16);
    const v = new Uint8Array(rab, 4, 4);
    v.set([1, 2, 3, 4]);
    const m = nt.IoAllocateMdl(v)!;
    const nb = nt.NdisAllocateNetBuffer(pool, m, 0, 4)!;
    const d = D8(), bc = new Uint32Array(1);
    rab.resize(6);
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 1, nb, 0, bc)).bugCheckCode).toBe(0x50);
    rab.resize(8);
    expect(nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 4, nb, 0, bc)).toBe(0);
    expect(bytesOf(d.segs).slice(0, 4)).toEqual([1, 2, 0, 0]); // bytes 6..7 of the buffer were regrown as zeros
    expect(bc[0]).toBe(4);
  });
  test('API.md 6: a resizable buffer whose `resizable` property lies is still checked at every copy', () => {
    const rab = newResizable(8192, 65536);
    Object.defineProperty(rab, 'resizable', { value: false });
    const v = new Uint8Array(rab, 4096, 16).fill(7);
    const nb = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(v)!, 0, 16)!;
    const d = D8(), bc = new Uint32Array([99]);
    expect(nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 8, nb, 0, bc)).toBe(0);
    expect(bytesOf(d.segs)).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    d.segs[0].bytes.fill(0x11);
    rab.resize(100);
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 8, nb, 0, bc)).bugCheckCode).toBe(0x50);
    expect(bc[0]).toBe(8); // the bug check wrote nothing: not the count, not a byte, not a guard
    expect(bytesOf(d.segs)).toEqual([0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11]);
    expect(guardsIntact(d.segs)).toBe(true);
  });
  test('API.md 6: a `resizable` getter replaced before ntcopy loads cannot make it read past a shrunk buffer', () => {
    // The getter lib/ captures is then a lie: the buffer is taken for fixed-length, yet every copy still
    // reads its current length (per call), so the gone bytes are 0x50 and nothing crashes.
    const script = `
      Object.defineProperty(ArrayBuffer.prototype, 'resizable', { get() { return false; }, configurable: true });
      const nt = require(${JSON.stringify(path.join(__dirname, '..'))});
      const rab = new ArrayBuffer(65536, { maxByteLength: 65536 });
      const v = new Uint8Array(rab, 32768, 16).fill(7);
      const pool = nt.NdisAllocateNetBufferPool(null);
      const nb = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(v), 0, 16);
      const out = Buffer.alloc(8), bc = new Uint32Array(1);
      const dst = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(out), 0, 8);
      const first = nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 8, nb, 0, bc);
      rab.resize(16);
      let code = 0;
      try { nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 8, nb, 0, bc); } catch (e) { code = e.bugCheckCode; }
      console.log(JSON.stringify({ first, code, out: [...out] }));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ first: 0, code: 0x50, out: [7, 7, 7, 7, 7, 7, 7, 7] });
  });
  test('API.md 6: a length-tracking view shrunk below ByteCount is gone per byte', () => {
    const rab = newResizable(6, 6);
    const v = new Uint8Array(rab);
    v.set([1, 2, 3, 4, 5, 6]);
    const m = nt.IoAllocateMdl(v)!;
    const nb = nt.NdisAllocateNetBuffer(pool, m, 0, 6)!;
    rab.resize(2);
    expect([...(nt.NdisGetDataBuffer(nb, 2, null, 1, 0) as Uint8Array)]).toEqual([1, 2]);
    expect(bugcheck(() => nt.NdisGetDataBuffer(nb, 3, null, 1, 0)).bugCheckCode).toBe(0x50);
    expect(bugcheck(() => nt.MmGetMdlVirtualAddress(m)).parameters[0]).toBe(2n);
  });
});

describe('cycles and freed MDLs', () => {
  test('6.6: mdl.Next = mdl on a zero-length MDL never hangs: NdisAllocateNetBuffer, Advance, Retreat, GetDataBuffer', () => {
    const z = seg(0);
    z.mdl.Next = z.mdl;
    expect(bugcheck(() => nt.NdisAllocateNetBuffer(pool, z.mdl, 1, 0)).bugCheckCode).toBe(nt.DPC_WATCHDOG_VIOLATION);
    const nb = nt.NdisAllocateNetBuffer(pool, null, 0, 4)!;
    nb.MdlChain = z.mdl;
    nb.CurrentMdl = z.mdl;
    expect(bugcheck(() => nt.NdisAdvanceNetBufferDataStart(nb, 1, false)).bugCheckCode).toBe(0x133);
    expect([nb.DataOffset, nb.DataLength]).toEqual([0, 4]); // nothing changed
    expect(bugcheck(() => nt.NdisGetDataBuffer(nb, 1, Buffer.alloc(1), 1, 0)).bugCheckCode).toBe(0x133);
    nb.DataOffset = 2;
    expect(bugcheck(() => nt.NdisRetreatNetBufferDataStart(nb, 1, 0)).bugCheckCode).toBe(0x133);
    expect([nb.DataOffset, nb.DataLength]).toEqual([2, 4]);
  });
  test('6.6: a non-empty cycle is walked by every routine (cursor derivation reduces along the cycle)', () => {
    const a = seg([1, 2, 3]);
    a.mdl.Next = a.mdl;
    const nb = nt.NdisAllocateNetBuffer(pool, a.mdl, 0xffffffff, 4)!;
    expect(nb.CurrentMdl).toBe(a.mdl);
    expect(nb.CurrentMdlOffset).toBe(0xffffffff % 3);
    const st = Buffer.alloc(5);
    nb.CurrentMdlOffset = 2;
    expect(nt.NdisGetDataBuffer(nb, 4, st, 1, 0)).toBe(st);
    expect([...st.subarray(0, 4)]).toEqual([3, 1, 2, 3]);
  });
  test('API.md 6: freeing an MDL still in a chain; a later walk meeting it is 0x1E before anything changes', () => {
    const s = S8();
    const d = D8(), bc = new Uint32Array([9]);
    nt.IoFreeMdl(s.segs[1].mdl);
    expect(s.segs[0].mdl.Next).toBe(s.segs[1].mdl); // the stale pointer stays in the chain
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 8, s.nb, 0, bc)).parameters[0]).toBe(0xc0000005n);
    expect(bc[0]).toBe(9);
    expect(bytesOf(d.segs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(bugcheck(() => nt.NdisAdvanceNetBufferDataStart(s.nb, 5, false)).bugCheckCode).toBe(0x1e);
    expect([s.nb.DataOffset, s.nb.DataLength]).toEqual([0, 8]);
    expect(bugcheck(() => nt.NdisAllocateNetBuffer(pool, s.segs[1].mdl, 0, 0)).bugCheckCode).toBe(0x1e);
    s.nb.CurrentMdl = s.segs[1].mdl; // storing a stale pointer is allowed; using it is not
    expect(bugcheck(() => nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 1, s.nb, 0, bc)).bugCheckCode).toBe(0x1e);
  });
  test('API.md 6: double frees of every NDIS object are 0x1E and leave other objects usable', () => {
    const m = seg(2).mdl, nb = nbOf([]);
    const nblp = nt.NdisAllocateNetBufferListPool(null), nbp = nt.NdisAllocateNetBufferPool(null);
    const nbl = nt.NdisAllocateNetBufferList(nblp, 0, 0)!;
    nt.IoFreeMdl(m);
    nt.NdisFreeNetBuffer(nb);
    nt.NdisFreeNetBufferList(nbl);
    nt.NdisFreeNetBufferListPool(nblp);
    nt.NdisFreeNetBufferPool(nbp);
    for (const f of [() => nt.NdisFreeMdl(m), () => nt.NdisFreeNetBuffer(nb), () => nt.NdisFreeNetBufferList(nbl),
      () => nt.NdisFreeNetBufferListPool(nblp), () => nt.NdisFreeNetBufferPool(nbp)]) {
      expect(bugcheck(f).bugCheckCode).toBe(nt.KMODE_EXCEPTION_NOT_HANDLED);
    }
    const s = S8(), d = D8(), bc = new Uint32Array(1);
    expect(nt.NdisCopyFromNetBufferToNetBuffer(d.nb, 0, 8, s.nb, 0, bc)).toBe(0);
    expect(bc[0]).toBe(8);
  });
  test('freeing releases the view reference: live objects go back to where they were', () => {
    const before = native.liveObjects();
    const ms = Array.from({ length: 50 }, () => nt.IoAllocateMdl(Buffer.alloc(16))!);
    expect(native.liveObjects()).toBe(before + 50);
    ms.forEach((m) => nt.IoFreeMdl(m));
    expect(native.liveObjects()).toBe(before);
  });
});

describe('dropped references and teardown (child node --expose-gc)', () => {
  const root = path.join(__dirname, '..');
  const dist = path.join(root, 'dist', 'index.js');
  test('API.md 6: an MDL keeps its memory alive after every JS reference to the buffer and handles is dropped', () => {
    expect(fs.existsSync(dist)).toBe(true); // `npm run build` (npm install runs it) builds dist/
    const script = `
      const nt = require(${JSON.stringify(root)});
      const { Worker } = require('worker_threads');
      const pool = nt.NdisAllocateNetBufferPool(null);
      function make() {
        let m0 = nt.IoAllocateMdl(Buffer.from([1, 2, 3])), m1 = nt.NdisAllocateMdl(null, new Uint8Array([4, 5]));
        m0.Next = m1;
        return nt.NdisAllocateNetBuffer(pool, m0, 0, 5);
      }
      const src = make();
      for (let i = 0; i < 5; i++) { new Uint8Array(1 << 20); global.gc(); }
      const out = Buffer.alloc(5), bc = new Uint32Array(1);
      const dst = nt.NdisAllocateNetBuffer(pool, nt.IoAllocateMdl(out), 0, 5);
      const st = nt.NdisCopyFromNetBufferToNetBuffer(dst, 0, 5, src, 0, bc);
      // freed MDLs whose buffers are then dropped: nothing left to touch
      const f = nt.IoAllocateMdl(Buffer.alloc(4)); nt.IoFreeMdl(f); global.gc();
      const w = new Worker("const nt = require(" + JSON.stringify(${JSON.stringify(root)}) + ");" +
        "const p = nt.NdisAllocateNetBufferPool(null); const m = nt.IoAllocateMdl(Buffer.alloc(8)); m.Next = m;" +
        "nt.NdisAllocateNetBuffer(p, m, 3, 5);", { eval: true });
      w.on('exit', (code) => console.log(JSON.stringify({ st, bc: bc[0], out: [...out], worker: code })));
    `;
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ st: 0, bc: 5, out: [1, 2, 3, 4, 5], worker: 0 });
  });
});
