// NDIS cases (DESIGN.md 4): NdisCopyFromNetBufferToNetBuffer from the middle of a chain, offsets not
// segment-aligned, against bl (BufferList.copy into a flat Buffer), uint8arraylist (subarray), and a
// straightforward pure-JS chain-to-chain copy (arrays of {buf, off, len}, linear seek, buf.copy); and
// the floor: a C loop doing only the copy's memmoves (same bytes, same runs) between the same layouts.
// Segments are allocated as an application would: Buffer.allocUnsafe per segment (Node pools the
// small ones in 8 KiB slabs; 4 KiB segments get their own ArrayBuffer). One more layout, "own buffers":
// every segment its own Buffer.alloc, so a K=4096 N=1500 copy checks ~25 ArrayBuffers per call.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { BufferList } = await import('bl');
const { Uint8ArrayList } = await import('uint8arraylist');

function segments(k, size, seed, own = false) {
  const out = [];
  for (let i = 0; i < k; i++) {
    const b = own ? Buffer.alloc(size) : Buffer.allocUnsafe(size);
    for (let j = 0; j < size; j++) b[j] = (seed + i * 131 + j * 7) & 0xff;
    out.push(b);
  }
  return out;
}

function jsChainCopy(dst, dOff, n, src, sOff) {
  let si = 0;
  while (si < src.length && sOff >= src[si].len) { sOff -= src[si].len; si++; }
  let di = 0;
  while (di < dst.length && dOff >= dst[di].len) { dOff -= dst[di].len; di++; }
  let copied = 0;
  while (copied < n && si < src.length && di < dst.length) {
    const s = src[si];
    const d = dst[di];
    const chunk = Math.min(s.len - sOff, d.len - dOff, n - copied);
    s.buf.copy(d.buf, d.off + dOff, s.off + sOff, s.off + sOff + chunk);
    copied += chunk;
    sOff += chunk;
    dOff += chunk;
    if (sOff === s.len) { si++; sOff = 0; }
    if (dOff === d.len) { di++; dOff = 0; }
  }
  return copied;
}

/** The copy's segments as [dst, src] view pairs, in 2.3's order (for the C memmove floor). */
function segmentPairs(dst, dOff, n, src, sOff) {
  const pairs = [];
  let si = 0, di = 0;
  while (si < src.length && sOff >= src[si].length) { sOff -= src[si].length; si++; }
  while (di < dst.length && dOff >= dst[di].length) { dOff -= dst[di].length; di++; }
  for (let left = n; left > 0 && si < src.length && di < dst.length;) {
    const chunk = Math.min(src[si].length - sOff, dst[di].length - dOff, left);
    pairs.push([dst[di].subarray(dOff, dOff + chunk), src[si].subarray(sOff, sOff + chunk)]);
    left -= chunk;
    sOff += chunk;
    dOff += chunk;
    if (sOff === src[si].length) { si++; sOff = 0; }
    if (dOff === dst[di].length) { di++; dOff = 0; }
  }
  return pairs;
}

/** The n bytes of a chain of Buffers starting at logical offset off. */
function gather(bufs, off, n) {
  return Buffer.concat(bufs).subarray(off, off + n);
}

export default function ndisCases(nt, native) {
  const pool = nt.NdisAllocateNetBufferPool(null);
  const cases = [];
  const other = { 64: 1500, 1500: 4096, 4096: 64 };
  const layouts = [];
  for (const K of [16, 256, 4096]) {
    for (const N of [64, 1500, 65536]) {
      for (const S of [64, 1500, 4096]) {
        layouts.push({ K, N, S, own: false });
        if (K === 4096 && N === 1500 && S === 64) layouts.push({ K, N, S, own: true });
      }
    }
  }
  for (const { K, N, S, own } of layouts) {
    const D = other[S];
    if (K * S < N + 2 * S || K * D < N + 2 * D) continue; // the chains cannot hold N mid-chain
    const srcSegs = segments(K, S, 1, own);
    const sOff = Math.floor((K * S - N) / 2) + 13; // mid-chain, not segment-aligned
    const dOff = Math.floor((K * D - N) / 2) + 5;
    // ntcopy: two NET_BUFFERs over MDL chains.
    const ntDst = segments(K, D, 0, own);
    const chain = (segs) => {
      const mdls = segs.map((b) => nt.NdisAllocateMdl(null, b));
      for (let i = 0; i + 1 < mdls.length; i++) mdls[i].Next = mdls[i + 1];
      return mdls[0];
    };
    const srcNb = nt.NdisAllocateNetBuffer(pool, chain(srcSegs), 0, K * S);
    const dstNb = nt.NdisAllocateNetBuffer(pool, chain(ntDst), 0, K * D);
    const copied = new Uint32Array(1);
    // The floor: the same memmoves between the same buffers (runs merged as the core merges them);
    // it writes ntcopy's destination, so a wrong run shows as an ntcopy mismatch.
    const floor = native.benchRunsPrepare(segmentPairs(ntDst, dOff, N, srcSegs, sOff));
    // For the memory-bound 64 KiB cases, the limit below any chain copy: one memmove of the same N
    // bytes between two flat buffers, the destination 2048 bytes past the source modulo 4 KiB (clear
    // of the 4 KiB-aliasing slow case, see wdf.mjs).
    let limit = null;
    if (N === 65536) {
      const area = Buffer.alloc(2 * N + 8192);
      const lSrc = area.subarray(13, 13 + N);
      gather(srcSegs, sOff, N).copy(lSrc);
      const lDst = area.subarray(N + 6157, N + 6157 + N);
      limit = { dst: lDst, plan: native.benchRunsPrepare([[lDst, lSrc]]) };
    }
    // peers, over the same source segments
    const bl = new BufferList(srcSegs);
    const flat = Buffer.alloc(N);
    const list = new Uint8ArrayList(...srcSegs);
    let u8out = null;
    const jsSrc = srcSegs.map((buf) => ({ buf, off: 0, len: buf.length }));
    const jsDstSegs = segments(K, D, 0, own);
    const jsDst = jsDstSegs.map((buf) => ({ buf, off: 0, len: buf.length }));
    const label = (n) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`);
    const targets = [];
    if (K === 4096 && N === 1500 && own) {
      targets.push({ peer: 'bl.copy', atLeast: 10, text: '>= 10x bl.copy (K=4096, N=1500, ~25 buffers checked)' });
    } else if (K === 4096 && N === 1500) {
      targets.push({ peer: 'bl.copy', atLeast: 40, text: '>= 40x bl.copy (K=4096, N=1500)' });
      targets.push({ peer: 'pure-JS chain copy', atLeast: 20, text: '>= 20x the pure-JS chain copy (K=4096, N=1500)' });
    }
    if (K === 4096 && N === 65536) targets.push({ peer: 'bl.copy', atLeast: 3, text: '>= 3x bl.copy (K=4096, N=64 KiB)' });
    if (K === 16 && N === 64) targets.push({ peer: 'bl.copy', atLeast: 2, text: '>= 2x bl.copy (K=16, N=64)' });
    cases.push({
      name: `NdisCopy K=${K} N=${label(N)} S=${S}->D=${D}${own ? ' own buffers' : ''}`,
      impls: {
        ntcopy: () => nt.NdisCopyFromNetBufferToNetBuffer(dstNb, dOff, N, srcNb, sOff, copied),
        'bl.copy': () => bl.copy(flat, 0, sOff, sOff + N),
        uint8arraylist: () => { u8out = list.subarray(sOff, sOff + N); },
        'pure-JS chain copy': () => jsChainCopy(jsDst, dOff, N, jsSrc, sOff),
        'C memmove, same runs (floor)': () => native.benchRunsCopy(floor),
        ...(limit && { 'C memmove, one flat copy (limit)': () => native.benchRunsCopy(limit.plan) }),
      },
      outputs: {
        ntcopy: () => (copied[0] === N ? gather(ntDst, dOff, N) : Buffer.alloc(0)),
        'bl.copy': () => flat,
        uint8arraylist: () => u8out,
        'pure-JS chain copy': () => gather(jsDstSegs, dOff, N),
        'C memmove, same runs (floor)': () => gather(ntDst, dOff, N),
        ...(limit && { 'C memmove, one flat copy (limit)': () => limit.dst }),
      },
      targets,
      alloc: K === 4096 && N === 1500 && S === 64 && !own,
    });
  }
  return cases;
}
