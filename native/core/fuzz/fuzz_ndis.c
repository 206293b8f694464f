/* Differential fuzz target for the NDIS family: decodes the input into a scenario of MDLs over
 * overlapping byte windows (zero-length MDLs, ByteCount and Next writes, cycles, MDLs shared between
 * chains, freed MDLs left in chains, mapping failures, nonpaged or not, views shrunk or detached),
 * NET_BUFFERs with arbitrary cursor fields, NdisCopyFromNetBufferToNetBuffer, NdisGetDataBuffer and
 * Advance/Retreat (handler paths) calls; runs each on the core and on a tiny independent model of
 * SEMANTICS 2.3/2.5 and 6.1, 6.3-6.7 (API.md 7 v1.2), and aborts on any difference in status, fault
 * (P2 of 0x50), BytesCopied, harness byte, MDL field or flag, or NET_BUFFER field.
 * Where the spec is silent the model reads it so: NdisGetDataBuffer locates its first byte as the
 * copy's seek does (a CurrentMdlOffset past CurrentMdl carries over), and MDLs it mapped before a
 * NULL result stay mapped (2.1 side effect); its Storage never aliases MDL memory here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_ndis.h"

#define NMDL 12  /* MDL instances per run (a freed one stays freed: its id is stale forever) */
#define NNB 6    /* NET_BUFFER instances */
#define CAP 48   /* largest window */
#define ARENA 192
#define STORE 160

/* Views: slot k is MDL instance k's window into arena (windows may overlap: aliasing MDLs). */
typedef struct { uint8_t *ptr; size_t len; } view_t;
static view_t views[NMDL];
static void v_resolve(void *ud, uint32_t s, nt_span *o) { (void)ud; o->ptr = views[s].len ? views[s].ptr : NULL; o->len = views[s].len; }
static void v_release(void *ud, uint32_t s) { (void)ud; (void)s; }
static int v_alloc(void *ud, uint64_t size, uint32_t *s) { (void)ud; (void)size; (void)s; return -1; }

static uint8_t arena[ARENA], marena[ARENA], tarena[ARENA];
/* Group mode (odd-sized inputs), as the binding runs: every window is a fixed window of one buffer,
 * the arena, which is checked once per call and can shrink (then each window is all there or gone).
 * Contiguous windows are the copy's stretches; aliasing ones its overlap rules. */
static int group_mode;
static size_t arena_len;
static uint32_t vlen0[NMDL]; /* each window's length at registration */
static int g_group(void *ud, uint32_t s, uint32_t *g, uint64_t *off, uint64_t *len) {
  (void)ud;
  *g = 0;
  *off = (uint64_t)(views[s].ptr - arena);
  *len = vlen0[s];
  return 1;
}
static nt_span g_resolve(void *ud, uint32_t g) { (void)ud; (void)g; return (nt_span){arena_len ? arena : NULL, arena_len}; }
static uint8_t store[STORE], mstore[STORE];

/* The model's MDL and NET_BUFFER state; references are instance indices (-1 = NULL). */
typedef struct {
  int used, alive;
  nt_id id;
  int next;
  uint32_t bc, described, flags, fails, mapped_va;
  int retreat;     /* linked by a Retreat: Advance with FreeMdl may free it (6.5) */
  size_t win;      /* arena offset of the window */
  uint64_t boff;   /* the view's byteOffset (alignment) */
} mdl_t;
typedef struct {
  int used, alive;
  nt_id id;
  int next, cur, chain;
  uint32_t cmo, dl, doff;
} nb_t;
static mdl_t M[NMDL];
static nb_t B[NNB];
static uint32_t tflags[NMDL], tmapped[NMDL]; /* flags during one modelled call */

typedef struct { const uint8_t *p; size_t n; } rd_t;
static uint8_t next(rd_t *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint32_t num(rd_t *r) {
  uint8_t b = next(r);
  switch (b >> 6) {
    case 0: return b & 63;                                   /* small */
    case 1: return UINT32_MAX - (b & 7);                     /* near 2^32 */
    case 2: return (uint32_t)(b & 63) * 7;                   /* across several MDLs */
    default: { uint32_t v = 0; for (int i = 0; i < 4; i++) v = v << 8 | next(r); return v; }
  }
}

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); abort(); } while (0)

/* ---- the model ---- */

/* Outcome of a modelled call: status, or NT_FAULTED with code (and p2 for 0x50). */
typedef struct { uint32_t st, code, p2; } res_t;
static res_t ok(uint32_t st) { res_t r = {st, 0, 0}; return r; }
static res_t bug(uint32_t code, uint32_t p2) { res_t r = {NT_FAULTED, code, p2}; return r; }

/* A chain as a lasso: the distinct MDLs met from `start`, then how it ends: NULL, a freed MDL, or a
 * jump back to seq[cyc] (a cycle of `cbytes` bytes). */
enum { END_NULL, END_FREED, END_CYCLE };
typedef struct { int seq[NMDL]; int k, end, cyc; uint64_t cbytes; } lasso_t;
static void lasso(int start, lasso_t *L) {
  int seen[NMDL];
  for (int i = 0; i < NMDL; i++) seen[i] = -1;
  L->k = 0;
  L->cbytes = 0;
  for (int m = start;;) {
    if (m < 0) { L->end = END_NULL; return; }
    if (!M[m].alive) { L->end = END_FREED; return; }
    if (seen[m] >= 0) {
      L->end = END_CYCLE;
      L->cyc = seen[m];
      for (int i = L->cyc; i < L->k; i++) L->cbytes += M[L->seq[i]].bc;
      return;
    }
    seen[m] = L->k;
    L->seq[L->k++] = m;
    m = M[m].next;
  }
}

typedef struct { const lasso_t *L; int i; uint64_t pos; int null; } cur_t;

/* 2.3 step 3: from the first MDL, while pos >= len: pos -= len, next. A freed MDL stepped onto is a
 * dangling pointer (0x1E); a cycle holding no byte never ends (0x133); a cycle of c > 0 bytes walked
 * round and round stops where pos mod c would. */
static res_t seek(const lasso_t *L, uint64_t target, cur_t *c) {
  c->L = L;
  c->i = 0;
  c->pos = target;
  c->null = 0;
  for (int steps = 0;; steps++) {
    if (steps > 4 * NMDL) FAIL("model seek runs away\n");
    if (c->i == L->k) {
      if (L->end == END_NULL) { c->null = 1; return ok(0); }
      if (L->end == END_FREED) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
      if (L->cbytes == 0) return bug(DPC_WATCHDOG_VIOLATION, 0);
      c->pos %= L->cbytes; /* full laps */
      c->i = L->cyc;
    }
    uint32_t len = M[L->seq[c->i]].bc;
    if (c->pos < len) return ok(0);
    c->pos -= len;
    c->i++;
  }
}

/* 2.3 step 4a: past exhausted and zero-length MDLs. */
static res_t skip(cur_t *c) {
  const lasso_t *L = c->L;
  for (int steps = 0; !c->null && c->pos >= M[L->seq[c->i]].bc; steps++) {
    if (steps > 2 * NMDL + 2) FAIL("model skip runs away\n");
    c->pos = 0;
    c->i++;
    if (c->i == L->k) {
      if (L->end == END_NULL) { c->null = 1; break; }
      if (L->end == END_FREED) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
      if (L->cbytes == 0) return bug(DPC_WATCHDOG_VIOLATION, 0); /* 6.6: never ends */
      c->i = L->cyc;
    }
  }
  return ok(0);
}

/* MmGetSystemAddressForMdlSafe on the model's flags of this call (2.1). */
static int map(int m) {
  if (tflags[m] & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)) return 1;
  if (M[m].fails) return 0;
  tflags[m] |= MDL_MAPPED_TO_SYSTEM_VA;
  tmapped[m] = 1;
  return 1;
}
static void begin(void) {
  memcpy(tarena, marena, ARENA);
  for (int m = 0; m < NMDL; m++) { tflags[m] = M[m].flags; tmapped[m] = M[m].mapped_va; }
}
static void commit(void) {
  memcpy(marena, tarena, ARENA);
  for (int m = 0; m < NMDL; m++) { M[m].flags = tflags[m]; M[m].mapped_va = tmapped[m]; }
}
static int live_nb(int k) { return k >= 0 && k < NNB && B[k].alive; }

/* NdisCopyFromNetBufferToNetBuffer, SEMANTICS 2.3 literally, on a scratch copy committed unless a
 * bug check happened (6.1, 6.6, 6.7: a bug check writes nothing, BytesCopied included). */
static res_t model_copy(int d, uint32_t doff, uint32_t n, int s, uint32_t soff, int has_bc, uint32_t *bc) {
  if (!live_nb(d) || !live_nb(s) || !has_bc) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0); /* 6.1 */
  if (n == 0) { *bc = 0; return ok(NDIS_STATUS_SUCCESS); }                           /* step 2 */
  lasso_t Ls, Ld;
  lasso(B[s].cur, &Ls);
  lasso(B[d].cur, &Ld);
  cur_t sc, dc;
  res_t r = seek(&Ls, (uint64_t)B[s].cmo + soff, &sc);                                   /* step 3 */
  if (r.st == NT_FAULTED) return r;
  r = seek(&Ld, (uint64_t)B[d].cmo + doff, &dc);
  if (r.st == NT_FAULTED) return r;
  begin();
  uint32_t copied = 0, st = NDIS_STATUS_SUCCESS;
  while (copied < n) {
    if ((r = skip(&sc)).st == NT_FAULTED) return r;                                    /* 4a */
    if ((r = skip(&dc)).st == NT_FAULTED) return r;
    if (sc.null || dc.null) break;                                                     /* 4b */
    int ms = Ls.seq[sc.i], md = Ld.seq[dc.i];
    uint64_t chunk = M[ms].bc - sc.pos;                                                /* 4c */
    if (M[md].bc - dc.pos < chunk) chunk = M[md].bc - dc.pos;
    if (n - copied < chunk) chunk = n - copied;
    if (!map(ms) || !map(md)) { st = NDIS_STATUS_RESOURCES; break; }                    /* 4d */
    if (sc.pos + chunk > views[ms].len) return bug(PAGE_FAULT_IN_NONPAGED_AREA, 0);    /* 6.7, source first */
    if (dc.pos + chunk > views[md].len) return bug(PAGE_FAULT_IN_NONPAGED_AREA, 1);
    memmove(tarena + M[md].win + dc.pos, tarena + M[ms].win + sc.pos, (size_t)chunk);  /* 4e */
    sc.pos += chunk;
    dc.pos += chunk;
    copied += (uint32_t)chunk;
  }
  commit();
  *bc = copied;                                                                        /* 4d / 5 */
  return ok(st);
}

/* NdisGetDataBuffer (2.5, API.md 7 v1.2 order). kind 0 NULL, 1 view (m, off), 2 Storage. The first
 * byte is located as the copy's seek locates it (CurrentMdl, CurrentMdlOffset carried over). */
static res_t model_gdb(int k, uint32_t need, int has_store, size_t slen, uint32_t am, uint32_t ao,
                       int *kind, int *vm, uint64_t *voff) {
  *kind = 0;
  if (!live_nb(k)) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
  if (need == 0 || B[k].dl < need) return ok(0);
  lasso_t L;
  lasso(B[k].cur, &L);
  cur_t c;
  res_t r = seek(&L, B[k].cmo, &c);
  if (r.st == NT_FAULTED) return r;
  begin();
  if (!c.null) {
    int m = L.seq[c.i];
    if (c.pos + need <= M[m].bc && ((M[m].boff + c.pos) & (am - 1)) == ao) {
      if (!map(m)) return ok(0);
      if (c.pos + need > views[m].len) return bug(PAGE_FAULT_IN_NONPAGED_AREA, 0);
      commit();
      *kind = 1;
      *vm = m;
      *voff = c.pos;
      return ok(0);
    }
  }
  if (!has_store) return ok(0);
  if (slen < need) return bug(DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, 1);
  uint8_t tmp[STORE];
  uint32_t done = 0;
  while (done < need) {
    if ((r = skip(&c)).st == NT_FAULTED) return r;
    if (c.null) { commit(); return ok(0); }           /* chain ran out: NULL, Storage unwritten */
    int m = L.seq[c.i];
    uint64_t chunk = M[m].bc - c.pos;
    if (need - done < chunk) chunk = need - done;
    if (!map(m)) { commit(); return ok(0); }          /* mapping failure: NULL, Storage unwritten */
    if (c.pos + chunk > views[m].len) return bug(PAGE_FAULT_IN_NONPAGED_AREA, 0);
    memcpy(tmp + done, tarena + M[m].win + c.pos, (size_t)chunk);
    c.pos += chunk;
    done += (uint32_t)chunk;
  }
  commit();
  memcpy(mstore, tmp, need);
  *kind = 2;
  return ok(0);
}

/* Cursor re-derivation from MdlChain (2.5 Advance, 6.3): the copy's seek from the chain head. */
static res_t derive(int chain, uint32_t off, int *cm, uint32_t *cmo) {
  lasso_t L;
  cur_t c;
  lasso(chain, &L);
  res_t r = seek(&L, off, &c);
  *cm = c.null ? -1 : L.seq[c.i];
  *cmo = (uint32_t)c.pos;
  return r;
}

/* NdisAdvanceNetBufferDataStart (2.5, 6.5): with FreeMdl, the Retreat-linked head MDLs wholly before
 * the new start are unlinked and freed (each once, should they form a cycle). */
static res_t model_advance(int k, uint32_t delta, int free_mdl) {
  if (!live_nb(k)) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
  nb_t *b = &B[k];
  if (delta > b->dl || (uint64_t)b->doff + delta > UINT32_MAX) return ok(NT_NDIS_ARG_ERROR);
  uint32_t off = b->doff + delta;
  int head = b->chain, gone[NMDL], ng = 0, seen[NMDL] = {0};
  while (free_mdl && head >= 0 && M[head].alive && M[head].retreat && M[head].bc <= off && !seen[head]) {
    seen[head] = 1;
    gone[ng++] = head;
    off -= M[head].bc;
    head = M[head].next;
  }
  int cm;
  uint32_t cmo;
  res_t r = derive(head, off, &cm, &cmo);
  if (r.st == NT_FAULTED) return r;
  for (int i = 0; i < ng; i++) M[gone[i]].alive = 0;
  b->chain = head;
  b->doff = off;
  b->dl -= delta;
  b->cur = cm;
  b->cmo = cmo;
  return ok(0);
}

/* One step of Advance through a FreeMdlHandler: the head MDL if Retreat-linked and wholly before the
 * data start, unlinked (not freed) and never offered again. */
static res_t model_unlink_head(int k, int *out) {
  *out = -1;
  if (!live_nb(k)) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
  nb_t *b = &B[k];
  int m = b->chain;
  if (m < 0 || !M[m].alive || !M[m].retreat || M[m].bc > b->doff) return ok(0);
  int cm;
  uint32_t cmo, off = b->doff - M[m].bc;
  res_t r = derive(M[m].next, off, &cm, &cmo);
  if (r.st == NT_FAULTED) return r;
  b->chain = M[m].next;
  b->doff = off;
  b->cur = cm;
  b->cmo = cmo;
  M[m].retreat = 0;
  *out = m;
  return ok(0);
}

/* NdisRetreatNetBufferDataStart (2.5, 6.4, API.md 7 v1.2) through an AllocateMdlHandler: in place when
 * DataOffset >= Delta; else *need = the Size asked of the handler. */
static res_t model_retreat(int k, uint32_t delta, uint32_t backfill, uint64_t *need) {
  *need = 0;
  if (!live_nb(k)) return bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
  nb_t *b = &B[k];
  if ((uint64_t)b->dl + delta > UINT32_MAX) return ok(NT_NDIS_ARG_ERROR);
  if (b->doff < delta) { *need = (uint64_t)(delta - b->doff) + backfill; return ok(0); }
  int cm;
  uint32_t cmo;
  res_t r = derive(b->chain, b->doff - delta, &cm, &cmo);
  if (r.st == NT_FAULTED) return r;
  b->doff -= delta;
  b->dl += delta;
  b->cur = cm;
  b->cmo = cmo;
  return ok(0);
}
/* The handler returned MDL m (-1 NULL): NULL or too small = RESOURCES, nothing changed; else it is
 * linked in front, the data in its last (Delta - DataOffset) bytes. */
static res_t model_retreat_link(int k, uint32_t delta, uint64_t need, int m) {
  if (m < 0) return ok(NDIS_STATUS_RESOURCES);
  if (!M[m].alive) return ok(NT_NDIS_ARG_ERROR);
  if (M[m].bc < need) return ok(NDIS_STATUS_RESOURCES);
  nb_t *b = &B[k];
  uint32_t shortfall = delta - b->doff;
  M[m].next = b->chain;
  M[m].retreat = 1;
  b->chain = b->cur = m;
  b->doff = b->cmo = M[m].bc - shortfall;
  b->dl += delta;
  return ok(0);
}

/* ---- the scenario ---- */

static nt_ctx *ctx;
#ifdef NDIS_STATS /* outcome counts over a corpus: -DNDIS_STATS, run with -runs=0 */
static unsigned long stats[8][6];
static void dump(void) {
  for (int i = 0; i < 8; i++)
    fprintf(stderr, "op%d ok %lu res %lu 1e %lu 50 %lu 133 %lu other %lu\n", i, stats[i][0], stats[i][1], stats[i][2],
            stats[i][3], stats[i][4], stats[i][5]);
}
static void count(const char *what, res_t w) {
  static int reg;
  if (!reg++) atexit(dump);
  int i = !strcmp(what, "copy") ? 0 : !strcmp(what, "get_data_buffer") ? 1 : !strcmp(what, "nb_alloc") ? 2
        : !strcmp(what, "advance") ? 4 : !strcmp(what, "unlink_head") ? 5 : !strcmp(what, "retreat") ? 6
        : !strcmp(what, "retreat_link") ? 7 : 3;
  int j = w.st == 0 ? 0 : w.st == NDIS_STATUS_RESOURCES ? 1 : w.st != NT_FAULTED ? 5
        : w.code == 0x1E ? 2 : w.code == 0x50 ? 3 : w.code == 0x133 ? 4 : 5;
  stats[i][j]++;
}
#else
#define count(w, r) ((void)0)
#endif
static void check(const char *what, uint32_t got, res_t want) {
  count(what, want);
  if (got != want.st) FAIL("%s: status %08x != model %08x\n", what, got, want.st);
  if (got != NT_FAULTED) return;
  if (ctx->fault.code != want.code) FAIL("%s: fault %x != model %x\n", what, ctx->fault.code, want.code);
  if (want.code == PAGE_FAULT_IN_NONPAGED_AREA && ctx->fault.p[1] != want.p2)
    FAIL("%s: 0x50 P2 %llu != model %u\n", what, (unsigned long long)ctx->fault.p[1], want.p2);
}
static nt_id mid(int m) { return m < 0 ? 0 : M[m].id; }
/* An instance (live or freed), or -1 for NULL; a slot not allocated yet falls back to one that is. */
static int nm, nn;
static int pick_mdl(rd_t *r) { uint8_t b = next(r) % (NMDL + 1); return b == NMDL || !nm ? -1 : b % nm; }
static int pick_nb(rd_t *r) { uint8_t b = next(r) % (NNB + 1); return b == NNB || !nn ? -1 : b % nn; }
/* An object reference as a field value: NULL, an MDL (maybe freed), or a live NET_BUFFER (wrong kind
 * for MDL fields). wrong = 1 when it is a live object of the other kind. */
static nt_id pick_ref(rd_t *r, int want_mdl, int *inst, int *wrong) {
  uint8_t b = next(r);
  int m = pick_mdl(r), k = pick_nb(r);
  int as_mdl = (b & 7) != 0 ? want_mdl : !want_mdl;
  *inst = as_mdl ? m : k;
  *wrong = 0;
  if (as_mdl != want_mdl) { /* a live object of the other kind; a stale one is left out (NULL) */
    if (*inst >= 0 && (as_mdl ? M[m].alive : B[k].alive)) *wrong = 1;
    else { *inst = -1; return 0; }
  }
  return as_mdl ? mid(m) : (k < 0 ? 0 : B[k].id);
}

static void compare_all(const char *after) {
  if (memcmp(arena, marena, ARENA) != 0) FAIL("bytes differ after %s\n", after);
  if (memcmp(store, mstore, STORE) != 0) FAIL("storage differs after %s\n", after);
  for (int m = 0; m < NMDL; m++) {
    if (!M[m].alive) continue;
    nt_mdl_info i;
    if (nt_ndis_mdl_get(ctx, M[m].id, &i) != STATUS_SUCCESS) FAIL("mdl_get\n");
    if (i.next != mid(M[m].next) || i.byte_count != M[m].bc || i.described != M[m].described ||
        i.flags != M[m].flags || i.mapped_va != (int)M[m].mapped_va)
      FAIL("MDL %d differs after %s: flags %x/%x bc %u/%u mapped %d/%u\n", m, after, i.flags, M[m].flags,
           i.byte_count, M[m].bc, i.mapped_va, M[m].mapped_va);
  }
  for (int k = 0; k < NNB; k++) {
    if (!B[k].alive) continue;
    uint64_t v[NT_NB_FIELD_COUNT];
    for (int f = 0; f < NT_NB_FIELD_COUNT; f++)
      if (nt_ndis_nb_get(ctx, B[k].id, f, &v[f]) != STATUS_SUCCESS) FAIL("nb_get\n");
    if (v[NT_NB_NEXT] != (B[k].next < 0 ? 0 : B[B[k].next].id) || v[NT_NB_CURRENT_MDL] != mid(B[k].cur) ||
        v[NT_NB_CURRENT_MDL_OFFSET] != B[k].cmo || v[NT_NB_DATA_LENGTH] != B[k].dl ||
        v[NT_NB_DATA_OFFSET] != B[k].doff || v[NT_NB_MDL_CHAIN] != mid(B[k].chain))
      FAIL("NET_BUFFER %d differs after %s\n", k, after);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rd_t r = {data, size};
  nt_view_ops ops = {NULL, v_resolve, v_release, v_alloc};
  ctx = nt_ctx_new(&ops);
  memset(M, 0, sizeof M);
  memset(B, 0, sizeof B);
  memset(views, 0, sizeof views);
  for (size_t i = 0; i < ARENA; i++) arena[i] = marena[i] = (uint8_t)(i * 7 + 1);
  for (size_t i = 0; i < STORE; i++) store[i] = mstore[i] = (uint8_t)(i * 13 + 5);
  nt_id pool;
  if (nt_ndis_pool_alloc(ctx, 0, &pool) != STATUS_SUCCESS) FAIL("pool\n");
  nm = nn = 0;
  group_mode = (int)(size & 1);
  arena_len = ARENA;
  if (group_mode) {
    nt_ndis_group_ops go = {g_group, g_resolve};
    nt_ndis_set_group_ops(ctx, &go);
  }

  for (int step = 0; step < 96 && r.n; step++) {
    uint8_t op = next(&r);
    switch (op % 18) {
      case 0: case 1: { /* IoAllocateMdl / NdisAllocateMdl over a window of the arena */
        if (nm == NMDL) break;
        int m = nm++;
        uint8_t w = next(&r), lb = next(&r);
        uint32_t vlen = lb % (CAP + 1), len = w & 0x20 ? next(&r) % (vlen + 1) : vlen;
        /* mostly right after the previous window (or over it), linked from it: chains of contiguous
         * and aliasing MDLs; else anywhere */
        size_t win = w & 0x80 || !m ? next(&r) % (ARENA - CAP + 1)
                   : M[m - 1].win + (w & 0x10 ? (w & 0xF) % (M[m - 1].described + 1) : M[m - 1].described);
        if (win > ARENA - CAP) win = ARENA - CAP;
        int nonpaged = op % 18 == 1;
        views[m].ptr = arena + win;
        views[m].len = vlen;
        vlen0[m] = vlen;
        if (group_mode && win + vlen > arena_len) views[m].len = 0; /* its buffer is short already */
        M[m] = (mdl_t){1, 1, 0, -1, len, len, nonpaged ? MDL_SOURCE_IS_NONPAGED_POOL : 0, 0,
                       (uint32_t)nonpaged, 0, win, (uint64_t)(lb >> 6)};
        if (nt_ndis_mdl_alloc(ctx, (uint32_t)m, len, M[m].boff, nonpaged, &M[m].id) != STATUS_SUCCESS) FAIL("mdl\n");
        if ((lb & 0xC0) == 0xC0) { /* a mapping that will fail, from the start */
          if (nt_ndis_mdl_set_mapping_fails(ctx, M[m].id, 1) != STATUS_SUCCESS) FAIL("fails\n");
          M[m].fails = 1;
        }
        if (w & 0x40 && m && M[m - 1].alive) {
          if (nt_ndis_mdl_set_next(ctx, M[m - 1].id, M[m].id) != STATUS_SUCCESS) FAIL("link\n");
          M[m - 1].next = m;
        }
        break;
      }
      case 2: { /* free an MDL (it may stay in chains); a double free is 0x1E */
        int m = pick_mdl(&r);
        if (m < 0) break;
        check("mdl_free", nt_ndis_mdl_free(ctx, M[m].id), M[m].alive ? ok(0) : bug(KMODE_EXCEPTION_NOT_HANDLED, 0));
        M[m].alive = 0;
        break;
      }
      case 3: { /* Next write: cycles, sharing, dangling */
        int m = pick_mdl(&r), to, wrong;
        nt_id v = pick_ref(&r, 1, &to, &wrong);
        if (m < 0) break;
        res_t want = !M[m].alive || wrong ? bug(KMODE_EXCEPTION_NOT_HANDLED, 0) : ok(0);
        check("set_next", nt_ndis_mdl_set_next(ctx, M[m].id, v), want);
        if (want.st == 0) M[m].next = to;
        break;
      }
      case 4: { /* ByteCount write */
        int m = pick_mdl(&r);
        uint32_t v = next(&r) & 63;
        if (m < 0) break;
        res_t want = !M[m].alive ? bug(KMODE_EXCEPTION_NOT_HANDLED, 0) : v > M[m].described ? ok(NT_NDIS_ARG_ERROR) : ok(0);
        check("set_byte_count", nt_ndis_mdl_set_byte_count(ctx, M[m].id, v), want);
        if (want.st == 0) M[m].bc = v;
        break;
      }
      case 5: { /* Sim.setMdlMappingFails, or MmBuildMdlForNonPagedPool */
        int m = pick_mdl(&r);
        uint8_t b = next(&r);
        if (m < 0) break;
        res_t want = M[m].alive ? ok(0) : bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
        if (b & 4) {
          check("build_nonpaged", nt_ndis_mdl_build_nonpaged(ctx, M[m].id), want);
          if (want.st == 0) { M[m].flags |= MDL_SOURCE_IS_NONPAGED_POOL; M[m].mapped_va = 1; }
        } else {
          check("mapping_fails", nt_ndis_mdl_set_mapping_fails(ctx, M[m].id, b & 1), want);
          if (want.st == 0) M[m].fails = b & 1;
        }
        break;
      }
      case 6: { /* JS shrinks, grows back or detaches the view under an MDL */
        int m = pick_mdl(&r);
        uint8_t b = next(&r);
        if (group_mode) { /* the arena shrinks or grows back: each window all there or gone */
          arena_len = b & 1 ? ARENA : (size_t)(b >> 1) * 2 % (ARENA + 1);
          for (int k = 0; k < nm; k++) views[k].len = M[k].win + vlen0[k] <= arena_len ? vlen0[k] : 0;
        } else if (m >= 0) {
          views[m].len = b % (CAP + 1);
        }
        break;
      }
      case 7: { /* NdisAllocateNetBuffer: cursor derived from DataOffset (6.3) */
        if (nn == NNB) break;
        int chain, wrong;
        nt_id v = pick_ref(&r, 1, &chain, &wrong);
        uint32_t doff = num(&r), dl = num(&r);
        int k = nn;
        res_t want = ok(0);
        cur_t c = {0};
        lasso_t L;
        if (wrong || (chain >= 0 && !M[chain].alive)) {
          want = bug(KMODE_EXCEPTION_NOT_HANDLED, 0);
        } else {
          lasso(chain, &L);
          want = seek(&L, doff, &c);
        }
        nt_id id = 0;
        check("nb_alloc", nt_ndis_nb_alloc(ctx, pool, v, doff, dl, &id), want);
        if (want.st != 0) break;
        nn++;
        B[k] = (nb_t){1, 1, id, -1, c.null ? -1 : L.seq[c.i], chain, (uint32_t)c.pos, dl, doff};
        break;
      }
      case 8: { /* NET_BUFFER field write */
        int k = pick_nb(&r);
        uint8_t f = next(&r) % 6;
        int inst = -1, wrong = 0;
        uint32_t v32 = 0;
        nt_id v = 0;
        if (f == NT_NB_NEXT || f == NT_NB_CURRENT_MDL || f == NT_NB_MDL_CHAIN) v = pick_ref(&r, f != NT_NB_NEXT, &inst, &wrong);
        else v = v32 = num(&r);
        if (k < 0) break;
        res_t want = !B[k].alive || wrong ? bug(KMODE_EXCEPTION_NOT_HANDLED, 0) : ok(0);
        check("nb_set", nt_ndis_nb_set(ctx, B[k].id, f, v), want);
        if (want.st != 0) break;
        switch (f) {
          case NT_NB_NEXT: B[k].next = inst; break;
          case NT_NB_CURRENT_MDL: B[k].cur = inst; break;
          case NT_NB_MDL_CHAIN: B[k].chain = inst; break;
          case NT_NB_CURRENT_MDL_OFFSET: B[k].cmo = v32; break;
          case NT_NB_DATA_LENGTH: B[k].dl = v32; break;
          case NT_NB_DATA_OFFSET: B[k].doff = v32; break;
        }
        break;
      }
      case 9: { /* NdisFreeNetBuffer */
        int k = pick_nb(&r);
        if (k < 0) break;
        check("nb_free", nt_ndis_nb_free(ctx, B[k].id), B[k].alive ? ok(0) : bug(KMODE_EXCEPTION_NOT_HANDLED, 0));
        B[k].alive = 0;
        break;
      }
      case 10: /* seek strategy: results must not depend on it */
        nt_ndis_set_index_enabled(ctx, next(&r) & 1);
        break;
      case 11: { /* NdisGetDataBuffer */
        int k = pick_nb(&r);
        uint32_t need = num(&r);
        uint8_t b = next(&r), a = next(&r);
        uint32_t am = 1u << (a & 3), ao = (a >> 2) % am;
        size_t slen = next(&r) % (STORE + 1);
        int has_store = b & 1;
        nt_span sp = {slen ? store : NULL, slen};
        int kind, vm = -1;
        uint64_t voff = 0;
        res_t want = model_gdb(k, need, has_store, slen, am, ao, &kind, &vm, &voff);
        nt_ndis_gdb out;
        check("get_data_buffer", nt_ndis_get_data_buffer(ctx, k < 0 ? 0 : B[k].id, need, has_store ? &sp : NULL, am, ao, &out), want);
        if (want.st == NT_FAULTED) break;
        if (out.kind != kind) FAIL("gdb kind %d != model %d\n", out.kind, kind);
        if (kind == 1 && (out.slot != (uint32_t)vm || out.offset != voff)) FAIL("gdb view differs\n");
        break;
      }
      case 16: { /* NdisAdvanceNetBufferDataStart, FreeMdl 0/1, or one FreeMdlHandler step */
        int k = pick_nb(&r);
        uint32_t delta = num(&r);
        uint8_t b = next(&r);
        nt_id id = k < 0 ? 0 : B[k].id;
        if ((b & 3) == 2) {
          int want_m;
          res_t want = model_unlink_head(k, &want_m);
          nt_id got_m = 0;
          check("unlink_head", nt_ndis_advance_unlink_head(ctx, id, &got_m), want);
          if (want.st == 0 && got_m != mid(want_m)) FAIL("unlink_head MDL differs\n");
          break;
        }
        res_t want = model_advance(k, delta, b & 1);
        check("advance", nt_ndis_advance(ctx, id, delta, b & 1), want);
        break;
      }
      case 17: { /* NdisRetreatNetBufferDataStart through a handler that returns MDL m (or NULL) */
        int k = pick_nb(&r), m = pick_mdl(&r);
        uint32_t delta = num(&r), backfill = next(&r) & 15;
        uint64_t want_need, need = 0;
        nt_id id = k < 0 ? 0 : B[k].id;
        res_t want = model_retreat(k, delta, backfill, &want_need);
        check("retreat", nt_ndis_retreat(ctx, id, delta, backfill, 0, &need), want);
        if (need != want_need) FAIL("retreat Size %llu != model %llu\n", (unsigned long long)need, (unsigned long long)want_need);
        if (want.st != 0 || !need) break;
        want = model_retreat_link(k, delta, need, m);
        check("retreat_link", nt_ndis_retreat_link(ctx, id, delta, backfill, mid(m)), want);
        break;
      }
      default: { /* 12-15: NdisCopyFromNetBufferToNetBuffer */
        uint8_t how = next(&r);
        int d = pick_nb(&r), s = (how & 3) == 0 ? d : pick_nb(&r); /* same NB as both, often */
        uint32_t doff = num(&r), n = num(&r), soff = num(&r);
        nt_id did = d < 0 ? 0 : B[d].id, sid = s < 0 ? 0 : B[s].id;
        if ((how & 28) == 4 && M[0].used) did = M[0].id; /* wrong kind */
        if ((how & 28) == 8 && M[0].used) sid = M[0].id;
        if (did != (d < 0 ? 0 : B[d].id)) d = -1;
        if (sid != (s < 0 ? 0 : B[s].id)) s = -1;
        int has_bc = (how & 224) != 224;
        if (live_nb(d) && live_nb(s)) {
          /* Both walks cyclic: only BytesToCopy ends them (up to 2^32 - 1 bytes of work): keep it short. */
          lasso_t a, b;
          lasso(B[d].cur, &a);
          lasso(B[s].cur, &b);
          if (a.end == END_CYCLE && b.end == END_CYCLE && a.cbytes && b.cbytes) n &= 1023;
        }
        uint32_t mbc = 0xA5A5A5A5u, bc = 0xA5A5A5A5u;
        res_t want = model_copy(d, doff, n, s, soff, has_bc, &mbc);
        check("copy", nt_ndis_copy(ctx, did, doff, n, sid, soff, has_bc ? &bc : NULL), want);
        if (bc != mbc) FAIL("BytesCopied %u != model %u (n %u doff %u soff %u)\n", bc, mbc, n, doff, soff);
        break;
      }
    }
    char what[16];
    snprintf(what, sizeof what, "op %u", op % 18);
    compare_all(what);
  }
  nt_ctx_free(ctx);
  return 0;
}
