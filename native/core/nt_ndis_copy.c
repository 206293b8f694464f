/* NdisCopyFromNetBufferToNetBuffer (SEMANTICS 2.3, 6.1, 6.6, 6.7) and NdisGetDataBuffer (2.5, 7.3). */
#include "nt_ndis_int.h"

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
    if (s.m && s.pos >= s.m->byte_count && ndis_skip(ctx, st, &s) == NT_FAULTED) return NT_FAULTED; /* 4a */
    if (d.m && d.pos >= d.m->byte_count && ndis_skip(ctx, st, &d) == NT_FAULTED) return NT_FAULTED;
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

/* One step of ndis_skip() that cannot fault: to the next MDL when it is non-empty. The step reads the
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
  if (ndis_ix_extend(ctx, st, nb, end - 1) != 0) {
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

/* ---- NdisGetDataBuffer ---- */

/* The walk into Storage: 1 = all bytes reached, 0 = chain ended or a mapping failed (NULL). */
static uint32_t gdb_walk(nt_ctx *ctx, ndis_state *st, cur c, uint32_t needed, const nt_span *storage, int apply,
                         int write, int *complete) {
  uint32_t done = 0;
  *complete = 0;
  while (done < needed) {
    if (ndis_skip(ctx, st, &c) == NT_FAULTED) return NT_FAULTED;
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
  if (ndis_seek_nb(ctx, st, nb, nb->current_mdl_offset, &c) == NT_FAULTED) return NT_FAULTED;
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
