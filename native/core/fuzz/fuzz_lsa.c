/* Differential fuzz target for the LSA family: decodes the input into a scenario (a client with some
 * HighestUserAddress, mappings at page-aligned bases near the low end and near the highest user
 * address, protection changes, unmaps, pokes, handle state, termination, mapping failures, stale
 * requests, Allocate / Free, and copies in both directions); runs it on the core and on a tiny
 * independent model of SEMANTICS section 3 (L0..L6, 3.4) and section 6 rules 1, 8, 9, 10 plus API.md
 * sections 5 and 7; aborts on any difference in status, fault, local byte (guards included) or client
 * byte (read back through nt_lsa_peek).
 *
 * The model is a flat page table over two small windows of the client address space: window A =
 * pages [0, NA) and window B = the last NB pages up to HighestUserAddress. Every page outside them is
 * free, which the model knows without storing it; the harness never leaves a mapping there (a map
 * the model could not hold is skipped, an allocation placed between the windows is checked and then
 * unmapped again). Only the host controls' documented contract is used: success or failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_lsa.h"

#define PG 4096u
#define CH 57344u                  /* L6 chunk: 14 pages */
#define NA 256u                    /* window A: pages [0, NA) */
#define NB 64u                     /* window B: the last NB pages of user space */
#define NPG (NA + NB)
#define MAXLEN (3u * CH + 1u)
#define MAXCAP (MAXLEN + 64u)
#define G 64u                      /* guard bytes each side of the local buffer */
#define MAXMAP 48u                 /* pages per map, usually */
#define BIGMAP 184u                /* ... and sometimes (larger than the core's first page table) */

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); abort(); } while (0)

/* ---- input ---- */
typedef struct { const uint8_t *p; size_t n; } rd_t;
static uint8_t next(rd_t *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint64_t next64(rd_t *r) { uint64_t v = 0; for (int i = 0; i < 8; i++) v = v << 8 | next(r); return v; }
static uint32_t next16(rd_t *r) { uint32_t v = next(r); return v << 8 | next(r); }

/* ---- the model ---- */
typedef struct { uint8_t mapped; uint32_t prot; uint64_t alloc; /* first page of its allocation */ } mpage_t;
static mpage_t mp[NPG];
static uint8_t mdata[NPG][PG];
static uint64_t hi;                /* HighestUserAddress (low 12 bits set) */
static uint64_t hb;                /* its page */
static uint64_t a_end, b_start;    /* window A = pages [0, a_end), window B = pages [b_start, hb] */
static struct { int closed, term, done; uint32_t rights, mapfail; uint64_t mapk; } ms;

#define M_READ 0xEEu  /* READONLY READWRITE WRITECOPY EXECUTE_READ EXECUTE_READWRITE EXECUTE_WRITECOPY */
#define M_WRITE 0xCCu /* READWRITE WRITECOPY EXECUTE_READWRITE EXECUTE_WRITECOPY */

static long pidx(uint64_t p) {
  if (p < a_end) return (long)p;
  if (p >= b_start && p <= hb) return (long)(NA + (p - b_start));
  return -1;
}
static uint64_t ppage(long i) { return (uint64_t)i < NA ? (uint64_t)i : b_start + ((uint64_t)i - NA); }
static int in_model(long i) { return (uint64_t)i < NA ? (uint64_t)i < a_end : b_start + ((uint64_t)i - NA) <= hb; }

static int m_mapped(uint64_t p) { long i = pidx(p); return i >= 0 && mp[i].mapped; }
/* API.md 5: readable / writable sets, without GUARD; NOCACHE / WRITECOMBINE do not matter (v1.2). */
static int m_page_can(uint64_t p, uint32_t mask) {
  long i = pidx(p);
  if (i < 0 || !mp[i].mapped) return 0;
  return !(mp[i].prot & PAGE_GUARD) && (mp[i].prot & mask) != 0;
}
/* Every page touched by bytes [a, a + n) (n > 0, no wrap) has the access; stops at the first miss. */
static int m_range_can(uint64_t a, uint64_t n, uint32_t mask) {
  for (uint64_t p = a / PG, last = (a + n - 1) / PG;; p++) {
    if (!m_page_can(p, mask)) return 0;
    if (p == last) return 1;
  }
}
static int m_range_mapped(uint64_t a, uint64_t n) {
  for (uint64_t p = a / PG, last = (a + n - 1) / PG;; p++) {
    if (!m_mapped(p)) return 0;
    if (p == last) return 1;
  }
}
/* Page by page: [a, a + n) is mapped (the caller checked). */
static void m_read(uint64_t a, uint8_t *dst, uint64_t n) {
  while (n) {
    uint64_t off = a % PG, k = PG - off < n ? PG - off : n;
    memcpy(dst, &mdata[pidx(a / PG)][off], k);
    a += k, dst += k, n -= k;
  }
}
static void m_write(uint64_t a, const uint8_t *src, uint64_t n) {
  while (n) {
    uint64_t off = a % PG, k = PG - off < n ? PG - off : n;
    memcpy(&mdata[pidx(a / PG)][off], src, k);
    a += k, src += k, n -= k;
  }
}

/* L1: the end address (one past) is compared with HighestUserAddress; wrapping 2^64 also fails. */
static int m_l1_bad(uint64_t a, uint32_t len) { return a + len < a || a + len > hi; }
/* L3 (invalid handle, then the right), L4. */
static uint32_t m_ref(uint32_t right) {
  if (ms.closed) return STATUS_INVALID_HANDLE;
  if (!(ms.rights & right)) return STATUS_ACCESS_DENIED;
  if (ms.term) return STATUS_PROCESS_IS_TERMINATING;
  return STATUS_SUCCESS;
}
static int m_chunk_fails(uint64_t k) { return ms.mapfail == 1 || (ms.mapfail == 2 && ms.mapk == k); }

static uint32_t m_copy_from(int live, uint32_t len, uint64_t cap, uint8_t *loc, uint64_t a) {
  if (!live) return NT_FAULTED;                       /* L0 (section 6.1: before everything) */
  if (m_l1_bad(a, len)) return STATUS_ACCESS_VIOLATION;
  if (len == 0) return STATUS_SUCCESS;                /* L2 */
  uint32_t st = m_ref(NT_LSA_RIGHT_READ);
  if (st) return st;
  if (len < 512) {                                    /* L5 */
    if (!m_range_can(a, len, M_READ)) return STATUS_PARTIAL_COPY;
    if (cap < len) return STATUS_ACCESS_VIOLATION;
    m_read(a, loc, len);
    return STATUS_SUCCESS;
  }
  for (uint64_t k = 0; k * CH < len; k++) {           /* L6 */
    uint64_t off = k * CH, n = len - off < CH ? len - off : CH;
    if (!m_range_can(a + off, n, M_READ)) return STATUS_PARTIAL_COPY;
    if (m_chunk_fails(k)) return STATUS_INSUFFICIENT_RESOURCES;
    if (k == 0 && cap < len) return STATUS_ACCESS_VIOLATION;
    m_read(a + off, loc + off, n);
  }
  return STATUS_SUCCESS;
}

static uint32_t m_copy_to(int live, uint32_t len, uint64_t a, uint64_t cap, const uint8_t *loc) {
  if (!live) return NT_FAULTED;
  if (m_l1_bad(a, len)) return STATUS_ACCESS_VIOLATION;
  if (len == 0) return STATUS_SUCCESS;
  uint32_t st = m_ref(NT_LSA_RIGHT_WRITE);
  if (st) return st;
  if (len < 512) {                                    /* 6.8 one pass: source, probe, write */
    if (cap < len) return STATUS_PARTIAL_COPY;
    if (!m_range_can(a, len, M_WRITE)) return STATUS_ACCESS_VIOLATION;
    m_write(a, loc, len);
    return STATUS_SUCCESS;
  }
  for (uint64_t k = 0; k * CH < len; k++) {           /* 6.8 per chunk */
    uint64_t off = k * CH, n = len - off < CH ? len - off : CH;
    if (cap < off + n) return STATUS_PARTIAL_COPY;
    if (m_chunk_fails(k)) return STATUS_INSUFFICIENT_RESOURCES;
    if (k == 0 && !m_range_can(a, len, M_WRITE)) return STATUS_ACCESS_VIOLATION;
    m_write(a + off, loc + off, n);
  }
  return STATUS_SUCCESS;
}

/* Allocate: *base = 0 first; 0 -> INVALID_PARAMETER_4 before L3/L4; first fit from 0x10000 on
 * 64 KiB boundaries, page-rounded, below HighestUserAddress; READWRITE zeros. *placed = the base
 * page (or ~0 when not SUCCESS). */
static uint32_t m_allocate(int live, uint32_t len, uint64_t *base, uint64_t *np_out) {
  if (!live) return NT_FAULTED;
  *base = 0;
  if (len == 0) return STATUS_INVALID_PARAMETER_4;
  uint32_t st = m_ref(NT_LSA_RIGHT_OPERATION);
  if (st) return st;
  uint64_t np = ((uint64_t)len + PG - 1) / PG;
  for (uint64_t cand = 16;; cand += 16) {
    if (cand > hb || hb - cand + 1 < np) return STATUS_NO_MEMORY;
    uint64_t j = 0;
    while (j < np && !m_mapped(cand + j)) j++;
    if (j == np) { *base = cand * PG; *np_out = np; return STATUS_SUCCESS; }
  }
}

static uint32_t m_free(int live, uint64_t a) {
  if (!live) return NT_FAULTED;
  if (a == 0) return STATUS_SUCCESS;                  /* NULL, before L3/L4 */
  uint32_t st = m_ref(NT_LSA_RIGHT_OPERATION);
  if (st) return st;
  long i = pidx(a / PG);
  if (i < 0 || !mp[i].mapped) return STATUS_MEMORY_NOT_ALLOCATED;
  if (a / PG != mp[i].alloc) return STATUS_FREE_VM_NOT_AT_BASE;  /* S7.1: rounded down to its page */
  for (uint64_t p = mp[i].alloc; m_mapped(p) && mp[pidx(p)].alloc == mp[i].alloc; p++) mp[pidx(p)].mapped = 0;
  return STATUS_SUCCESS;
}

/* Host controls (TSDoc of lib/lsa.ts): the outcome is success or failure. */
static int m_prot_valid(uint32_t p) {
  static const uint32_t bases[] = {PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE,
                                   PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY};
  uint32_t mods = p & ~0xFFu;
  int one = 0;
  for (int i = 0; i < 8; i++) one += (p & 0xFFu) == bases[i];
  if (!one) return 0;
  if (mods & ~(uint32_t)(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE)) return 0;
  /* S7.2: at most one modifier, none with NOACCESS */
  if (!!(mods & PAGE_GUARD) + !!(mods & PAGE_NOCACHE) + !!(mods & PAGE_WRITECOMBINE) > 1) return 0;
  if ((p & 0xFFu) == PAGE_NOACCESS && mods) return 0;
  return 1;
}
/* Bytes [a, a + n) inside [0, HighestUserAddress], n > 0. */
static int m_in_user(uint64_t a, uint64_t n) { return n && a <= hi && n - 1 <= hi - a; }
static int m_map_ok(uint64_t base, uint64_t size, uint32_t prot) {
  if (base % PG || !m_prot_valid(prot) || !m_in_user(base, size)) return 0;
  for (uint64_t p = base / PG, last = (base + size - 1) / PG; p <= last; p++)
    if (m_mapped(p)) return 0;                        /* overlap */
  return 1;
}

/* ---- the core side ---- */
static uint8_t lraw[G + MAXCAP + G], mlraw[G + MAXCAP + G];
static uint8_t *const L = lraw + G, *const ML = mlraw + G;
static uint8_t dbuf[BIGMAP * PG], tmp2[PG];
static nt_ctx *ctx;
static nt_id req, stale_req, wdf_id;
static uint64_t edges[16];
static unsigned nedges;
static uint64_t last_alloc;

static void v_resolve(void *ud, uint32_t s, nt_span *o) { (void)ud; (void)s; static uint8_t b[16]; o->ptr = b; o->len = sizeof b; }
static void v_release(void *ud, uint32_t s) { (void)ud; (void)s; }
static int v_alloc(void *ud, uint64_t size, uint32_t *s) { (void)ud; (void)size; (void)s; return -1; }

/* Byte patterns are copied from this table (a per-byte loop would be slow under coverage tracing). */
static uint8_t pattern[sizeof lraw + 256];
static void fill_page(uint8_t *dst, unsigned seed, size_t n) { memcpy(dst, pattern + (seed * 37u) % 256u, n); }

static void add_edge(uint64_t a) { edges[nedges++ % 16] = a; }

/* Compares the client pages of window indices whose page lies in [p0, p1]: mapped state and bytes. */
static void check_client(uint64_t p0, uint64_t p1, const char *when) {
  for (long i = 0; i < (long)NPG; i++) {
    if (!in_model(i)) continue;
    uint64_t p = ppage(i);
    if (p < p0 || p > p1) continue;
    int e = nt_lsa_peek(ctx, req, p * PG, NULL, PG);
    if ((e == NT_LSA_OK) != (mp[i].mapped != 0)) FAIL("%s: page %llx mapped %d, core peek %d", when, (unsigned long long)p, mp[i].mapped, e);
    if (!mp[i].mapped) continue;
    if (nt_lsa_peek(ctx, req, p * PG, tmp2, PG) != NT_LSA_OK) FAIL("peek");
    if (memcmp(tmp2, mdata[i], PG) != 0) {
      size_t k = 0;
      while (tmp2[k] == mdata[i][k]) k++;
      FAIL("%s: client byte %llx core %02x model %02x", when, (unsigned long long)(p * PG + k), tmp2[k], mdata[i][k]);
    }
  }
}
static void check_local(const char *when) {
  if (memcmp(lraw, mlraw, sizeof lraw) != 0) {
    size_t k = 0;
    while (lraw[k] == mlraw[k]) k++;
    FAIL("%s: local byte %ld core %02x model %02x", when, (long)k - (long)G, lraw[k], mlraw[k]);
  }
}
#ifdef LSA_STATS /* -DLSA_STATS: a histogram of (routine, status) at exit, to see what the inputs reach */
static struct { const char *what; uint32_t st; unsigned long n; } hist[64];
static void hist_print(void) { for (int i = 0; i < 64 && hist[i].what; i++) fprintf(stderr, "%-22s %08x %lu\n", hist[i].what, hist[i].st, hist[i].n); }
static void hist_add(const char *what, uint32_t st) {
  static int reg;
  if (!reg++) atexit(hist_print);
  for (int i = 0; i < 64; i++)
    if (!hist[i].what || (hist[i].what == what && hist[i].st == st)) { hist[i].what = what, hist[i].st = st, hist[i].n++; return; }
}
#else
#define hist_add(what, st) ((void)0)
#endif
static void check_status(const char *what, uint32_t got, uint32_t want, uint64_t a, uint32_t len) {
  hist_add(what, want);
  if (got != want) FAIL("%s: status %08x, model %08x (addr %llx len %u highest %llx)", what, got, want, (unsigned long long)a, len, (unsigned long long)hi);
  if (got == NT_FAULTED && (ctx->fault.code != CRITICAL_PROCESS_DIED || ctx->fault.p[0] != 0)) FAIL("%s: fault %x", what, ctx->fault.code);
}

static uint64_t gen_highest(rd_t *r) {
  uint8_t b = next(r);
  switch (b & 15) {
    case 0: return NT_LSA_DEFAULT_HIGHEST;
    case 1: return UINT64_C(0x7FFEFFFF);
    case 2: return UINT64_C(0x7FFFFFFF);
    case 3: return UINT64_C(0xFFFFFFFF);
    case 4: return UINT64_C(0x7FFFFFEFFFF);
    case 5: return UINT64_MAX;
    case 6: return UINT64_MAX - PG;
    case 7: return (uint64_t)NPG * PG - 1;          /* windows A and B adjacent */
    case 8: return UINT64_C(0x1FFFFF);
    case 9: return (uint64_t)NA * PG - 1;           /* window B empty */
    case 10: return UINT64_C(0x7FFFF);              /* window A clipped */
    case 11: return UINT64_C(0x1FFFF);
    case 12: return UINT64_C(0x10FFF);              /* one allocatable page */
    case 13: return UINT64_C(0xFFFF);               /* nothing allocatable */
    case 14: return ((uint64_t)next16(r) << 12) | 0xFFF;
    default: return next64(r) | 0xFFF;
  }
}

static uint32_t gen_prot(rd_t *r) {
  static const uint32_t bases[] = {PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE,
                                   PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY};
  static const uint32_t mods[] = {0, 0, 0, PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE, PAGE_GUARD | PAGE_NOCACHE,
                                  PAGE_GUARD | PAGE_WRITECOMBINE};
  static const uint32_t odd[] = {0, PAGE_READONLY | PAGE_READWRITE, PAGE_NOCACHE | PAGE_WRITECOMBINE | PAGE_READWRITE,
                                 PAGE_NOACCESS | PAGE_GUARD, 0x800 | PAGE_READWRITE, PAGE_NOACCESS | PAGE_NOCACHE,
                                 0x1000 | PAGE_READONLY, PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE | PAGE_EXECUTE_READ};
  uint8_t b = next(r);
  if ((b >> 6) == 3) return odd[b & 7];
  return bases[b & 7] | mods[(b >> 3) & 7];
}

static uint32_t gen_len(rd_t *r) {
  uint8_t b = next(r);
  switch (b & 7) {
    case 0: return 0;
    case 1: return (b >> 3) & 2 ? 511 + ((b >> 3) & 1) : 1 + ((b >> 3) & 1); /* 1, 2, 511, 512 */
    case 2: return 509 + (b >> 3) % 6;                 /* 509..514 around the threshold */
    case 3: return (1 + (b >> 3) % 3) * CH + (uint32_t)((b >> 5) % 3) - 1; /* k*57344 - 1, +0, +1 */
    case 4: return next(r);
    case 5: return (uint32_t)(((uint32_t)next16(r) << 2 | (b >> 6)) % (MAXLEN + 1));
    case 6: return PG * (1 + (uint32_t)next(r) % 43) + (uint32_t)((b >> 3) % 3) - 1;
    default: return (b >> 3) & 1 ? UINT32_MAX - next(r) : (uint32_t)(next16(r) * 3u % (MAXLEN + 1));
  }
}

static uint64_t gen_addr(rd_t *r, uint32_t len) {
  uint8_t b = next(r);
  uint64_t a;
  switch (b & 7) {
    case 0: case 1: case 2: a = nedges ? edges[next(r) % (nedges < 16 ? nedges : 16)] : 0x10000; break;
    case 3: a = hi + 1; break;                         /* 0 when HighestUserAddress is 2^64 - 1 */
    case 4: a = (b & 128) ? 0 : last_alloc; break;     /* 0 minus something: near 2^64 */
    case 5: a = (a_end ? next(r) % a_end : 0) * PG; break;
    case 6: a = (hb >= b_start ? b_start + next(r) % (hb - b_start + 1) : hb) * PG; break;
    default: return next64(r);
  }
  if (b & 8) a -= len;                                 /* the end lands on the anchor */
  int8_t s = (int8_t)next(r);
  switch ((b >> 4) & 3) {
    case 0: break;
    case 1: a += (uint64_t)(int64_t)s; break;
    case 2: a += (uint64_t)((int64_t)s * 512); break;
    default: a += (uint64_t)((int64_t)s * PG); break;
  }
  if (b & 64) a += (uint64_t)(int64_t)(int8_t)next(r);
  return a;
}

static void fill_local(uint8_t seed) {
  memcpy(lraw, pattern + seed, sizeof lraw);
  memcpy(mlraw, lraw, sizeof lraw);
}

/* Which request an LSA call gets: mostly the client; sometimes NULL, a freed one, or a WDF object. */
static nt_id gen_who(rd_t *r, int *live) {
  uint8_t b = next(r);
  *live = 0;
  switch (b & 31) {
    case 0: return 0;
    case 1: return stale_req;
    case 2: return wdf_id;
    case 3: return req + ((nt_id)1 << NT_ID_INDEX_BITS); /* forged generation */
    default: *live = !ms.done; return req;
  }
}

static void do_map(rd_t *r) {
  uint8_t b = next(r);
  uint64_t page;
  switch (b & 3) {
    case 0: page = a_end ? next(r) % a_end : 0; break;
    case 1: page = hb >= b_start ? b_start + next(r) % (hb - b_start + 1) : hb + 1; break;
    case 2: page = nedges ? edges[next(r) % (nedges < 16 ? nedges : 16)] / PG : 16; break;
    default: page = hb + 1 - (next(r) & 3); break;        /* at and beyond the top */
  }
  uint64_t base = page * PG;
  if (b & 4) base += 1 + (next(r) & 0xFF);                 /* unaligned: refused */
  uint8_t n = next(r);
  uint64_t np = n < 0xF0 ? 1u + n % MAXMAP : 64u + (n & 15u) * 8u; /* up to BIGMAP */
  uint64_t size = np * PG - ((b >> 3) & 1 ? 1 + next(r) % PG : 0);
  if ((b >> 4) == 15) size = 0;                            /* refused */
  uint32_t prot = gen_prot(r);
  int with_data = (b >> 5) & 1;
  uint8_t seed = next(r), zeros = next(r);
  int ok = m_map_ok(base, size, prot);
  if (ok) /* representable? every page in a window */
    for (uint64_t p = base / PG; p <= (base + size - 1) / PG; p++)
      if (pidx(p) < 0) return;
  if (with_data)
    for (uint64_t j = 0; j * PG < size; j++) {
      if ((zeros >> (j & 7)) & 1) memset(dbuf + j * PG, 0, PG); else fill_page(dbuf + j * PG, seed + j, PG);
    }
  int e = nt_lsa_map(ctx, req, base, size, with_data ? dbuf : NULL, with_data ? (size_t)size : 0, prot);
  if ((e == NT_LSA_OK) != ok) FAIL("map %llx size %llx prot %x: core %d, model %d", (unsigned long long)base, (unsigned long long)size, prot, e, ok);
  if (!ok) return;
  uint64_t p0 = base / PG, np_r = (size + PG - 1) / PG;
  for (uint64_t j = 0; j < np_r; j++) {
    long i = pidx(p0 + j);
    mp[i].mapped = 1;
    mp[i].prot = prot;
    mp[i].alloc = p0;
    memset(mdata[i], 0, PG);
    if (with_data) {
      uint64_t n = size - j * PG < PG ? size - j * PG : PG;
      memcpy(mdata[i], dbuf + j * PG, n);
    }
  }
  add_edge(base);
  add_edge(base + np_r * PG);
}

static void do_protect(rd_t *r) {
  uint32_t len = gen_len(r) % (MAXMAP * PG);
  uint64_t a = gen_addr(r, len);
  uint32_t prot = gen_prot(r);
  int ok = m_prot_valid(prot) && m_in_user(a, len) && m_range_mapped(a, len);
  int e = nt_lsa_protect(ctx, req, a, len, prot);
  if ((e == NT_LSA_OK) != ok) FAIL("protect %llx len %x prot %x: core %d, model %d", (unsigned long long)a, len, prot, e, ok);
  if (ok)
    for (uint64_t p = a / PG; p <= (a + len - 1) / PG; p++) mp[pidx(p)].prot = prot;
}

static void do_unmap(rd_t *r) {
  uint8_t b = next(r);
  uint64_t a = nedges ? edges[next(r) % (nedges < 16 ? nedges : 16)] : 0x10000;
  if (b & 1) a = last_alloc;
  if (b & 2) a += (b & 4) ? PG : 1;
  long i = pidx(a / PG);
  int ok = i >= 0 && mp[i].mapped && a % PG == 0 && mp[i].alloc == a / PG;
  int e = nt_lsa_unmap(ctx, req, a);
  if ((e == NT_LSA_OK) != ok) FAIL("unmap %llx: core %d, model %d", (unsigned long long)a, e, ok);
  if (ok)
    for (uint64_t p = a / PG; m_mapped(p) && mp[pidx(p)].alloc == a / PG; p++) mp[pidx(p)].mapped = 0;
}

static void do_poke(rd_t *r) {
  uint32_t len = gen_len(r) % (2 * PG + 1);
  uint64_t a = gen_addr(r, len);
  uint8_t seed = next(r);
  fill_page(dbuf, seed, len);
  int ok = len == 0 || (m_in_user(a, len) && m_range_mapped(a, len));
  int e = nt_lsa_poke(ctx, req, a, dbuf, len);
  if ((e == NT_LSA_OK) != ok) FAIL("poke %llx len %x: core %d, model %d", (unsigned long long)a, len, e, ok);
  if (ok && len) {
    m_write(a, dbuf, len);
    check_client(a / PG, (a + len - 1) / PG, "poke");
  }
}

static void do_copy(rd_t *r, int to) {
  int live;
  nt_id who = gen_who(r, &live);
  uint32_t len = gen_len(r);
  uint64_t a = gen_addr(r, len);
  uint8_t c = next(r);
  int has = 1;
  uint64_t cap;
  switch (c & 7) {
    case 0: has = 0; cap = 0; break;                   /* NULL BufferToCopy */
    case 1: cap = 0; break;
    case 2: cap = len; break;
    case 3: cap = len ? len - 1 : 0; break;
    case 4: cap = (uint64_t)len + 1 + (c >> 3); break;
    case 5: cap = (uint64_t)(1 + (c >> 3) % 3) * CH + (uint64_t)((c >> 5) % 3) - 1; break;
    case 6: cap = next16(r) * 3u % (MAXCAP + 1); break;
    default: cap = MAXCAP; break;
  }
  if (cap > MAXCAP) cap = MAXCAP;
  nt_span s = {cap || (c & 8) ? L : NULL, (size_t)cap};
  uint32_t want = to ? m_copy_to(live, len, a, cap, ML) : m_copy_from(live, len, cap, ML, a);
  uint32_t got = to ? nt_lsa_copy_to_client(ctx, who, len, a, has ? &s : NULL)
                    : nt_lsa_copy_from_client(ctx, who, len, has ? &s : NULL, a);
  check_status(to ? "CopyToClientBuffer" : "CopyFromClientBuffer", got, want, a, len);
  check_local(to ? "CopyToClientBuffer" : "CopyFromClientBuffer");
  if (to && len) {
    uint64_t p0 = a / PG, p1 = a + len - 1 < a ? UINT64_MAX : (a + len - 1) / PG;
    if (p1 - p0 <= MAXMAP) check_client(p0, p1, "CopyToClientBuffer");
  }
}

static void do_allocate(rd_t *r) {
  int live;
  nt_id who = gen_who(r, &live);
  uint8_t b = next(r);
  uint32_t len = (b & 3) == 0 ? 0 : (b & 3) == 1 ? 1 + next(r) : (b & 3) == 2 ? gen_len(r) : next16(r) * (uint32_t)PG + (b >> 2) - 32;
  uint64_t got_base = 0xDEADBEEF, want_base = 0xDEADBEEF, np = 0;
  uint32_t want = m_allocate(live, len, &want_base, &np);
  uint32_t got = nt_lsa_allocate_client(ctx, who, len, &got_base);
  check_status("AllocateClientBuffer", got, want, want_base, len);
  if (got_base != want_base) FAIL("AllocateClientBuffer(%u): base %llx, model %llx", len, (unsigned long long)got_base, (unsigned long long)want_base);
  if (want != STATUS_SUCCESS) return;
  int fits = 1;
  for (uint64_t j = 0; j < np; j++)
    if (pidx(want_base / PG + j) < 0) fits = 0;
  if (!fits) { /* between the windows: the model cannot hold it; drop it again */
    if (nt_lsa_unmap(ctx, req, want_base) != NT_LSA_OK) FAIL("unmap of an allocation");
    return;
  }
  for (uint64_t j = 0; j < np; j++) {
    long i = pidx(want_base / PG + j);
    mp[i].mapped = 1;
    mp[i].prot = PAGE_READWRITE;
    mp[i].alloc = want_base / PG;
    memset(mdata[i], 0, PG);
  }
  last_alloc = want_base;
  add_edge(want_base);
  add_edge(want_base + np * PG);
  check_client(want_base / PG, want_base / PG + np - 1, "AllocateClientBuffer");
}

static void do_free(rd_t *r) {
  int live;
  nt_id who = gen_who(r, &live);
  uint8_t b = next(r);
  uint64_t a;
  switch (b & 7) {
    case 0: a = 0; break;
    case 1: case 2: a = last_alloc; break;
    case 3: a = nedges ? edges[next(r) % (nedges < 16 ? nedges : 16)] : 0; break;
    case 4: a = gen_addr(r, 0); break;
    default: a = nedges ? edges[next(r) % (nedges < 16 ? nedges : 16)] : last_alloc; break;
  }
  if (b & 8) a += (b & 16) ? ((b & 64) ? PG - 1 : PG) : (b & 32) ? 1 : (uint64_t)-1; /* S7.1: in and past page 0 */
  uint32_t want = m_free(live, a);
  uint32_t got = nt_lsa_free_client(ctx, who, a);
  check_status("FreeClientBuffer", got, want, a, 0);
  if (want == STATUS_SUCCESS && a) check_client(a / PG, a / PG + BIGMAP, "FreeClientBuffer");
}

static void do_switch(rd_t *r) {
  uint8_t b = next(r), v = next(r);
  switch (b & 7) {
    case 0:
      if ((v & 7) == 0) { nt_lsa_set(ctx, req, NT_LSA_CLOSE_HANDLE, 0, 0); ms.closed = 1; }
      break;
    case 1:
      if ((v & 7) == 0) { nt_lsa_set(ctx, req, NT_LSA_TERMINATE, 0, 0); ms.term = 1; }
      break;
    case 2: case 3: { /* setAccess: rights named by k get the state in value */
      uint32_t k = v & 7, val = v >> 3 & 7;
      nt_lsa_set(ctx, req, NT_LSA_SET_ACCESS, val, k);
      ms.rights = (ms.rights & ~k) | (val & k);
      break;
    }
    case 4: case 5: { /* setMappingFails: off, all, chunk k */
      uint32_t mode = v % 3;
      uint64_t k = (v >> 2) & 7;
      if (k > 4) k = UINT64_C(1) << 40;
      nt_lsa_set(ctx, req, NT_LSA_MAPPING_FAILS, mode, k);
      ms.mapfail = mode;
      ms.mapk = k;
      break;
    }
    case 6:
      if ((v & 15) == 0) { nt_lsa_set(ctx, req, NT_LSA_COMPLETE, 0, 0); ms.done = 1; }
      break;
    default:
      fill_local(v);
      break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rd_t r = {data, size};
  nt_view_ops ops = {NULL, v_resolve, v_release, v_alloc};
  if (!pattern[1])
    for (size_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)(i * 13 + (i >> 9) + 1);
  ctx = nt_ctx_new(&ops);
  if (!ctx) FAIL("ctx");
  hi = gen_highest(&r);
  hb = hi / PG;
  a_end = hb + 1 < NA ? hb + 1 : NA;
  b_start = hb + 1 > a_end + NB ? hb + 1 - NB : a_end;
  memset(mp, 0, sizeof mp);
  memset(&ms, 0, sizeof ms);
  ms.rights = NT_LSA_RIGHT_READ | NT_LSA_RIGHT_WRITE | NT_LSA_RIGHT_OPERATION;
  nedges = 0;
  last_alloc = 0x10000;
  fill_local(0xA5);
  if (nt_lsa_client_create(ctx, hi, &req) != STATUS_SUCCESS) FAIL("create");
  if (nt_lsa_client_create(ctx, hi, &stale_req) != STATUS_SUCCESS) FAIL("create 2");
  nt_lsa_client_free(ctx, stale_req);
  if (nt_wdf_memory_create_preallocated(ctx, 0, 1, 0, 16, &wdf_id) != STATUS_SUCCESS) FAIL("wdf");

  /* Setup: some readable-writable regions to start from (each may be refused by a small space). */
  uint8_t setup = next(&r);
  static const struct { uint64_t page, np; } pre[] = {{0x10, 2}, {0x80, 48}, {0x40, 20}};
  for (int k = 0; k < 3; k++) {
    if (!(setup >> k & 1) || pre[k].page + pre[k].np > a_end) continue;
    uint64_t base = pre[k].page * PG, sz = pre[k].np * PG;
    for (uint64_t j = 0; j < pre[k].np; j++) fill_page(dbuf + j * PG, (unsigned)(pre[k].page + j), PG);
    if (nt_lsa_map(ctx, req, base, sz, dbuf, sz, PAGE_READWRITE) != NT_LSA_OK) FAIL("setup map");
    for (uint64_t j = 0; j < pre[k].np; j++) {
      long i = pidx(pre[k].page + j);
      mp[i].mapped = 1, mp[i].prot = PAGE_READWRITE, mp[i].alloc = pre[k].page;
      memcpy(mdata[i], dbuf + j * PG, PG);
    }
    add_edge(base);
    add_edge(base + sz);
  }
  if ((setup >> 3 & 1) && hb + 1 - b_start >= 16) { /* the top 16 pages of user space */
    uint64_t p0 = hb + 1 - 16, base = p0 * PG, sz = 16 * PG;
    for (uint64_t j = 0; j < 16; j++) fill_page(dbuf + j * PG, (unsigned)(j * 3 + 1), PG);
    if (nt_lsa_map(ctx, req, base, sz, dbuf, sz, PAGE_READWRITE) != NT_LSA_OK) FAIL("setup map top");
    for (uint64_t j = 0; j < 16; j++) {
      long i = pidx(p0 + j);
      mp[i].mapped = 1, mp[i].prot = PAGE_READWRITE, mp[i].alloc = p0;
      memcpy(mdata[i], dbuf + j * PG, PG);
    }
    add_edge(base);
  }

  uint8_t s2 = next(&r); /* a mapping-failure mode from the start (it matters only in combination) */
  if ((s2 & 3) == 1 || (s2 & 3) == 2) {
    ms.mapfail = s2 & 3;
    ms.mapk = (s2 >> 2) & 3;
    nt_lsa_set(ctx, req, NT_LSA_MAPPING_FAILS, ms.mapfail, ms.mapk);
  }

  for (int step = 0; step < 48 && r.n; step++) {
    uint8_t op = next(&r);
    switch (op % 16) {
      case 0: case 1: do_map(&r); break;
      case 2: do_protect(&r); break;
      case 3: do_unmap(&r); break;
      case 4: do_poke(&r); break;
      case 5: case 6: case 7: do_copy(&r, 0); break;
      case 8: case 9: case 10: do_copy(&r, 1); break;
      case 11: do_allocate(&r); break;
      case 12: do_free(&r); break;
      default: do_switch(&r); break;
    }
  }
  check_client(0, UINT64_MAX, "end");
  nt_ctx_free(ctx);
  return 0;
}
