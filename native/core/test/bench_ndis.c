/* Times nt_ndis_copy alone, without Node (not part of `make check`): `make bench` then
 *   out/bench_ndis K N S D iters      (NTGROUPS=1: the two regions as buffer groups, as the binding does
 *                                      for slices of one buffer; NTGROUPS=seg: every segment its own group,
 *                                      as a separate Buffer.alloc per segment is;
 *                                      NTGAP=g: g bytes between segments: 0 adjacent, > 0 scattered)
 * K MDLs of S bytes -> K MDLs of D bytes over two malloc'd regions, N bytes from mid-chain as in
 * bench/cases/ndis.mjs. Checks the copied bytes; prints ns per call, and the floor's: only the same
 * runs' memmoves (segments merged where contiguous on both sides, as bench.cc's floor row). For
 * instruction counts: valgrind --tool=callgrind --toggle-collect=nt_ndis_copy (or =floor_copy)
 * out/bench_ndis ... (difference two runs). */
#define _POSIX_C_SOURCE 199309L
#include <time.h>
#include "t.h"
#include "nt_ndis.h"
static uint8_t *regions[2]; static size_t rlens[2]; static int ngroups, seggroups;
static int g_group(void *ud, uint32_t slot, uint32_t *g, uint64_t *off, uint64_t *len) {
  (void)ud;
  if (seggroups) { *g = slot; *off = 0; *len = tv[slot].len; return 1; }
  for (int i = 0; i < ngroups; i++)
    if (tv[slot].ptr >= regions[i] && tv[slot].ptr < regions[i] + rlens[i]) { *g = i; *off = tv[slot].ptr - regions[i]; *len = tv[slot].len; return 1; }
  return 0;
}
static nt_span g_resolve(void *ud, uint32_t g) {
  (void)ud;
  return seggroups ? (nt_span){tv[g].ptr, tv[g].len} : (nt_span){regions[g], rlens[g]};
}
static size_t gap;
static nt_id chain(nt_ctx *ctx, int k, int size, uint8_t *region) {
  nt_id first = 0, prev = 0;
  for (int i = 0; i < k; i++) {
    uint32_t slot = tv_register(region + (size_t)i * (size + gap), size);
    nt_id m; if (nt_ndis_mdl_alloc(ctx, slot, size, 0, 1, &m)) abort();
    if (prev) nt_ndis_mdl_set_next(ctx, prev, m); else first = m;
    prev = m;
  }
  return first;
}
typedef struct { uint8_t *d; const uint8_t *s; size_t n; } frun;
__attribute__((noinline)) static void floor_copy(const frun *r, size_t nr) {
  for (size_t i = 0; i < nr; i++) memmove(r[i].d, r[i].s, r[i].n);
}
/* The copy's runs between the two regions (segment sizes S, D with `gap` bytes between segments). */
static size_t floor_runs(frun *r, uint8_t *sr, uint8_t *dr, int S, int D, uint32_t so, uint32_t dq, uint32_t n) {
  size_t nr = 0;
  while (n) {
    uint32_t c = S - so % S, dc = D - dq % D;
    if (dc < c) c = dc;
    if (n < c) c = n;
    uint8_t *d = dr + (size_t)(dq / D) * (D + gap) + dq % D;
    const uint8_t *s = sr + (size_t)(so / S) * (S + gap) + so % S;
    if (nr && r[nr - 1].d + r[nr - 1].n == d && r[nr - 1].s + r[nr - 1].n == s &&
        (d + c <= r[nr - 1].s || s + c <= r[nr - 1].d)) r[nr - 1].n += c;
    else r[nr++] = (frun){d, s, c};
    so += c; dq += c; n -= c;
  }
  return nr;
}
int main(int argc, char **argv) {
  int K = atoi(argv[1]), N = atoi(argv[2]), S = atoi(argv[3]), D = atoi(argv[4]);
  long iters = atol(argv[5]);
  gap = getenv("NTGAP") ? (size_t)atol(getenv("NTGAP")) : 0;
  nt_ctx *ctx = t_ctx();
  size_t sl = (size_t)K * (S + gap), dl = (size_t)K * (D + gap);
  uint8_t *sr = malloc(sl), *dr = calloc(1, dl);
  for (size_t i = 0; i < sl; i++) sr[i] = (uint8_t)(i * 7);
  if (getenv("NTGROUPS")) {
    regions[0] = sr; rlens[0] = sl; regions[1] = dr; rlens[1] = dl; ngroups = 2;
    seggroups = !strcmp(getenv("NTGROUPS"), "seg");
    nt_ndis_group_ops go = { g_group, g_resolve };
    nt_ndis_set_group_ops(ctx, &go);
  }
  nt_id pool; nt_ndis_pool_alloc(ctx, 0, &pool);
  nt_id sc = chain(ctx, K, S, sr), dc = chain(ctx, K, D, dr);
  nt_id snb, dnb;
  nt_ndis_nb_alloc(ctx, pool, sc, 0, K * S, &snb);
  nt_ndis_nb_alloc(ctx, pool, dc, 0, K * D, &dnb);
  uint32_t sOff = (K * S - N) / 2 + 13, dOff = (K * D - N) / 2 + 5, copied = 0;
  struct timespec a, b;
  nt_ndis_copy(ctx, dnb, dOff, N, snb, sOff, &copied);
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < iters; i++) nt_ndis_copy(ctx, dnb, dOff, N, snb, sOff, &copied);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (copied != (uint32_t)N) { fprintf(stderr, "bad count\n"); return 1; }
  for (uint32_t i = 0; i < (uint32_t)N; i++) { /* logical offsets to region offsets */
    size_t so = (sOff + i) / S * (S + gap) + (sOff + i) % S, dq = (dOff + i) / D * (D + gap) + (dOff + i) % D;
    if (dr[dq] != sr[so]) { fprintf(stderr, "bad copy\n"); return 1; }
  }
  double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / iters;
  (void)argc;
  frun *fr = malloc(sizeof *fr * ((size_t)N + 1));
  size_t nr = floor_runs(fr, sr, dr, S, D, sOff, dOff, N);
  floor_copy(fr, nr);
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < iters; i++) floor_copy(fr, nr);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double fns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / iters;
  printf("K=%d N=%d S=%d D=%d: %.1f ns/call; floor (%zu runs) %.1f ns/call: %.2fx\n", K, N, S, D, ns, nr, fns, ns / fns);
  free(fr);
  return 0;
}
