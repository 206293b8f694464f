// NDIS cases (DESIGN.md 4): NdisCopyFromNetBufferToNetBuffer from the middle of a chain, offsets not
// segment-aligned, against bl (BufferList.copy into a flat Buffer), uint8arraylist (subarray), and a
// straightforward pure-JS chain-to-chain copy (arrays of {buf, off, len}, linear seek, buf.copy); and
// the floor: a C loop doing only the copy's memmoves (same bytes, same runs) between the same layouts.
// Every case runs in three layouts of its segments (DESIGN.md 4), each with its own floor row:
//   adjacent   Buffer.allocUnsafe per segment: Node hands small ones out as neighbouring slices of one
//              8 KiB slab, so consecutive MDLs usually describe adjacent bytes and the core merges them
//              into one memmove (the best case; 4 KiB segments get their own ArrayBuffer);
//   scattered  slices of one large buffer per chain, GAP bytes apart: no two segments adjacent, one check
//              of the buffer per call (what a driver's receive ring or page-per-MDL chain looks like);
//   scattered, Buffer.alloc each  a separate ArrayBuffer per segment: also no two segments adjacent,
//              and the binding checks every segment's buffer (detached? shrunk?) on every call.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { BufferList } = await import('bl');
const { Uint8ArrayList } = await import('uint8arraylist');

const GAP = 64;
const FLOOR = 'C memmove, same runs (floor)';
const LAYOUTS = ['adjacent', 'scattered', 'scattered, Buffer.alloc each'];

function segments(k, size, seed, layout = 'adjacent') {
  const out = [];
  const big = layout === 'scattered' ? Buffer.alloc(k * (size + GAP)) : null;
  for (let i = 0; i < k; i++) {
    const b = big ? big.subarray(i * (size + GAP), i * (size + GAP) + size)
      : layout === 'adjacent' ? Buffer.allocUnsafe(size) : Buffer.alloc(size);
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
  for (const layout of LAYOUTS) {
  for (const K of [16, 256, 4096]) {
    for (const N of [64, 1500, 65536]) {
      for (const S of [64, 1500, 4096]) {
        const D = other[S];
        if (K * S < N + 2 * S || K * D < N + 2 * D) continue; // the chains cannot hold N mid-chain
        const srcSegs = segments(K, S, 1, layout);
        const sOff = Math.floor((K * S - N) / 2) + 13; // mid-chain, not segment-aligned
        const dOff = Math.floor((K * D - N) / 2) + 5;
        // ntcopy: two NET_BUFFERs over MDL chains.
        const ntDst = segments(K, D, 0, layout);
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
        if (N === 65536 && layout === 'adjacent') {
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
        const jsDstSegs = segments(K, D, 0, layout);
        const jsDst = jsDstSegs.map((buf) => ({ buf, off: 0, len: buf.length }));
        const label = (n) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`);
        const targets = [];
        if (layout === 'adjacent') {
          if (K === 4096 && N === 1500) {
            // issue 14 item 6 (replaces issue 5's 20x)
            targets.push({ peer: 'bl.copy', atLeast: 40, text: '>= 40x bl.copy (K=4096, N=1500)' });
            targets.push({ peer: 'pure-JS chain copy', atLeast: 20, text: '>= 20x the pure-JS chain copy (K=4096, N=1500)' });
          }
          // issue 14 item 6: 80% of the floor's speed (replaces issue 5's 3x bl.copy at 64 KiB)
          if (K === 4096 && N === 65536) targets.push({ peer: FLOOR, atLeast: 0.8, text: '>= 80% of the floor\'s speed (K=4096, N=64 KiB)' });
          if (K === 16 && N === 64) targets.push({ peer: 'bl.copy', atLeast: 2, text: '>= 2x bl.copy (K=16, N=64)' });
        } else {
          // issue 16: a segment costs little more than its memmove (ratio = floor / ntcopy, so 1.5x the
          // floor is a ratio of 1/1.5); and well ahead of the pure-JS chain copy
          const within = layout === 'scattered' && ((K === 4096 && N === 65536) ? 1.5
            : (K === 4096 && N === 1500 && S === 64) || (K === 16 && N === 64) ? 1.6 : 0);
          if (within) targets.push({ peer: FLOOR, atLeast: 1 / within, text: `<= ${within}x the floor` });
          if (N === 65536) targets.push({ peer: 'pure-JS chain copy', atLeast: 2, text: '>= 2x the pure-JS chain copy' });
          if (K === 4096 && N === 1500) targets.push({ peer: 'pure-JS chain copy', atLeast: 10, text: '>= 10x the pure-JS chain copy' });
          if (layout !== 'scattered' && K === 4096 && N === 1500 && S === 64) {
            targets.push({ peer: 'bl.copy', atLeast: 10, text: '>= 10x bl.copy (K=4096, N=1500, ~25 buffers checked)' });
          }
        }
        cases.push({
          name: `NdisCopy ${layout}: K=${K} N=${label(N)} S=${S}->D=${D}`,
          impls: {
            ntcopy: () => nt.NdisCopyFromNetBufferToNetBuffer(dstNb, dOff, N, srcNb, sOff, copied),
            'bl.copy': () => bl.copy(flat, 0, sOff, sOff + N),
            uint8arraylist: () => { u8out = list.subarray(sOff, sOff + N); },
            'pure-JS chain copy': () => jsChainCopy(jsDst, dOff, N, jsSrc, sOff),
            [FLOOR]: () => native.benchRunsCopy(floor),
            ...(limit && { 'C memmove, one flat copy (limit)': () => native.benchRunsCopy(limit.plan) }),
          },
          outputs: {
            ntcopy: () => (copied[0] === N ? gather(ntDst, dOff, N) : Buffer.alloc(0)),
            'bl.copy': () => flat,
            uint8arraylist: () => u8out,
            'pure-JS chain copy': () => gather(jsDstSegs, dOff, N),
            [FLOOR]: () => gather(ntDst, dOff, N),
            ...(limit && { 'C memmove, one flat copy (limit)': () => limit.dst }),
          },
          targets,
          alloc: K === 4096 && N === 1500 && S === 64 && layout !== 'scattered, Buffer.alloc each',
        });
      }
    }
  }
  }
  return cases;
}
