/* Minimal C test harness: a test passes when none of its CHECKs failed. Prints the closing line
 * "<suite>: N passed, M failed" that scripts/test.js adds up. */
#ifndef NT_T_H
#define NT_T_H
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"

static int t_passed, t_failed, t_cur_failed;
static const char *t_cur;

#define CHECK(c) do { if (!(c)) { t_cur_failed = 1; \
  fprintf(stderr, "  FAIL %s (%s:%d): %s\n", t_cur, __FILE__, __LINE__, #c); } } while (0)
#define CHECK_EQ(a, b) do { uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b); if (_a != _b) { t_cur_failed = 1; \
  fprintf(stderr, "  FAIL %s (%s:%d): %s == %s: 0x%" PRIx64 " != 0x%" PRIx64 "\n", t_cur, __FILE__, __LINE__, \
          #a, #b, _a, _b); } } while (0)
#define RUN(fn) do { t_cur = #fn; t_cur_failed = 0; fn(); if (t_cur_failed) t_failed++; else t_passed++; } while (0)
#define T_DONE(suite) (printf("%s: %d passed, %d failed\n", suite, t_passed, t_failed), t_failed ? 1 : 0)

/* View ops over plain memory, with detach and resize as JS can do them. */
#ifndef TV_MAX
#define TV_MAX 4096
#endif
typedef struct { uint8_t *ptr; size_t len; int used, owned; } tv_view;
static tv_view tv[TV_MAX];
static int tv_released;

static void tv_resolve(void *ud, uint32_t slot, nt_span *out) {
  (void)ud;
  out->ptr = tv[slot].len ? tv[slot].ptr : NULL;
  out->len = tv[slot].len;
}
static void tv_release(void *ud, uint32_t slot) {
  (void)ud;
  if (tv[slot].owned) free(tv[slot].ptr);
  memset(&tv[slot], 0, sizeof tv[slot]);
  tv_released++;
}
static uint32_t tv_register(uint8_t *ptr, size_t len) {
  for (uint32_t i = 0; i < TV_MAX; i++)
    if (!tv[i].used) { tv[i].ptr = ptr; tv[i].len = len; tv[i].used = 1; tv[i].owned = 0; return i; }
  fprintf(stderr, "tv: out of slots\n");
  abort();
}
static int tv_alloc_fails;
static int tv_alloc(void *ud, uint64_t size, uint32_t *slot) {
  (void)ud;
  if (tv_alloc_fails || size > (1u << 30)) return -1;
  uint8_t *p = (uint8_t *)calloc(1, (size_t)size);
  if (!p) return -1;
  *slot = tv_register(p, (size_t)size);
  tv[*slot].owned = 1;
  return 0;
}
static void tv_detach(uint32_t slot) { tv[slot].len = 0; }
static void tv_resize(uint32_t slot, size_t len) { tv[slot].len = len; }

static nt_ctx *t_ctx(void) {
  nt_view_ops ops = { NULL, tv_resolve, tv_release, tv_alloc };
  return nt_ctx_new(&ops);
}

/* Deterministic PRNG for the seeded randomized tests (seed printed on failure). */
static uint64_t t_rng = 0x9E3779B97F4A7C15ull;
static uint64_t t_rand(void) {
  t_rng ^= t_rng << 13; t_rng ^= t_rng >> 7; t_rng ^= t_rng << 17;
  return t_rng;
}
#endif
