/* NDIS seeks (SEMANTICS 2.3 step 3, 4a; 2.5 / 6.3 re-derivation) and the per-NET_BUFFER seek index. */
#include "nt_ndis_int.h"

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
uint32_t ndis_seek_lin(nt_ctx *ctx, ndis_state *st, nt_id start, uint64_t target, cur *out) {
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
int ndis_ix_extend(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target) {
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
    nb_ent *e = &nb->ix[nb->ix_n];
    const nb_ent *pe = nb->ix_n ? e - 1 : NULL;
    e->m = m;
    e->end = total + m->byte_count;
    e->len = m->byte_count;
    e->grp = m->grp;
    e->goff = m->goff;
    e->vend = 0;
    e->mapped = (m->flags & MAPPED_OR_NONPAGED) != 0;
    e->cont = pm && m->grp && pm->grp == m->grp && pm->byte_count && m->byte_count &&
              pm->glen >= pm->byte_count && m->glen >= m->byte_count && m->goff == pm->goff + pm->byte_count;
    e->ncont = (pe ? pe->ncont : 0) + e->cont;
    e->ug = m->grp && (!pe || pe->ug == m->grp) ? m->grp : 0;
    e->gmax = m->grp && (!pe || pe->gmax < m->gend) ? m->gend : pe ? pe->gmax : 0;
    /* where the stream stops: 4d's failed mapping (a flag that never changes under the index: it can
     * only become mapped), a window that does not hold the ByteCount; and what 4a skips */
    e->nbad = (pe ? pe->nbad : 0) +
              (m->byte_count && ((m->mapping_fails && !e->mapped) || (m->grp && m->glen < m->byte_count)));
    e->nzero = (pe ? pe->nzero : 0) + !m->byte_count;
    nb->ix_n++;
    if (nb->ix_n > st->live_mdls + 1) {
      ix_close_cycle(ctx, nb);
      if (!nb->ix_valid) return -1;
    }
  }
  return 0;
}


/* Indexed seek: same result as ndis_seek_lin from CurrentMdl, O(log K) once the index covers the target. */
static uint32_t seek_ix(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out);

/* Seek from CurrentMdl (2.3 step 3). The last result is kept: the same target again costs nothing, and a
 * target a little further on walks forward from it (at most a few MDLs) instead of searching. */
uint32_t ndis_seek_nb(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (st->index_off) return ndis_seek_lin(ctx, st, nb->current_mdl, target, out);
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


static uint32_t seek_ix(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t target, cur *out) {
  if (!nb->ix_valid || nb->ix_epoch != ctx->chain_epoch || nb->ix_start != nb->current_mdl) {
    nb->ix_valid = 1;
    nb->ix_state = IX_OPEN;
    nb->ix_epoch = ctx->chain_epoch;
    nb->ix_start = nb->current_mdl;
    nb->ix_n = 0;
  }
  for (;;) {
    if (ndis_ix_extend(ctx, st, nb, target) != 0) {
      nb->ix_valid = 0;
      return ndis_seek_lin(ctx, st, nb->current_mdl, target, out);
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
uint32_t ndis_skip(nt_ctx *ctx, ndis_state *st, cur *c) {
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
uint32_t ndis_derive(nt_ctx *ctx, ndis_state *st, nt_id chain, uint32_t data_offset, nt_id *mdl, uint32_t *off) {
  cur c;
  if (ndis_seek_lin(ctx, st, chain, data_offset, &c) == NT_FAULTED) return NT_FAULTED;
  *mdl = c.m ? c.m->self : 0;
  *off = (uint32_t)c.pos; /* <= DataOffset */
  return STATUS_SUCCESS;
}
