/* NDIS family internals shared by its files (not part of the core<->binding interface):
 *   nt_ndis_obj.c   MDLs, pools, NET_BUFFERs, NET_BUFFER_LISTs, family hooks
 *   nt_ndis_seek.c  seeks and the per-NET_BUFFER seek index
 *   nt_ndis_copy.c  NdisCopyFromNetBufferToNetBuffer and NdisGetDataBuffer
 *   nt_ndis_adv.c   NdisAdvanceNetBufferDataStart / NdisRetreatNetBufferDataStart
 * SEMANTICS.md section 2 and section 6 rules 1, 3-7; API.md sections 4 and 7. */
#ifndef NT_NDIS_INT_H
#define NT_NDIS_INT_H
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_family.h"
#include "nt_ndis.h"

#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#define NOINLINE __attribute__((noinline))
#else
#define COLD
#define NOINLINE
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

/* One MDL of a NET_BUFFER's chain, from CurrentMdl on. Everything here but `mapped` and `vend` is fixed while
 * the index is (ByteCounts, Next links and frees bump the epoch; a view's window is set at allocation), so
 * the copy's stream (nt_ndis_copy.c) reads its MDLs' lengths, places and what can stop it from the entries,
 * not from the MDL objects. */
typedef struct nb_ent {
  uint64_t end;   /* cumulative end offset from CurrentMdl */
  uint64_t goff;  /* grouped: where its bytes start in its group's buffer */
  uint64_t gmax;  /* the largest window end (gend) of entries 0..this one (their group when ug) */
  ndis_mdl *m;
  uint32_t len;   /* ByteCount */
  uint32_t grp;   /* m->grp: group + 1, 0 = resolved through ops.resolve */
  uint32_t ug;    /* group + 1 when entries 0..this one are all in that one group, else 0 */
  uint32_t nbad;  /* non-empty entries 0..this one whose mapping fails (or whose window is shorter than its
                   * ByteCount): where the stream stops (see ix_extend; set_mapping_fails bumps the epoch) */
  uint32_t nzero; /* zero-length entries 0..this one (2.3 4a skips them: none in a range, no test per MDL) */
  uint32_t ncont; /* entries 1..this one that are cont: none in a range = no stretch, no run to merge */
  uint32_t vend;  /* 0, or 1 + the last entry j such that every entry after this one through j is cont and
                   * was seen mapped or nonpaged: mapping is never undone, so this holds with the index */
  uint8_t cont;   /* its bytes follow the previous entry's in the same buffer group (see ix_extend) */
  uint8_t mapped; /* seen mapped or nonpaged (never undone) */
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
 * byte-identical to 2.3's ascending per-segment memmoves (copy_walk only: the stream needs no plan).
 * Fixed size: a longer plan falls back to a second walk (no allocation per call). */
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

static inline ndis_state *state(nt_ctx *ctx) {
  if (!ctx->ndis) ctx->ndis = calloc(1, sizeof(ndis_state));
  return (ndis_state *)ctx->ndis;
}

static inline ndis_mdl *mdl_of(nt_ctx *ctx, nt_id id) { return (ndis_mdl *)nt_handle_get_type(ctx, id, NT_T_MDL); }
static inline ndis_nb *nb_of(nt_ctx *ctx, nt_id id) { return (ndis_nb *)nt_handle_get_type(ctx, id, NT_T_NET_BUFFER); }
static inline ndis_nbl *nbl_of(nt_ctx *ctx, nt_id id) {
  return (ndis_nbl *)nt_handle_get_type(ctx, id, NT_T_NET_BUFFER_LIST);
}

/* 2.4 / 6.1: NULL, freed or wrong-kind object = an unhandled access violation: 0x1E, P1 = 0xC0000005,
 * P3 = 0 read / 1 write, P4 = the id referenced (0 for NULL). */
static inline uint32_t fault_av(nt_ctx *ctx, nt_id id, int write) {
  return nt_fault_set(ctx, KMODE_EXCEPTION_NOT_HANDLED, STATUS_ACCESS_VIOLATION, 0, (uint64_t)write, id);
}
/* 6.6: a walk that can never end. */
static inline uint32_t fault_watchdog(nt_ctx *ctx) { return nt_fault_set(ctx, DPC_WATCHDOG_VIOLATION, 0, 0, 0, 0); }
/* 6.7: gone bytes. P1 = offset of the first gone byte reached in the MDL's view, P3 = the MDL. */
static inline uint32_t fault_gone(nt_ctx *ctx, const ndis_mdl *m, uint64_t pos, int write) {
  uint64_t at = pos > m->rlen ? pos : (uint64_t)m->rlen;
  return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, at, (uint64_t)write, m->self, 0);
}

static inline void bump(nt_ctx *ctx) { ctx->chain_epoch++; }

void ndis_resolve_slow(nt_ctx *ctx, ndis_state *st, ndis_mdl *m); /* nt_ndis_obj.c */
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
  ndis_resolve_slow(ctx, st, m);
}

/* MmGetSystemAddressForMdlSafe [WDM macro, 2.1]: an already mapped or nonpaged MDL cannot fail; a
 * successful mapping sets MDL_MAPPED_TO_SYSTEM_VA and MappedSystemVa (only when apply). */
static inline int map_mdl(ndis_mdl *m, int apply) {
  if (m->flags & MAPPED_OR_NONPAGED) return 1;
  if (m->mapping_fails) return 0;
  if (apply) {
    m->flags |= MDL_MAPPED_TO_SYSTEM_VA;
    m->mapped_va = 1;
  }
  return 1;
}

/* nt_ndis_seek.c: seeks (2.3 step 3), the per-NET_BUFFER index, 2.3 step 4a, the cursor re-derivation. */
uint32_t ndis_seek_lin(nt_ctx *ctx, ndis_state *st, nt_id start, uint64_t target, cur *out);
int ndis_ix_extend(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target);
uint32_t ndis_seek_nb(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out);
uint32_t ndis_skip(nt_ctx *ctx, ndis_state *st, cur *c);
uint32_t ndis_derive(nt_ctx *ctx, ndis_state *st, nt_id chain, uint32_t data_offset, nt_id *mdl, uint32_t *off);

/* The index describes the chain as it is now (its MDL pointers are live: frees bump the epoch). */
static inline int ix_ok(const nt_ctx *ctx, const ndis_nb *nb) {
  return nb->ix_valid && nb->ix_epoch == ctx->chain_epoch && nb->ix_start == nb->current_mdl;
}

/* ndis_seek_nb when the target is the last one again (the common repeated copy): the same result, no call. */
static inline uint32_t seek_nb_again(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (nb->ls_target == target && nb->ls_m && nb->ls_epoch == ctx->chain_epoch && nb->ls_start == nb->current_mdl &&
      !st->index_off) {
    out->m = nb->ls_m; /* ls_pos < its ByteCount: a ByteCount write bumps the epoch */
    out->pos = nb->ls_pos;
    out->i = nb->ls_i;
    return STATUS_SUCCESS;
  }
  return ndis_seek_nb(ctx, st, nb, target, out);
}

#endif
