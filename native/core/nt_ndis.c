/* NDIS family: MDLs, NET_BUFFERs, NET_BUFFER_LISTs, NdisCopyFromNetBufferToNetBuffer and companions.
 * SEMANTICS.md section 2 and section 6 rules 1, 3-7; API.md sections 4 and 7.
 *
 * Every walk that can write runs twice: a validation pass that decides every bug check (0x1E for a
 * freed id met, 0x133 for a walk that never ends, 0x50 for gone bytes) and the final count/status,
 * then an apply pass that moves bytes and sets mapping flags. So a bug check writes nothing. The
 * validation pass caches each touched MDL's resolved view in the MDL itself (no allocation). */
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_family.h"
#include "nt_ndis.h"

/* Out of the hot loops: keeps their registers free (GCC/Clang; plain functions elsewhere). */
#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#else
#define COLD
#endif

#define MAPPED_OR_NONPAGED (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)
#define RETREAT_MAX_ALLOC (UINT64_C(1) << 31) /* API.md 7 v1.2: a larger library MDL cannot be made */

typedef struct ndis_mdl {
  nt_id self, next;
  uint32_t slot;
  uint32_t described;   /* Length given at allocation: the bound of ByteCount writes */
  uint32_t byte_count;
  uint32_t flags;
  int mapped_va;
  int mapping_fails;    /* Sim.setMdlMappingFails */
  int retreat;          /* allocated for a Retreat: Advance with FreeMdl may free it (6.5) */
  uint64_t byte_offset; /* the view's byteOffset: NdisGetDataBuffer alignment */
  uint64_t mark;        /* walk serial: cycle detection in Advance's head scan */
  /* per-call resolved view (valid while rcall == state call serial; no JS runs within a call) */
  uint64_t rcall;
  uint64_t pcall;       /* call whose copy plan already marks this MDL for mapping */
  uint8_t *rp;
  size_t rlen;
  uint32_t grp;         /* group + 1 (0: resolved through ops.resolve), its window [goff, goff + glen) */
  uint64_t goff, glen, gend;
} ndis_mdl;

typedef struct nb_ent {
  ndis_mdl *m;
  uint64_t end;   /* cumulative end offset from CurrentMdl */
  uint64_t sgend; /* with vend: the largest window end (gend) of the entries after this one through vend-1 */
  uint32_t cont;  /* its bytes follow the previous entry's in the same buffer group (see ix_extend) */
  uint32_t vend;  /* 0, or 1 + the last entry j such that every entry after this one through j is cont and
                   * was seen mapped or nonpaged: mapping is never undone, so this holds with the index */
} nb_ent;

enum { IX_OPEN, IX_END_NULL, IX_END_BAD, IX_CYCLE };

typedef struct ndis_nb {
  nt_id self, next, current_mdl, mdl_chain;
  uint32_t current_mdl_offset, data_length, data_offset;
  /* Seek index over the chain from CurrentMdl: built lazily as far as seeks need, valid while
   * CurrentMdl is ix_start and ctx->chain_epoch is unchanged (bumped by every chain change: Next and
   * ByteCount writes, MDL frees, Retreat linking). Growing it may realloc, once per chain change. */
  int ix_valid, ix_state;
  uint64_t ix_epoch;
  nt_id ix_start, ix_bad;
  uint32_t ix_n, ix_cap, ix_cyc;
  nb_ent *ix;
  /* Last seek (valid under the same epoch and CurrentMdl): repeated and nearby offsets skip the search. */
  uint64_t ls_epoch, ls_target, ls_pos;
  nt_id ls_start;
  struct ndis_mdl *ls_m;
  uint32_t ls_i;        /* its index entry, or NO_IX */
} ndis_nb;

typedef struct ndis_nbl {
  nt_id self, next, first_nb;
  nt_id own_nb; /* allocated with the list: freed with it */
} ndis_nbl;

typedef struct ndis_pool {
  int nbl;
} ndis_pool;

/* The copy's plan (validation pass): byte runs to move, and MDLs whose mapping it sets. A run merges
 * contiguous segments only when its source and destination do not overlap, so moving it at once is
 * byte-identical to 2.3's ascending per-segment memmoves. Fixed size: a longer plan falls back to a
 * second walk (no allocation per call). */
#define PLAN_RUNS 512
#define PLAN_MAPS 64
typedef struct run {
  uint8_t *d;
  const uint8_t *s;
  size_t len;
} run;

typedef struct gcache {
  uint64_t call; /* the call whose check p/len hold */
  uint8_t *p;
  size_t len;
} gcache;

typedef struct ndis_state {
  run runs[PLAN_RUNS];
  nt_ndis_group_ops gops;
  gcache *gc;         /* per group, grown at MDL allocation */
  uint32_t gcap;
  struct ndis_mdl *maps[PLAN_MAPS];
  uint32_t nruns, nmaps;
  int plan_full;
  int index_off;
  uint32_t live_mdls; /* bound for cycle detection: more steps than MDLs means a repeat */
  uint64_t call;      /* serial of the current call (resolve cache) */
  uint64_t serial;    /* serial for marks */
} ndis_state;

typedef struct cur {
  ndis_mdl *m;
  uint64_t pos; /* 64-bit: CurrentMdlOffset + Offset never wraps (2.3 step 3) */
  uint32_t i;   /* m's entry in its NET_BUFFER's index when a seek found it there, else NO_IX */
} cur;
#define NO_IX UINT32_MAX

static ndis_state *state(nt_ctx *ctx) {
  if (!ctx->ndis) ctx->ndis = calloc(1, sizeof(ndis_state));
  return (ndis_state *)ctx->ndis;
}

static ndis_mdl *mdl_of(nt_ctx *ctx, nt_id id) { return (ndis_mdl *)nt_handle_get_type(ctx, id, NT_T_MDL); }
static ndis_nb *nb_of(nt_ctx *ctx, nt_id id) { return (ndis_nb *)nt_handle_get_type(ctx, id, NT_T_NET_BUFFER); }
static ndis_nbl *nbl_of(nt_ctx *ctx, nt_id id) {
  return (ndis_nbl *)nt_handle_get_type(ctx, id, NT_T_NET_BUFFER_LIST);
}

/* 2.4 / 6.1: NULL, freed or wrong-kind object = an unhandled access violation: 0x1E, P1 = 0xC0000005,
 * P3 = 0 read / 1 write, P4 = the id referenced (0 for NULL). */
static uint32_t fault_av(nt_ctx *ctx, nt_id id, int write) {
  return nt_fault_set(ctx, KMODE_EXCEPTION_NOT_HANDLED, STATUS_ACCESS_VIOLATION, 0, (uint64_t)write, id);
}
/* 6.6: a walk that can never end. */
static uint32_t fault_watchdog(nt_ctx *ctx) { return nt_fault_set(ctx, DPC_WATCHDOG_VIOLATION, 0, 0, 0, 0); }
/* 6.7: gone bytes. P1 = offset of the first gone byte reached in the MDL's view, P3 = the MDL. */
static uint32_t fault_gone(nt_ctx *ctx, const ndis_mdl *m, uint64_t pos, int write) {
  uint64_t at = pos > m->rlen ? pos : (uint64_t)m->rlen;
  return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, at, (uint64_t)write, m->self, 0);
}

static void bump(nt_ctx *ctx) { ctx->chain_epoch++; }

COLD static void resolve_slow(nt_ctx *ctx, ndis_state *st, ndis_mdl *m);
/* A group's bytes for this call (len 0 when none: a non-empty window then never fits). Once per group
 * and call, and every copy meets at least one group: inline, not cold. */
static inline void resolve_group(nt_ctx *ctx, ndis_state *st, gcache *g, uint32_t grp) {
  nt_span s = st->gops.resolve_group(ctx->ops.ud, grp);
  g->p = s.ptr;
  g->len = s.ptr ? s.len : 0;
  g->call = st->call;
}
/* The MDL's view as this call sees it (cached for the call in the MDL; a grouped MDL costs one check of
 * its buffer per call, shared with every MDL over the same buffer). */
static inline void resolve(nt_ctx *ctx, ndis_state *st, ndis_mdl *m) {
  if (m->rcall == st->call) return;
  if (m->grp) {
    gcache *g = &st->gc[m->grp - 1];
    if (g->call != st->call) resolve_group(ctx, st, g, m->grp - 1);
    /* as the binding's own resolve: all of the window, or (detached, shrunk) nothing */
    int ok = g->p && g->len >= m->gend;
    m->rp = ok ? g->p + m->goff : NULL;
    m->rlen = ok ? m->glen : 0;
    m->rcall = st->call;
    return;
  }
  resolve_slow(ctx, st, m);
}

COLD static void resolve_slow(nt_ctx *ctx, ndis_state *st, ndis_mdl *m) {
  nt_span s;
  ctx->ops.resolve(ctx->ops.ud, m->slot, &s);
  m->rp = s.ptr;
  m->rlen = s.ptr ? s.len : 0;
  m->rcall = st->call;
}

/* MmGetSystemAddressForMdlSafe [WDM macro, 2.1]: an already mapped or nonpaged MDL cannot fail; a
 * successful mapping sets MDL_MAPPED_TO_SYSTEM_VA and MappedSystemVa (only when apply). */
static int map_mdl(ndis_mdl *m, int apply) {
  if (m->flags & MAPPED_OR_NONPAGED) return 1;
  if (m->mapping_fails) return 0;
  if (apply) {
    m->flags |= MDL_MAPPED_TO_SYSTEM_VA;
    m->mapped_va = 1;
  }
  return 1;
}

/* A field write of an object reference: NULL, a live object of the right kind, or a stale id (stored:
 * a walk that meets it bug checks, as a dangling pointer would). A live object of another kind is a
 * wrong-kind argument: 0x1E. */
static uint32_t check_ref(nt_ctx *ctx, nt_id id, uint32_t type) {
  uint32_t t;
  if (id && nt_handle_get(ctx, id, &t) && t != type) return fault_av(ctx, id, 0);
  return STATUS_SUCCESS;
}

/* ---- seeks (2.3 step 3) ---- */

/* Byte length of the cycle through m (m is known to be on it). */
static uint32_t cycle_bytes(nt_ctx *ctx, ndis_mdl *m, uint64_t *bytes) {
  uint64_t c = 0;
  ndis_mdl *x = m;
  do {
    c += x->byte_count;
    nt_id nx = x->next;
    x = mdl_of(ctx, nx);
    if (!x) return fault_av(ctx, nx, 0); /* unreachable: the cycle was just walked */
  } while (x != m);
  *bytes = c;
  return STATUS_SUCCESS;
}

/* Linear seek from `start`: the first MDL whose cumulative end is > target, or NULL with
 * pos = target - chain length. More steps than live MDLs means the walk is on a cycle: a cycle of
 * zero bytes never ends (0x133); a non-empty one is reduced modulo its length, which is exactly
 * where walking it round and round would stop. */
static uint32_t seek_lin(nt_ctx *ctx, ndis_state *st, nt_id start, uint64_t target, cur *out) {
  out->m = NULL;
  out->pos = target;
  out->i = NO_IX;
  if (!start) return STATUS_SUCCESS;
  ndis_mdl *m = mdl_of(ctx, start);
  if (!m) return fault_av(ctx, start, 0);
  uint64_t pos = target, steps = 0;
  for (;;) {
    if (pos < m->byte_count) break;
    if (++steps > (uint64_t)st->live_mdls + 1) {
      uint64_t c = 0;
      if (cycle_bytes(ctx, m, &c) == NT_FAULTED) return NT_FAULTED;
      if (c == 0) return fault_watchdog(ctx); /* 6.6 */
      pos %= c;
      steps = 0;
      if (pos < m->byte_count) break;
    }
    pos -= m->byte_count;
    nt_id nx = m->next;
    if (!nx) { m = NULL; break; }
    m = mdl_of(ctx, nx);
    if (!m) return fault_av(ctx, nx, 0);
  }
  out->m = m;
  out->pos = pos;
  return STATUS_SUCCESS;
}

/* Index: after more entries than live MDLs, the last one is on a cycle; keep one lap of it. */
static void ix_close_cycle(nt_ctx *ctx, ndis_nb *nb) {
  ndis_mdl *x = nb->ix[nb->ix_n - 1].m, *y = x;
  uint32_t lambda = 0;
  do {
    y = mdl_of(ctx, y->next);
    lambda++;
  } while (y && y != x);
  if (!y) { nb->ix_valid = 0; return; } /* unreachable; fall back to a rebuild */
  uint32_t mu = 0;
  while (nb->ix[mu].m != nb->ix[mu + lambda].m) mu++;
  nb->ix_n = mu + lambda;
  nb->ix_cyc = mu;
  nb->ix_state = IX_CYCLE;
}

/* Extends the index until it covers target or ends. -1: out of memory (caller seeks linearly). */
static int ix_extend(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target) {
  while (nb->ix_state == IX_OPEN) {
    uint64_t total = nb->ix_n ? nb->ix[nb->ix_n - 1].end : 0;
    if (nb->ix_n && total > target) return 0;
    nt_id id = nb->ix_n ? nb->ix[nb->ix_n - 1].m->next : nb->ix_start;
    if (!id) { nb->ix_state = IX_END_NULL; break; }
    ndis_mdl *m = mdl_of(ctx, id);
    if (!m) { nb->ix_state = IX_END_BAD; nb->ix_bad = id; break; }
    if (nb->ix_n == nb->ix_cap) {
      uint32_t ncap = nb->ix_cap ? nb->ix_cap * 2 : 16;
      nb_ent *e = (nb_ent *)realloc(nb->ix, (size_t)ncap * sizeof *e);
      if (!e) return -1;
      nb->ix = e;
      nb->ix_cap = ncap;
    }
    /* Contiguity is fixed while the index is: windows are set at allocation, ByteCounts bump the epoch. */
    const ndis_mdl *pm = nb->ix_n ? nb->ix[nb->ix_n - 1].m : NULL;
    nb->ix[nb->ix_n].m = m;
    nb->ix[nb->ix_n].end = total + m->byte_count;
    nb->ix[nb->ix_n].sgend = 0;
    nb->ix[nb->ix_n].vend = 0;
    nb->ix[nb->ix_n].cont = pm && m->grp && pm->grp == m->grp && pm->byte_count && m->byte_count &&
                            pm->glen >= pm->byte_count && m->glen >= m->byte_count &&
                            m->goff == pm->goff + pm->byte_count;
    nb->ix_n++;
    if (nb->ix_n > st->live_mdls + 1) {
      ix_close_cycle(ctx, nb);
      if (!nb->ix_valid) return -1;
    }
  }
  return 0;
}

/* The index describes the chain as it is now (its MDL pointers are live: frees bump the epoch). */
static inline int ix_ok(const nt_ctx *ctx, const ndis_nb *nb) {
  return nb->ix_valid && nb->ix_epoch == ctx->chain_epoch && nb->ix_start == nb->current_mdl;
}

/* Indexed seek: same result as seek_lin from CurrentMdl, O(log K) once the index covers the target. */
static uint32_t seek_ix(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out);

/* Seek from CurrentMdl (2.3 step 3). The last result is kept: the same target again costs nothing, and a
 * target a little further on walks forward from it (at most a few MDLs) instead of searching. */
static uint32_t seek_nb(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (st->index_off) return seek_lin(ctx, st, nb->current_mdl, target, out);
  if (nb->ls_m && nb->ls_i != NO_IX && nb->ls_epoch == ctx->chain_epoch && nb->ls_start == nb->current_mdl &&
      target >= nb->ls_target && ix_ok(ctx, nb)) {
    /* entries before ls_i end at or before ls_target <= target: the first entry ending after target is
     * ls_i or a few after it (never a zero-length one, as in seek_ix) */
    for (uint32_t i = nb->ls_i, hops = 0; hops < 4 && i < nb->ix_n; hops++, i++) {
      if (nb->ix[i].end > target) {
        out->m = nb->ix[i].m;
        out->pos = target - (i ? nb->ix[i - 1].end : 0);
        out->i = i;
        nb->ls_m = out->m;
        nb->ls_pos = out->pos;
        nb->ls_i = i;
        nb->ls_target = target;
        return STATUS_SUCCESS;
      }
    }
  }
  uint32_t r = seek_ix(ctx, st, nb, target, out);
  if (r == STATUS_SUCCESS && out->m) {
    nb->ls_epoch = ctx->chain_epoch;
    nb->ls_start = nb->current_mdl;
    nb->ls_target = target;
    nb->ls_m = out->m;
    nb->ls_pos = out->pos;
    nb->ls_i = out->i;
  }
  return r;
}

/* seek_nb when the target is the last one again (the common repeated copy): the same result, no call. */
static inline uint32_t seek_nb_again(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (nb->ls_target == target && nb->ls_m && nb->ls_epoch == ctx->chain_epoch && nb->ls_start == nb->current_mdl &&
      !st->index_off) {
    out->m = nb->ls_m; /* ls_pos < its ByteCount: a ByteCount write bumps the epoch */
    out->pos = nb->ls_pos;
    out->i = nb->ls_i;
    return STATUS_SUCCESS;
  }
  return seek_nb(ctx, st, nb, target, out);
}

static uint32_t seek_ix(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (!nb->ix_valid || nb->ix_epoch != ctx->chain_epoch || nb->ix_start != nb->current_mdl) {
    nb->ix_valid = 1;
    nb->ix_state = IX_OPEN;
    nb->ix_epoch = ctx->chain_epoch;
    nb->ix_start = nb->current_mdl;
    nb->ix_n = 0;
  }
  for (;;) {
    if (ix_extend(ctx, st, nb, target) != 0) {
      nb->ix_valid = 0;
      return seek_lin(ctx, st, nb->current_mdl, target, out);
    }
    uint32_t n = nb->ix_n;
    uint64_t total = n ? nb->ix[n - 1].end : 0;
    if (target < total) {
      uint32_t lo = 0, hi = n - 1; /* first entry whose end > target: never a zero-length one */
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (nb->ix[mid].end > target) hi = mid; else lo = mid + 1;
      }
      out->m = nb->ix[lo].m;
      out->pos = target - (lo ? nb->ix[lo - 1].end : 0);
      out->i = lo;
      return STATUS_SUCCESS;
    }
    if (nb->ix_state == IX_END_NULL) {
      out->m = NULL;
      out->pos = target - total;
      out->i = NO_IX;
      return STATUS_SUCCESS;
    }
    if (nb->ix_state == IX_END_BAD) return fault_av(ctx, nb->ix_bad, 0);
    uint64_t cs = nb->ix_cyc ? nb->ix[nb->ix_cyc - 1].end : 0;
    uint64_t c = total - cs;
    if (c == 0) return fault_watchdog(ctx); /* 6.6 */
    target = cs + (target - cs) % c;
  }
}

/* 2.3 step 4a: past exhausted and zero-length MDLs. More consecutive skips than MDLs = a cycle of
 * zero-length MDLs, a walk that never ends (6.6). */
static uint32_t skip(nt_ctx *ctx, ndis_state *st, cur *c) {
  uint64_t steps = 0;
  while (c->m && c->pos >= c->m->byte_count) {
    if (++steps > (uint64_t)st->live_mdls + 1) return fault_watchdog(ctx);
    nt_id nx = c->m->next;
    c->pos = 0;
    if (!nx) { c->m = NULL; break; }
    c->m = mdl_of(ctx, nx);
    if (!c->m) return fault_av(ctx, nx, 0);
  }
  return STATUS_SUCCESS;
}

/* Cursor re-derivation (2.5 Advance, 6.3): from MdlChain, the first MDL whose cumulative end is >
 * DataOffset; none: CurrentMdl NULL, CurrentMdlOffset = DataOffset - chain length. */
static uint32_t derive(nt_ctx *ctx, ndis_state *st, nt_id chain, uint32_t data_offset, nt_id *mdl, uint32_t *off) {
  cur c;
  if (seek_lin(ctx, st, chain, data_offset, &c) == NT_FAULTED) return NT_FAULTED;
  *mdl = c.m ? c.m->self : 0;
  *off = (uint32_t)c.pos; /* <= DataOffset */
  return STATUS_SUCCESS;
}

/* ---- MDLs ---- */

uint32_t nt_ndis_mdl_alloc(nt_ctx *ctx, uint32_t slot, uint32_t length, uint64_t byte_offset, int nonpaged,
                           nt_id *mdl) {
  ndis_state *st = state(ctx);
  nt_id id;
  ndis_mdl *m = st ? (ndis_mdl *)nt_obj_new(ctx, NT_T_MDL, sizeof *m, &id) : NULL;
  if (!m) {
    ctx->ops.release(ctx->ops.ud, slot);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  m->self = id;
  m->slot = slot;
  uint32_t g;
  uint64_t goff, glen;
  if (st->gops.group && st->gops.group(ctx->ops.ud, slot, &g, &goff, &glen) && g < UINT32_MAX - 1) {
    if (g >= st->gcap) {
      uint32_t ncap = st->gcap ? st->gcap : 64;
      while (ncap <= g && ncap < (UINT32_MAX >> 1)) ncap *= 2;
      gcache *c = ncap > g ? (gcache *)realloc(st->gc, (size_t)ncap * sizeof *c) : NULL;
      if (c) {
        memset(c + st->gcap, 0, (size_t)(ncap - st->gcap) * sizeof *c);
        st->gc = c;
        st->gcap = ncap;
      }
    }
    if (g < st->gcap) { /* else (out of memory) through ops.resolve: same bytes */
      st->gc[g].call = 0; /* a group index may be reused for a new buffer */
      m->grp = g + 1;
      m->goff = goff;
      m->glen = glen;
      m->gend = goff + glen;
    }
  }
  m->described = m->byte_count = length;
  m->byte_offset = byte_offset;
  if (nonpaged) { /* NdisAllocateMdl = IoAllocateMdl + MmBuildMdlForNonPagedPool */
    m->flags = MDL_SOURCE_IS_NONPAGED_POOL;
    m->mapped_va = 1;
  }
  st->live_mdls++;
  *mdl = m->self;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_free(nt_ctx *ctx, nt_id mdl) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  if (!mdl_of(ctx, mdl)) return fault_av(ctx, mdl, 1); /* double free included */
  st->live_mdls--;
  bump(ctx); /* indices hold MDL pointers */
  nt_handle_free(ctx, mdl);
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_build_nonpaged(nt_ctx *ctx, nt_id mdl) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 1);
  m->flags |= MDL_SOURCE_IS_NONPAGED_POOL;
  m->mapped_va = 1;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_get(nt_ctx *ctx, nt_id mdl, nt_mdl_info *out) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 0);
  out->next = m->next;
  out->byte_count = m->byte_count;
  out->described = m->described;
  out->flags = m->flags;
  out->mapped_va = m->mapped_va;
  out->slot = m->slot;
  out->byte_offset = m->byte_offset;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_set_next(nt_ctx *ctx, nt_id mdl, nt_id next) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 1);
  if (check_ref(ctx, next, NT_T_MDL) == NT_FAULTED) return NT_FAULTED;
  m->next = next;
  bump(ctx);
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_set_byte_count(nt_ctx *ctx, nt_id mdl, uint32_t byte_count) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 1);
  if (byte_count > m->described) return NT_NDIS_ARG_ERROR; /* API.md 4: RangeError */
  m->byte_count = byte_count;
  bump(ctx);
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_address(nt_ctx *ctx, nt_id mdl, int map, uint32_t *slot, uint32_t *len) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 0);
  if (map == 1 && !map_mdl(m, 0)) return NDIS_STATUS_RESOURCES; /* MmGetSystemAddressForMdlSafe: NULL */
  if (map == 2 && !m->mapped_va) return NDIS_STATUS_RESOURCES;  /* MappedSystemVa NULL */
  nt_span s;
  ctx->ops.resolve(ctx->ops.ud, m->slot, &s);
  /* [DECISION] an address over bytes that are gone cannot be handed out: 0x50, decided before the
   * mapping side effect (as WdfMemoryGetBuffer does). */
  if (s.len < m->byte_count) return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, s.len, 0, m->self, 0);
  if (map == 1) map_mdl(m, 1);
  *slot = m->slot;
  *len = m->byte_count;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_mdl_set_mapping_fails(nt_ctx *ctx, nt_id mdl, int fails) {
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return fault_av(ctx, mdl, 1);
  m->mapping_fails = fails != 0;
  return STATUS_SUCCESS;
}

/* ---- pools ---- */

uint32_t nt_ndis_pool_alloc(nt_ctx *ctx, int nbl_pool, nt_id *pool) {
  nt_id id;
  ndis_pool *p = (ndis_pool *)nt_obj_new(ctx, nbl_pool ? NT_T_NBL_POOL : NT_T_NB_POOL, sizeof *p, &id);
  if (!p) return STATUS_INSUFFICIENT_RESOURCES;
  p->nbl = nbl_pool;
  *pool = id;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_pool_free(nt_ctx *ctx, int nbl_pool, nt_id pool) {
  /* API.md 7: the other kind of pool is a wrong-kind object. Objects allocated from the pool live on. */
  if (!nt_handle_get_type(ctx, pool, nbl_pool ? NT_T_NBL_POOL : NT_T_NB_POOL)) return fault_av(ctx, pool, 1);
  nt_handle_free(ctx, pool);
  return STATUS_SUCCESS;
}

/* ---- NET_BUFFERs ---- */

static uint32_t nb_new(nt_ctx *ctx, ndis_state *st, nt_id mdl_chain, uint32_t data_offset, uint32_t data_length,
                       nt_id *out) {
  if (mdl_chain && !mdl_of(ctx, mdl_chain)) return fault_av(ctx, mdl_chain, 0);
  nt_id cm;
  uint32_t cmo;
  if (derive(ctx, st, mdl_chain, data_offset, &cm, &cmo) == NT_FAULTED) return NT_FAULTED; /* 6.3 */
  nt_id id;
  ndis_nb *nb = (ndis_nb *)nt_obj_new(ctx, NT_T_NET_BUFFER, sizeof *nb, &id);
  if (!nb) return STATUS_INSUFFICIENT_RESOURCES;
  nb->self = id;
  nb->mdl_chain = mdl_chain;
  nb->data_offset = data_offset;
  nb->data_length = data_length;
  nb->current_mdl = cm;
  nb->current_mdl_offset = cmo;
  *out = nb->self;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nb_alloc(nt_ctx *ctx, nt_id pool, nt_id mdl_chain, uint32_t data_offset, uint32_t data_length,
                          nt_id *nb) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  *nb = 0;
  if (!nt_handle_get_type(ctx, pool, NT_T_NB_POOL)) return fault_av(ctx, pool, 0);
  return nb_new(ctx, st, mdl_chain, data_offset, data_length, nb);
}

uint32_t nt_ndis_nb_free(nt_ctx *ctx, nt_id nb) {
  if (!nb_of(ctx, nb)) return fault_av(ctx, nb, 1);
  nt_handle_free(ctx, nb);
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nb_get(nt_ctx *ctx, nt_id id, int field, uint64_t *value) {
  ndis_nb *nb = nb_of(ctx, id);
  if (!nb) return fault_av(ctx, id, 0);
  switch (field) {
    case NT_NB_NEXT: *value = nb->next; break;
    case NT_NB_CURRENT_MDL: *value = nb->current_mdl; break;
    case NT_NB_CURRENT_MDL_OFFSET: *value = nb->current_mdl_offset; break;
    case NT_NB_DATA_LENGTH: *value = nb->data_length; break;
    case NT_NB_DATA_OFFSET: *value = nb->data_offset; break;
    case NT_NB_MDL_CHAIN: *value = nb->mdl_chain; break;
    default: return NT_NDIS_ARG_ERROR;
  }
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nb_set(nt_ctx *ctx, nt_id id, int field, uint64_t value) {
  ndis_nb *nb = nb_of(ctx, id);
  if (!nb) return fault_av(ctx, id, 1);
  switch (field) {
    case NT_NB_NEXT:
      if (check_ref(ctx, value, NT_T_NET_BUFFER) == NT_FAULTED) return NT_FAULTED;
      nb->next = value;
      break;
    case NT_NB_CURRENT_MDL:
    case NT_NB_MDL_CHAIN:
      if (check_ref(ctx, value, NT_T_MDL) == NT_FAULTED) return NT_FAULTED;
      if (field == NT_NB_CURRENT_MDL) nb->current_mdl = value; else nb->mdl_chain = value;
      break;
    case NT_NB_CURRENT_MDL_OFFSET: nb->current_mdl_offset = (uint32_t)value; break;
    case NT_NB_DATA_LENGTH: nb->data_length = (uint32_t)value; break;
    case NT_NB_DATA_OFFSET: nb->data_offset = (uint32_t)value; break;
    default: return NT_NDIS_ARG_ERROR;
  }
  /* No epoch bump: a NET_BUFFER's index is keyed on its CurrentMdl (seek_nb compares ix_start) and
   * holds offsets relative to it, and no field here changes a chain. So drivers that set DataLength
   * after every copy keep O(log K) seeks, and one NB's writes do not invalidate the others' indices. */
  return STATUS_SUCCESS;
}

/* ---- NET_BUFFER_LISTs ---- */

uint32_t nt_ndis_nbl_alloc(nt_ctx *ctx, nt_id pool, int with_nb, nt_id mdl_chain, uint32_t data_offset,
                           uint32_t data_length, nt_id *out) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  *out = 0;
  if (!nt_handle_get_type(ctx, pool, NT_T_NBL_POOL)) return fault_av(ctx, pool, 0);
  nt_id nbid = 0;
  if (with_nb) {
    uint32_t r = nb_new(ctx, st, mdl_chain, data_offset, data_length, &nbid);
    if (r != STATUS_SUCCESS) return r;
  }
  nt_id lid;
  ndis_nbl *l = (ndis_nbl *)nt_obj_new(ctx, NT_T_NET_BUFFER_LIST, sizeof *l, &lid);
  if (!l) {
    if (nbid) nt_handle_free(ctx, nbid);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  l->self = lid;
  l->first_nb = l->own_nb = nbid;
  *out = l->self;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nbl_free(nt_ctx *ctx, nt_id id) {
  ndis_nbl *l = nbl_of(ctx, id);
  if (!l) return fault_av(ctx, id, 1);
  nt_id own = l->own_nb;
  nt_handle_free(ctx, id);
  if (own && nb_of(ctx, own)) nt_handle_free(ctx, own); /* API.md 7 v1.2 */
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nbl_get(nt_ctx *ctx, nt_id id, int field, nt_id *value) {
  ndis_nbl *l = nbl_of(ctx, id);
  if (!l) return fault_av(ctx, id, 0);
  if (field == NT_NBL_NEXT) *value = l->next;
  else if (field == NT_NBL_FIRST_NB) *value = l->first_nb;
  else return NT_NDIS_ARG_ERROR;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_nbl_set(nt_ctx *ctx, nt_id id, int field, nt_id value) {
  ndis_nbl *l = nbl_of(ctx, id);
  if (!l) return fault_av(ctx, id, 1);
  if (field == NT_NBL_NEXT) {
    if (check_ref(ctx, value, NT_T_NET_BUFFER_LIST) == NT_FAULTED) return NT_FAULTED;
    l->next = value;
  } else if (field == NT_NBL_FIRST_NB) {
    if (check_ref(ctx, value, NT_T_NET_BUFFER) == NT_FAULTED) return NT_FAULTED;
    l->first_nb = value;
  } else {
    return NT_NDIS_ARG_ERROR;
  }
  return STATUS_SUCCESS;
}

/* ---- NdisCopyFromNetBufferToNetBuffer ---- */

/* The plan maps m (sets MDL_MAPPED_TO_SYSTEM_VA when applied) unless it is mapped or planned already. */
static void plan_map(ndis_state *st, ndis_mdl *m) {
  if ((m->flags & MAPPED_OR_NONPAGED) || m->pcall == st->call) return;
  m->pcall = st->call;
  if (st->nmaps == PLAN_MAPS) st->plan_full = 1;
  else st->maps[st->nmaps++] = m;
}

/* 2.3 step 4, one pass. plan 1 (validation): decide bug checks and the outcome, touching nothing but the
 * resolve cache, and record the runs to move and the MDLs to mark mapped; plan 0 (fallback when the plan
 * did not fit): the same walk again, moving bytes and setting mapping flags (it cannot fault then). */
static uint32_t copy_walk(nt_ctx *ctx, ndis_state *st, cur s, cur d, uint32_t n, int plan, uint32_t *copied_out) {
  uint32_t copied = 0, status = NDIS_STATUS_SUCCESS;
  if (plan) {
    st->nruns = st->nmaps = 0;
    st->plan_full = 0;
  }
  while (copied < n) {
    if (s.m && s.pos >= s.m->byte_count && skip(ctx, st, &s) == NT_FAULTED) return NT_FAULTED; /* 4a */
    if (d.m && d.pos >= d.m->byte_count && skip(ctx, st, &d) == NT_FAULTED) return NT_FAULTED;
    if (!s.m || !d.m) break;                                   /* 4b: chain ends, not DataLength */
    uint64_t chunk = s.m->byte_count - s.pos;                  /* 4c */
    if (d.m->byte_count - d.pos < chunk) chunk = d.m->byte_count - d.pos;
    if ((uint64_t)(n - copied) < chunk) chunk = n - copied;
    /* 4d: source first, then destination; a source mapped before the destination fails stays mapped;
     * the partial count is kept. */
    int s_ok = map_mdl(s.m, !plan);
    if (plan && s_ok) plan_map(st, s.m);
    if (!s_ok || !map_mdl(d.m, !plan)) {
      status = NDIS_STATUS_RESOURCES;
      break;
    }
    if (plan) plan_map(st, d.m);
    if (plan) {                                                /* 6.7: per byte, source met first */
      resolve(ctx, st, s.m);
      if (s.pos + chunk > s.m->rlen) return fault_gone(ctx, s.m, s.pos, 0);
      resolve(ctx, st, d.m);
      if (d.pos + chunk > d.m->rlen) return fault_gone(ctx, d.m, d.pos, 1);
      if (!st->plan_full) {
        const uint8_t *sp = s.m->rp + s.pos;
        uint8_t *dp = d.m->rp + d.pos;
        run *last = st->nruns ? &st->runs[st->nruns - 1] : NULL;
        if (last && last->s + last->len == sp && last->d + last->len == dp &&
            (dp + chunk <= last->s || sp + chunk <= last->d)) {
          last->len += (size_t)chunk;                          /* contiguous on both sides, no overlap */
        } else if (st->nruns == PLAN_RUNS) {
          st->plan_full = 1;
        } else {
          st->runs[st->nruns++] = (run){dp, sp, (size_t)chunk};
        }
      }
    } else {
      memmove(d.m->rp + d.pos, s.m->rp + s.pos, (size_t)chunk); /* 4e: per-segment memmove */
    }
    s.pos += chunk;
    d.pos += chunk;
    copied += (uint32_t)chunk;
  }
  *copied_out = copied;
  return status;
}

/* The common case of the validation pass, in one tight loop: every MDL met is live, non-empty, mappable
 * and resolves to at least its ByteCount bytes, every step is to a live non-empty next MDL, the chains
 * hold all n bytes and the plan fits. Anything else (a bug check, a chain end, a zero-length MDL, a
 * failed mapping, a view shorter than its MDL, a full plan) returns 0 before deciding anything:
 * copy_walk then walks again from the start and decides it in 2.3's order. When it returns 1 its plan
 * is exactly copy_walk's: the same segments in the same order, the same run merging rule, the same
 * MDLs planned for mapping, the same MDLs resolved; the count is n, the status success. */
/* An MDL that is not mapped yet: plan its mapping (once per call). 0: it cannot be mapped, or the plan is full. */
COLD static int fast_plan_map(ndis_state *st, ndis_mdl *m) {
  if (m->mapping_fails) return 0;
  if (m->pcall != st->call) {
    if (st->nmaps == PLAN_MAPS) return 0;
    m->pcall = st->call;
    st->maps[st->nmaps++] = m;
  }
  return 1;
}

/* resolve() for the fast path: m's bytes when they hold all its ByteCount, else 0. A grouped MDL is
 * read from its buffer's check without touching the MDL's own cache (the slow path, if it runs, starts a
 * new call serial and resolves again: same bytes). */
COLD static uintptr_t fast_view_slot(nt_ctx *ctx, ndis_state *st, ndis_mdl *m) {
  resolve(ctx, st, m);
  return m->rlen >= m->byte_count ? (uintptr_t)m->rp : 0;
}

static inline uintptr_t fast_view(nt_ctx *ctx, ndis_state *st, ndis_mdl *m) {
  if (m->grp) {
    gcache *g = &st->gc[m->grp - 1];
    if (g->call != st->call) resolve_group(ctx, st, g, m->grp - 1);
    return g->len >= m->gend && m->glen >= m->byte_count ? (uintptr_t)g->p + m->goff : 0;
  }
  return fast_view_slot(ctx, st, m);
}

/* Makes m the side's MDL (X: s or d): its mapping planned, its bytes resolved and all there
 * (a view shorter than the MDL leaves the fast path: 6.7 decides where the walk meets it). A side is
 * held as X##p (its next byte), X##r (bytes left in its MDL) and X##i (its index entry): few enough
 * values for the loop to stay in registers. */
#define FAST_ENTER(X, mdl)                                                                   \
  do {                                                                                       \
    ndis_mdl *m_ = (mdl);                                                                    \
    if (!(m_->flags & MAPPED_OR_NONPAGED) && !fast_plan_map(st, m_)) return 0;               \
    if (!(X##p = fast_view(ctx, st, m_))) return 0;                                          \
    X##r = m_->byte_count;                                                                   \
  } while (0)

/* One step of skip() that cannot fault: to the next MDL when it is non-empty. The step reads the
 * NET_BUFFER's index, whose entries are the chain's live MDLs in order (ix_ok): loads that do not wait
 * on the previous MDL, where following Next ids through the handle table costs ~6 dependent loads per
 * MDL. The end of the entries (chain end, a bad or freed MDL, a cycle's lap) leaves the fast path. */
#define FAST_NEXT(X)                                                                         \
  do {                                                                                       \
    if (++X##i >= X##n) return 0;                                                            \
    ndis_mdl *x_ = X##e[X##i].m;                                                             \
    if (!x_->byte_count) return 0;                                                           \
    FAST_ENTER(X, x_);                                                                       \
  } while (0)

/* The stretch after entry i: following entries whose bytes continue entry i's in the same group, each
 * mapped or planned and wholly in its buffer as checked this call, taken while the bytes so far are under
 * `need`. Returns the last entry taken; *avail grows by their ByteCounts. Every MDL taken starts within
 * the n bytes, so copy_walk would map it too. The part already seen mapped is cached in entry i (vend,
 * sgend): a repeated step costs a comparison and a binary search, not a visit per MDL. */
static uint32_t stretch_more(ndis_state *st, nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail);
static inline uint32_t stretch(ndis_state *st, nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail) {
  /* inline: the common no-stretch answer costs no call (~45 instructions with the call's saves) */
  if (*avail >= need || i + 1 >= n || !e[i + 1].cont) return i;
  return stretch_more(st, e, i, n, need, avail);
}
static uint32_t stretch_more(ndis_state *st, nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail) {
  uint64_t a = *avail;
  const gcache *g = &st->gc[e[i].m->grp - 1]; /* checked this call: entry i was entered */
  uint32_t j = i, v = e[i].vend ? e[i].vend - 1 : i;
  if (v >= n) v = n - 1; /* a cycle's index keeps one lap: never past its entries */
  uint64_t mx = e[i].sgend, base = e[i].end;
  if (v > i && g->len >= mx) { /* cached members: mapped, contiguous, and their windows are all there */
    if (a + (e[v].end - base) >= need) {
      uint32_t lo = i + 1, hi = v; /* the first member that brings the bytes to `need` */
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a + (e[mid].end - base) >= need) hi = mid; else lo = mid + 1;
      }
      *avail = a + (e[lo].end - base);
      return lo;
    }
    a += e[v].end - base;
    j = v;
  }
  while (a < need && j + 1 < n && e[j + 1].cont) {
    ndis_mdl *m = e[j + 1].m;
    if (g->len < m->gend) break;
    int mapped = (m->flags & MAPPED_OR_NONPAGED) != 0;
    if (!mapped && !fast_plan_map(st, m)) break;
    a += m->byte_count;
    j++;
    if (mapped && j == v + 1) { /* extends the cached part */
      v = j;
      if (m->gend > mx) mx = m->gend;
    }
  }
  e[i].vend = v + 1;
  e[i].sgend = mx;
  *avail = a;
  return j;
}

/* Moves side X forward by `chunk`: within its MDL, or within its stretch (entries X##i..X##j, whose
 * bytes follow each other, so the byte pointer just moves on), then on to the next MDL if used up. */
#define FAST_ADVANCE(X, chunk)                                                               \
  do {                                                                                       \
    if ((chunk) < X##r) {                                                                    \
      X##p += (chunk);                                                                       \
      X##r -= (chunk);                                                                       \
    } else if (X##i < X##j) {                                                                \
      uint64_t at_ = X##e[X##i].end - X##r + (chunk); /* offset in the chain after the step */ \
      uint32_t lo_ = X##i + 1, hi_ = X##j;             /* the first entry ending after at_, or j */ \
      if (X##e[hi_ - 1].end <= at_) lo_ = hi_;         /* usual: the step ends in entry j */  \
      while (lo_ < hi_) {                                                                    \
        uint32_t mid_ = lo_ + (hi_ - lo_) / 2;                                               \
        if (X##e[mid_].end > at_) hi_ = mid_; else lo_ = mid_ + 1;                           \
      }                                                                                      \
      X##p += (chunk);                                                                       \
      X##r = X##e[lo_].end - at_;                                                            \
      X##i = lo_;                                                                            \
      if (!X##r) FAST_NEXT(X);                                                               \
    } else {                                                                                 \
      FAST_NEXT(X);                       /* chunk == X##r: this MDL is used up */            \
    }                                                                                        \
  } while (0)

/* s0/d0: cursors whose index entries are known (checked by the caller), indices extended over n bytes.
 * A step takes the bytes both sides hold contiguously (stretches of MDLs over adjacent bytes of one
 * buffer count as one): when it spans several MDLs it is taken at once only if copy_walk would have
 * merged all its segments into one run (no overlap of the run with its own source), else one segment;
 * so the runs are copy_walk's. */
static int copy_fast(nt_ctx *ctx, ndis_state *st, ndis_nb *snb, cur s0, ndis_nb *dnb, cur d0, uint32_t n) {
  st->nruns = st->nmaps = 0;
  st->plan_full = 0;
  if (s0.pos >= s0.m->byte_count || d0.pos >= d0.m->byte_count) return 0;
  nb_ent *se = snb->ix, *de = dnb->ix;
  uint32_t si = s0.i, sn = snb->ix_n, di = d0.i, dn = dnb->ix_n;
  uint64_t sr, dr;
  uintptr_t sp, dp;
  FAST_ENTER(s, s0.m);
  FAST_ENTER(d, d0.m);
  sp += s0.pos;
  sr -= s0.pos;
  dp += d0.pos;
  dr -= d0.pos;
  uint64_t left = n;
  run *runs = st->runs;
  uint32_t nr = 0;
  uintptr_t ls = 0, ld = 0; /* the last run (0: none yet; resolved bytes are never at 0) */
  size_t ll = 0;
  for (;;) {
    uint64_t chunk = sr < dr ? sr : dr; /* one segment */
    if (left < chunk) chunk = left;
    uint32_t sj = si, dj = di;
    int joins = ls + ll == sp && ld + ll == dp;
    /* Only the side whose MDL ends first can stretch (both, or the chunk ending at n: neither). */
    if (chunk < left && ((chunk == sr && si + 1 < sn && se[si + 1].cont) ||
                         (chunk == dr && di + 1 < dn && de[di + 1].cont))) {
      uint64_t one = chunk, sx = sr, dx = dr;
      sj = stretch(st, se, si, sn, left < dr ? left : dr, &sx);
      dj = stretch(st, de, di, dn, left < sx ? left : sx, &dx);
      chunk = sx < dx ? sx : dx;
      if (left < chunk) chunk = left;
      if (chunk > one) {
        /* several segments: as one run only if copy_walk merges them all (monotone in the length) */
        uintptr_t rs = joins ? ls : sp, rd = joins ? ld : dp;
        if (!(dp + chunk <= rs || sp + chunk <= rd)) {
          chunk = one;
          sj = si;
          dj = di;
        }
      }
    }
    if (joins && (dp + chunk <= ls || sp + chunk <= ld)) {
      ll += (size_t)chunk;                                     /* as copy_walk: contiguous, no overlap */
    } else {
      if (nr) runs[nr - 1].len = ll;
      if (nr == PLAN_RUNS) return 0;
      runs[nr++] = (run){(uint8_t *)dp, (const uint8_t *)sp, 0};
      ls = sp;
      ld = dp;
      ll = (size_t)chunk;
    }
    left -= chunk;
    if (!left) break;
    FAST_ADVANCE(s, chunk);
    FAST_ADVANCE(d, chunk);
  }
  runs[nr - 1].len = ll;
  st->nruns = nr;
  return 1;
}
#undef FAST_ADVANCE
#undef FAST_ENTER
#undef FAST_NEXT

/* copy_fast's precondition for one side: c sits at a known entry of a current index, which reaches
 * `end` (extended now if need be; growing it is once per chain change). 0: take copy_walk. */
COLD static int fast_extend(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t end) {
  if (ix_extend(ctx, st, nb, end - 1) != 0) {
    nb->ix_valid = 0;
    return 0;
  }
  return 1;
}
static inline int fast_ready(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, cur *c, uint64_t end) {
  if (!c->m || c->i == NO_IX || !ix_ok(ctx, nb) || c->i >= nb->ix_n || nb->ix[c->i].m != c->m) return 0;
  return nb->ix[nb->ix_n - 1].end >= end || fast_extend(ctx, st, nb, end);
}

uint32_t nt_ndis_copy(nt_ctx *ctx, nt_id dst, uint32_t dst_off, uint32_t n, nt_id src, uint32_t src_off,
                      uint32_t *bytes_copied) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *d = nb_of(ctx, dst), *s = nb_of(ctx, src);
  if (!d) return fault_av(ctx, dst, 0); /* 6.1: validity before every rule, also when n == 0 */
  if (!s) return fault_av(ctx, src, 0);
  if (!bytes_copied) return fault_av(ctx, 0, 1);
  /* Step 1 (*BytesCopied = 0 first) is folded into the single final write: the validation pass
   * runs before it, so no bug check can leave a 0 behind. */
  if (n == 0) {                                                /* step 2: nothing examined or mapped */
    *bytes_copied = 0;
    return NDIS_STATUS_SUCCESS;
  }
  st->call++;
  cur sc, dc;
  uint64_t st_ = (uint64_t)s->current_mdl_offset + src_off, dt_ = (uint64_t)d->current_mdl_offset + dst_off;
  if (seek_nb_again(ctx, st, s, st_, &sc) == NT_FAULTED) return NT_FAULTED;
  if (seek_nb_again(ctx, st, d, dt_, &dc) == NT_FAULTED) return NT_FAULTED;
  uint32_t copied = n, r = NDIS_STATUS_SUCCESS;
  /* index off: the reference walk only */
  if (st->index_off || !fast_ready(ctx, st, s, &sc, st_ + n) || !fast_ready(ctx, st, d, &dc, dt_ + n) ||
      !copy_fast(ctx, st, s, sc, d, dc, n)) {
    st->call++; /* forget the fast pass's plan marks (and resolves: re-resolving is harmless) */
    r = copy_walk(ctx, st, sc, dc, n, 1, &copied);
    if (r == NT_FAULTED) return r;
  }
  if (st->plan_full) {
    copy_walk(ctx, st, sc, dc, n, 0, &copied);
  } else {
    for (uint32_t i = 0; i < st->nmaps; i++) map_mdl(st->maps[i], 1);
    for (uint32_t i = 0; i < st->nruns; i++) memmove(st->runs[i].d, st->runs[i].s, st->runs[i].len); /* 4e */
  }
  *bytes_copied = copied;                                      /* step 5 (or 4d's partial count) */
  return r;
}

/* ---- NdisAdvanceNetBufferDataStart ---- */

uint32_t nt_ndis_advance(nt_ctx *ctx, nt_id id, uint32_t delta, int free_mdl) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *nb = nb_of(ctx, id);
  if (!nb) return fault_av(ctx, id, 1);
  /* [DECISION] ULONG wrap of DataLength/DataOffset is a caller bug the C code would silently make:
   * a RangeError here. */
  if (delta > nb->data_length || (uint64_t)nb->data_offset + delta > 0xFFFFFFFFu) return NT_NDIS_ARG_ERROR;
  uint64_t new_off = (uint64_t)nb->data_offset + delta;
  nt_id head = nb->mdl_chain;
  uint32_t nfree = 0;
  if (free_mdl) { /* 6.5: Retreat-allocated head MDLs wholly before the new start */
    uint64_t serial = ++st->serial;
    for (;;) {
      ndis_mdl *m = mdl_of(ctx, head);
      if (!m || !m->retreat || m->byte_count > new_off || m->mark == serial) break;
      m->mark = serial; /* a cycle of such MDLs is freed once */
      new_off -= m->byte_count;
      head = m->next;
      nfree++;
    }
  }
  nt_id cm;
  uint32_t cmo;
  if (derive(ctx, st, head, (uint32_t)new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
  nt_id h = nb->mdl_chain;
  for (uint32_t i = 0; i < nfree; i++) {
    ndis_mdl *m = mdl_of(ctx, h);
    h = m->next;
    st->live_mdls--;
    nt_handle_free(ctx, m->self);
  }
  nb->mdl_chain = head;
  nb->data_offset = (uint32_t)new_off;
  nb->data_length -= delta;
  nb->current_mdl = cm;
  nb->current_mdl_offset = cmo;
  if (nfree) bump(ctx); /* nt_handle_free of an MDL: indices hold MDL pointers */
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_advance_unlink_head(nt_ctx *ctx, nt_id id, nt_id *out) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *nb = nb_of(ctx, id);
  *out = 0;
  if (!nb) return fault_av(ctx, id, 1);
  ndis_mdl *m = mdl_of(ctx, nb->mdl_chain);
  if (!m || !m->retreat || m->byte_count > nb->data_offset) return STATUS_SUCCESS;
  uint32_t new_off = nb->data_offset - m->byte_count;
  nt_id cm;
  uint32_t cmo;
  if (derive(ctx, st, m->next, new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
  nb->mdl_chain = m->next;
  nb->data_offset = new_off;
  nb->current_mdl = cm;
  nb->current_mdl_offset = cmo;
  m->retreat = 0; /* handed to the handler: never offered twice */
  bump(ctx);
  *out = m->self;
  return STATUS_SUCCESS;
}

/* ---- NdisRetreatNetBufferDataStart ---- */

static uint32_t retreat_in_place(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint32_t delta) {
  nt_id cm;
  uint32_t cmo;
  uint32_t new_off = nb->data_offset - delta;
  if (derive(ctx, st, nb->mdl_chain, new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
  nb->data_offset = new_off;
  nb->data_length += delta;
  nb->current_mdl = cm; /* the index notices a new CurrentMdl itself: no chain changed, no bump */
  nb->current_mdl_offset = cmo;
  return NDIS_STATUS_SUCCESS;
}

/* 6.4 / API.md 7: the MDL holds the shortfall at its end; DataOffset = CurrentMdlOffset = L - shortfall. */
static void retreat_link(nt_ctx *ctx, ndis_nb *nb, ndis_mdl *m, uint32_t delta) {
  uint32_t shortfall = delta - nb->data_offset;
  m->next = nb->mdl_chain;
  m->retreat = 1;
  nb->mdl_chain = nb->current_mdl = m->self;
  nb->data_offset = nb->current_mdl_offset = m->byte_count - shortfall;
  nb->data_length += delta;
  bump(ctx);
}

uint32_t nt_ndis_retreat(nt_ctx *ctx, nt_id id, uint32_t delta, uint32_t backfill, int lib_alloc, uint64_t *need) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *nb = nb_of(ctx, id);
  *need = 0;
  if (!nb) return fault_av(ctx, id, 1);
  if ((uint64_t)nb->data_length + delta > 0xFFFFFFFFu) return NT_NDIS_ARG_ERROR; /* API.md 7 v1.2 */
  if (nb->data_offset >= delta) return retreat_in_place(ctx, st, nb, delta);
  uint64_t size = (uint64_t)(delta - nb->data_offset) + backfill;
  if (!lib_alloc) {
    *need = size;
    return NDIS_STATUS_SUCCESS;
  }
  uint32_t slot;
  if (size > RETREAT_MAX_ALLOC || ctx->ops.alloc(ctx->ops.ud, size, &slot) != 0) return NDIS_STATUS_RESOURCES;
  nt_id mid;
  uint32_t r = nt_ndis_mdl_alloc(ctx, slot, (uint32_t)size, 0, 1, &mid); /* as NdisAllocateMdl */
  if (r != STATUS_SUCCESS) return NDIS_STATUS_RESOURCES;
  retreat_link(ctx, nb, mdl_of(ctx, mid), delta);
  return NDIS_STATUS_SUCCESS;
}

uint32_t nt_ndis_retreat_link(nt_ctx *ctx, nt_id id, uint32_t delta, uint32_t backfill, nt_id mdl) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *nb = nb_of(ctx, id);
  if (!nb) return fault_av(ctx, id, 1);
  if (!mdl) return NDIS_STATUS_RESOURCES; /* the handler returned NULL: nothing changed */
  ndis_mdl *m = mdl_of(ctx, mdl);
  if (!m) return NT_NDIS_ARG_ERROR; /* handler result not a live MDL: TypeError, nothing changed */
  /* Re-read: the handler ran JS and may have changed the NET_BUFFER. */
  if ((uint64_t)nb->data_length + delta > 0xFFFFFFFFu) return NDIS_STATUS_RESOURCES;
  if (nb->data_offset >= delta) return retreat_in_place(ctx, st, nb, delta);
  uint64_t size = (uint64_t)(delta - nb->data_offset) + backfill;
  if (m->byte_count < size) return NDIS_STATUS_RESOURCES; /* too small: nothing changed */
  retreat_link(ctx, nb, m, delta);
  return NDIS_STATUS_SUCCESS;
}

/* ---- NdisGetDataBuffer ---- */

/* The walk into Storage: 1 = all bytes reached, 0 = chain ended or a mapping failed (NULL). */
static uint32_t gdb_walk(nt_ctx *ctx, ndis_state *st, cur c, uint32_t needed, const nt_span *storage, int apply,
                         int write, int *complete) {
  uint32_t done = 0;
  *complete = 0;
  while (done < needed) {
    if (skip(ctx, st, &c) == NT_FAULTED) return NT_FAULTED;
    if (!c.m) return STATUS_SUCCESS;
    uint64_t chunk = c.m->byte_count - c.pos;
    if ((uint64_t)(needed - done) < chunk) chunk = needed - done;
    if (!map_mdl(c.m, apply)) return STATUS_SUCCESS;
    if (!apply) {
      resolve(ctx, st, c.m);
      if (c.pos + chunk > c.m->rlen) return fault_gone(ctx, c.m, c.pos, 0);
    } else if (write) {
      memmove(storage->ptr + done, c.m->rp + c.pos, (size_t)chunk);
    }
    c.pos += chunk;
    done += (uint32_t)chunk;
  }
  *complete = 1;
  return STATUS_SUCCESS;
}

uint32_t nt_ndis_get_data_buffer(nt_ctx *ctx, nt_id id, uint32_t needed, const nt_span *storage,
                                 uint32_t align_multiple, uint32_t align_offset, nt_ndis_gdb *out) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  out->kind = 0;
  ndis_nb *nb = nb_of(ctx, id);
  if (!nb) return fault_av(ctx, id, 0);
  if (needed == 0) return STATUS_SUCCESS;              /* 2.5 [DECISION]: NULL */
  if (nb->data_length < needed) return STATUS_SUCCESS; /* bounded by DataLength (unlike the copy) */
  st->call++;
  cur c;
  if (seek_nb(ctx, st, nb, nb->current_mdl_offset, &c) == NT_FAULTED) return NT_FAULTED;
  if (c.m && c.pos + needed <= c.m->byte_count &&
      ((c.m->byte_offset + c.pos) & (uint64_t)(align_multiple - 1)) == align_offset) {
    if (!map_mdl(c.m, 0)) return STATUS_SUCCESS; /* NULL on mapping failure */
    resolve(ctx, st, c.m);
    if (c.pos + needed > c.m->rlen) return fault_gone(ctx, c.m, c.pos, 0);
    map_mdl(c.m, 1);
    out->kind = 1;
    out->slot = c.m->slot;
    out->offset = c.pos;
    return STATUS_SUCCESS;
  }
  if (!storage) return STATUS_SUCCESS;
  if (storage->len < needed)
    return nt_fault_set(ctx, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, storage->len, 1, 0, 0);
  int complete;
  if (gdb_walk(ctx, st, c, needed, storage, 0, 0, &complete) == NT_FAULTED) return NT_FAULTED;
  gdb_walk(ctx, st, c, needed, storage, 1, complete, &complete);
  if (complete) out->kind = 2;
  return STATUS_SUCCESS;
}

void nt_ndis_set_group_ops(nt_ctx *ctx, const nt_ndis_group_ops *ops) {
  ndis_state *st = state(ctx);
  if (st) st->gops = *ops;
}

void nt_ndis_set_index_enabled(nt_ctx *ctx, int enabled) {
  ndis_state *st = state(ctx);
  if (st) st->index_off = !enabled;
}

/* ---- family hooks ---- */

void nt_ndis_obj_free(nt_ctx *ctx, uint32_t type, void *obj) {
  if (type == NT_T_MDL) ctx->ops.release(ctx->ops.ud, ((ndis_mdl *)obj)->slot);
  else if (type == NT_T_NET_BUFFER) free(((ndis_nb *)obj)->ix);
  free(obj);
}

void nt_ndis_ctx_free(nt_ctx *ctx) {
  if (ctx->ndis) free(((ndis_state *)ctx->ndis)->gc);
  free(ctx->ndis);
  ctx->ndis = NULL;
}
