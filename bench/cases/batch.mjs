// CopyBatch cases (API.md section 8). Every implementation does the same OPS copies per call, so the
// ratios are per copy; the ntcopy row is the whole receive-loop cycle: clear(), queue OPS ops, run(). Peers:
// the same copies as single ntcopy calls, the JS peer (Buffer.prototype.copy with offsets, bl.copy), and the
// floor: a C loop doing only the memmoves of the same ops (benchRunsPrepare / benchRunsCopy).
const { BufferList } = await import('bl');

const fill = (b, seed) => { for (let i = 0; i < b.length; i++) b[i] = (seed + i * 7) & 0xff; return b; };

/** A destination arena per implementation, laid out alike (same offsets modulo 4 KiB, see wdf.mjs). */
function arenas(size, names) {
  const stride = Math.ceil((size + 64) / 4096) * 4096;
  const ab = new ArrayBuffer(stride * names.length);
  return Object.fromEntries(names.map((n, i) => [n, Buffer.from(ab, i * stride, size)]));
}

function wdfCase(nt, native, { size, ops, buffers, targets, name }) {
  const srcs = Array.from({ length: buffers }, (_, i) => fill(Buffer.alloc(size), i + 1));
  const flat = Buffer.concat(srcs); // Buffer.copy's source: the same bytes, copied with offsets
  const span = ops * (size + 32) + 64;
  const dst = arenas(span, ['ntcopy', 'single', 'copy', 'floor']);
  const offs = Array.from({ length: ops }, (_, i) => i * (size + 32) + 3);
  const mem = nt.WdfMemoryCreatePreallocated(null, dst.ntcopy).memory;
  const memSingle = nt.WdfMemoryCreatePreallocated(null, dst.single).memory;
  const batch = new nt.CopyBatch(ops);
  const plan = native.benchRunsPrepare(offs.map((o, i) => [dst.floor.subarray(o, o + size), srcs[i % buffers]]));
  return {
    name: name ?? `CopyBatch WdfMemoryCopyFromBuffer ${size} B x${ops} over ${buffers} buffers`,
    impls: {
      ntcopy: () => {
        batch.clear();
        for (let i = 0; i < ops; i++) batch.WdfMemoryCopyFromBuffer(mem, offs[i], srcs[i % buffers], size);
        batch.run();
      },
      'single calls': () => { for (let i = 0; i < ops; i++) nt.WdfMemoryCopyFromBuffer(memSingle, offs[i], srcs[i % buffers], size); },
      'Buffer.copy': () => { for (let i = 0; i < ops; i++) { const s = (i % buffers) * size; flat.copy(dst.copy, offs[i], s, s + size); } },
      'C memmove, same ops (floor)': () => native.benchRunsCopy(plan),
    },
    outputs: { ntcopy: dst.ntcopy, 'single calls': dst.single, 'Buffer.copy': dst.copy, 'C memmove, same ops (floor)': dst.floor },
    targets,
    alloc: ops === 32 && buffers === 2 && size === 16,
  };
}

function lsaCase(nt) {
  const BASE = 0x10000, ops = 32, size = 64;
  const image = fill(Buffer.alloc(0x4000), 11);
  const client = nt.Sim.createClientRequest();
  client.map(BASE, image, nt.PAGE_READWRITE);
  const offs = Array.from({ length: ops }, (_, i) => 3 + i * 97);
  const out = arenas(ops * size, ['ntcopy', 'single', 'copy']);
  const locals = (b) => Array.from({ length: ops }, (_, i) => b.subarray(i * size, (i + 1) * size));
  const ntLocal = locals(out.ntcopy), singleLocal = locals(out.single);
  const batch = new nt.CopyBatch(ops);
  return {
    name: `CopyBatch CopyFromClientBuffer ${size} B x${ops}`,
    impls: {
      ntcopy: () => {
        batch.clear();
        for (let i = 0; i < ops; i++) batch.CopyFromClientBuffer(client, size, ntLocal[i], BASE + offs[i]);
        batch.run();
      },
      'single calls': () => { for (let i = 0; i < ops; i++) nt.LsaFunctions.CopyFromClientBuffer(client, size, singleLocal[i], BASE + offs[i]); },
      'Buffer.copy': () => { for (let i = 0; i < ops; i++) image.copy(out.copy, i * size, offs[i], offs[i] + size); },
    },
    outputs: { ntcopy: out.ntcopy, 'single calls': out.single, 'Buffer.copy': out.copy },
    targets: [{ peer: 'Buffer.copy', atLeast: 3, text: '>= 3x Buffer.copy per copy (LSA 64 B, 32 ops)' }],
  };
}

/** n lists of K segments of S bytes: all slices of one Buffer (`adjacent`), or each its own Buffer.alloc. */
function segs(n, K, S, seed, oneBuffer) {
  const one = oneBuffer ? fill(Buffer.alloc(n * K * S), seed) : null;
  return Array.from({ length: n }, (_, j) => Array.from({ length: K }, (_, i) =>
    (one ? one.subarray((j * K + i) * S, (j * K + i + 1) * S) : fill(Buffer.alloc(S), seed + j * K + i))));
}

function chain(nt, pool, list) {
  const mdls = list.map((b) => nt.NdisAllocateMdl(null, b));
  for (let i = 0; i + 1 < mdls.length; i++) mdls[i].Next = mdls[i + 1];
  return nt.NdisAllocateNetBuffer(pool, mdls[0], 0, list.reduce((n, b) => n + b.length, 0));
}

/**
 * NDIS: `nbs` NET_BUFFER pairs (K segments of S bytes each), ops copying N bytes from pair (i+1)'s source to
 * pair i's destination at varying offsets. ntcopy's destination chains and bl.copy's flat destinations hold the
 * same logical bytes (compared whole).
 */
function ndisCase(nt, native, { K, S, N, nbs, oneBuffer, ops, targets }) {
  const pool = nt.NdisAllocateNetBufferPool(null);
  const len = K * S;
  const srcSegs = segs(nbs, K, S, 3, oneBuffer);  // one buffer per direction when oneBuffer
  const dstSegs = segs(nbs, K, S, 0, oneBuffer);
  const src = srcSegs.map((l) => chain(nt, pool, l));
  const dst = dstSegs.map((l) => chain(nt, pool, l));
  const bls = srcSegs.map((l) => new BufferList(l));
  const flats = dstSegs.map((l) => Buffer.concat(l)); // the same starting bytes as the chains
  const singleSegs = segs(nbs, K, S, 0, oneBuffer);
  const single = singleSegs.map((l) => chain(nt, pool, l));
  const plan = [];
  const opsList = Array.from({ length: ops }, (_, i) => ({ d: i % nbs, s: (i + 1) % nbs, dOff: (i * 389 + 5) % (len - N), sOff: (i * 631 + 13) % (len - N) }));
  // the floor's runs: each op's segment pairs, in order, over copies of the destination
  const floorDst = dstSegs.map((l) => l.map((b) => Buffer.from(b)));
  for (const o of opsList) {
    let left = N, d = o.dOff, s = o.sOff;
    while (left > 0) {
      const di = Math.floor(d / S), si = Math.floor(s / S);
      const chunk = Math.min(S - (d % S), S - (s % S), left);
      plan.push([floorDst[o.d][di].subarray(d % S, d % S + chunk), srcSegs[o.s][si].subarray(s % S, s % S + chunk)]);
      d += chunk; s += chunk; left -= chunk;
    }
  }
  const floor = native.benchRunsPrepare(plan);
  const batch = new nt.CopyBatch(ops);
  const counter = new Uint32Array(1);
  const whole = (lists) => () => Buffer.concat(lists.flat());
  return {
    name: `CopyBatch NdisCopy K=${K} N=${N} S=${S} x${ops}, ${oneBuffer ? 'segments slices of one buffer' : 'each segment its own Buffer'}`,
    impls: {
      ntcopy: () => {
        batch.clear();
        for (const o of opsList) batch.NdisCopyFromNetBufferToNetBuffer(dst[o.d], o.dOff, N, src[o.s], o.sOff);
        batch.run();
      },
      'single calls': () => { for (const o of opsList) nt.NdisCopyFromNetBufferToNetBuffer(single[o.d], o.dOff, N, src[o.s], o.sOff, counter); },
      'bl.copy': () => { for (const o of opsList) bls[o.s].copy(flats[o.d], o.dOff, o.sOff, o.sOff + N); },
      'C memmove, same runs (floor)': () => native.benchRunsCopy(floor),
    },
    outputs: { ntcopy: whole(dstSegs), 'single calls': whole(singleSegs), 'bl.copy': () => Buffer.concat(flats), 'C memmove, same runs (floor)': whole(floorDst) },
    targets,
  };
}

/** One op in a batch against the plain call (the batch may never cost more). */
function singleOpCase(nt) {
  const dst = arenas(64, ['ntcopy', 'plain']);
  const src = fill(Buffer.alloc(16), 9);
  const mem = nt.WdfMemoryCreatePreallocated(null, dst.ntcopy).memory;
  const plain = nt.WdfMemoryCreatePreallocated(null, dst.plain).memory;
  const batch = new nt.CopyBatch(1);
  return {
    name: 'CopyBatch of one WdfMemoryCopyFromBuffer 16 B',
    impls: {
      ntcopy: () => { batch.clear(); batch.WdfMemoryCopyFromBuffer(mem, 3, src, 16); batch.run(); },
      'plain call': () => nt.WdfMemoryCopyFromBuffer(plain, 3, src, 16),
    },
    outputs: { ntcopy: dst.ntcopy, 'plain call': dst.plain },
    targets: [{ peer: 'plain call', atLeast: 1, text: 'a single op in a batch: no slower than the plain call' }],
  };
}

export default function batchCases(nt, native) {
  const per = (x, what) => ({ peer: 'Buffer.copy', atLeast: x, text: `>= ${x}x Buffer.copy with offsets per copy (${what})` });
  return [
    wdfCase(nt, native, { size: 16, ops: 32, buffers: 2, targets: [per(4, '16 B, 32 ops, 2 buffers')] }),
    wdfCase(nt, native, { size: 16, ops: 32, buffers: 16, targets: [per(4, '16 B, 32 ops, 16 buffers')] }),
    wdfCase(nt, native, { size: 16, ops: 256, buffers: 2, targets: [per(6, '16 B, 256 ops, 2 buffers')] }),
    wdfCase(nt, native, { size: 16, ops: 256, buffers: 16, targets: [per(6, '16 B, 256 ops, 16 buffers')] }),
    wdfCase(nt, native, { size: 1500, ops: 32, buffers: 2,
      targets: [{ peer: 'C memmove, same ops (floor)', atLeast: 1 / 1.3, text: 'within 1.3x of the C memmove loop over the same ops' }] }),
    lsaCase(nt),
    ndisCase(nt, native, { K: 16, S: 64, N: 64, nbs: 4, oneBuffer: true, ops: 32,
      targets: [{ peer: 'bl.copy', atLeast: 6, text: '>= 6x bl.copy per copy (K=16, N=64, 32 ops)' }] }),
    ndisCase(nt, native, { K: 4096, S: 64, N: 1500, nbs: 1, oneBuffer: false, ops: 32,
      targets: [{ peer: 'bl.copy', atLeast: 12, text: '>= 12x bl.copy per copy (K=4096, N=1500, 32 ops)' }] }),
    singleOpCase(nt),
  ];
}
