// A small benchmark harness, chosen over tinybench/mitata because every ratio here must come from
// implementations measured *interleaved*: in each round every implementation of a case runs one
// timed batch, in a shuffled order, so drift (turbo, other load) hits all of them alike.
//   - batch size is calibrated per implementation so one batch takes ~targetMs;
//   - a sample is the batch's ns per operation; a case keeps `rounds` samples per implementation;
//   - reported: min / median / max ns per op, and ratios of medians against each peer.
import { performance, PerformanceObserver } from 'node:perf_hooks';

export function calibrate(fn, targetMs) {
  let iters = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const ms = performance.now() - t;
    if (ms >= targetMs / 4 || iters >= 1 << 24) return Math.max(1, Math.round((iters * targetMs) / Math.max(ms, 1e-3)));
    iters *= 4;
  }
}

function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** impls: { name: fn }. Returns { name: { min, median, max, samples } } in ns per op. */
export function measure(impls, { rounds, targetMs }) {
  const names = Object.keys(impls);
  const iters = {};
  for (const n of names) { impls[n](); iters[n] = calibrate(impls[n], targetMs); }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const n of shuffle([...names])) {
      const fn = impls[n];
      const k = iters[n];
      const t = process.hrtime.bigint();
      for (let i = 0; i < k; i++) fn();
      samples[n].push(Number(process.hrtime.bigint() - t) / k);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { min: Math.min(...samples[n]), median: median(samples[n]), max: Math.max(...samples[n]) }]));
}

/** Runs fn `calls` times and counts garbage collections meanwhile (0 minor GCs = no allocation per call). */
export async function allocationCheck(fn, calls) {
  for (let i = 0; i < 1000; i++) fn();
  await new Promise((r) => setTimeout(r, 10));
  const entries = [];
  const obs = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) fn();
  const t1 = performance.now();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  const gcs = entries.filter((e) => e.startTime >= t0 && e.startTime <= t1).length;
  return { calls, gcs, heapDeltaKiB: Math.round((heap1 - heap0) / 1024), rssDeltaKiB: Math.round((rss1 - rss0) / 1024) };
}

export const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} us` : `${ns.toFixed(1)} ns`);
