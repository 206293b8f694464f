/* NdisCopyFromNetBufferToNetBuffer (SEMANTICS 2.3, 6.1, 6.6, 6.7) and NdisGetDataBuffer (2.5, 7.3).
 *
 * A copy writes nothing when it bug checks, so every bug check is decided before the first byte moves.
 * Two ways: the stream (below copy_walk), which decides from the NET_BUFFERs' seek indices that none can
 * occur and then moves as it walks, in one pass; and copy_walk, the reference: a validation walk that
 * decides everything and records a bounded plan, then the plan applied (or, past PLAN_RUNS, the walk
 * again). Only what the stream cannot decide up front takes copy_walk (a cycle, a freed MDL or gone
 * bytes in the way, the index off); of those only a long non-empty cycle that does not bug check walks
 * twice. */
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

/* ---- the stream: the common case in one pass ----
 *
 * Before a byte moves, the NET_BUFFERs' indices decide in O(log K) (plus one check per buffer group)
 * everything 2.3 and 6.1-6.7 can meet in the copy: where it ends (n bytes, or a chain's end in NULL:
 * stream_span), where it stops (the first MDL whose mapping fails: stream_limit, NDIS_STATUS_RESOURCES
 * after the bytes before it), and that nothing before that can bug check: the MDLs met are indexed and
 * live (no 0x1E, no cycle: no 0x133) and lie wholly in bytes their views still have (no 0x50:
 * stream_ready). Then the outcome is known and the copy's only effects are its memmoves and the mappings
 * of the MDLs it meets, which are done as the walk goes: one pass, no plan, no second walk however many
 * runs, nothing allocated. Anything else (cycles, a freed MDL or gone bytes in the way) takes copy_walk,
 * which decides it in 2.3's order.
 *
 * The runs are copy_walk's: the same segments in the same order, merged only when contiguous on both
 * sides and not overlapping (so one memmove equals 2.3's per-segment memmoves); each run moves when the
 * next one starts, which nothing can fail after. */

/* Maps e's MDL (it cannot fail: before the first nbad entry) when this index has not seen it mapped. */
COLD static void stream_map(nb_ent *e) {
  map_mdl(e->m, 1);
  e->mapped = 1;
}

/* e's first byte this call: its group's buffer as checked by stream_ready, or its own view. */
static inline uintptr_t stream_view(const ndis_state *st, const nb_ent *e) {
  return e->grp ? (uintptr_t)st->gc[e->grp - 1].p + e->goff : (uintptr_t)e->m->rp;
}

/* Makes entry X##i the side's MDL. X##u: the side's one buffer (0: entries resolve their own). A side is
 * held as X##p (its next byte), X##r (bytes left in its MDL) and X##i (its index entry): few enough values
 * for the loop to stay in registers; the MDL object is touched only to map it, once per index. */
#define STREAM_ENTER(X)                                                                      \
  do {                                                                                       \
    nb_ent *e_ = &X##e[X##i];                                                                \
    if (!e_->mapped) stream_map(e_);                                                         \
    X##p = X##u ? X##u + e_->goff : stream_view(st, e_);                                     \
    X##r = e_->len;                                                                          \
  } while (0)

/* 2.3 4a inside the stream: past zero-length entries (never mapped), when the range has any. */
#define STREAM_SKIP0(X)                                                                      \
  do {                                                                                       \
    if (zeros)                                                                               \
      while (!X##e[X##i].len) X##i++;                                                        \
  } while (0)

/* The stretch after entry i: following entries whose bytes continue entry i's in the same group, taken
 * while the bytes so far are under `need` (every one starts within the n bytes, so 2.3 maps it too: it is
 * mapped here). Returns the last entry taken; *avail grows by their ByteCounts. The part already seen
 * mapped is cached in entry i (vend): a repeated step costs a binary search, not a visit per MDL. */
static uint32_t stretch_more(nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail);
static inline uint32_t stretch(nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail) {
  /* inline: the common no-stretch answer costs no call */
  if (*avail >= need || i + 1 >= n || !e[i + 1].cont) return i;
  return stretch_more(e, i, n, need, avail);
}
static uint32_t stretch_more(nb_ent *e, uint32_t i, uint32_t n, uint64_t need, uint64_t *avail) {
  uint64_t a = *avail;
  uint32_t j = i, v = e[i].vend ? e[i].vend - 1 : i;
  if (v >= n) v = n - 1; /* a cycle's index keeps one lap: never past its entries */
  uint64_t base = e[i].end;
  if (v > i) { /* cached members: mapped and contiguous */
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
    j++;
    if (!e[j].mapped) stream_map(&e[j]);
    a += e[j].len;
    if (j == v + 1) v = j; /* extends the cached part */
  }
  e[i].vend = v + 1;
  *avail = a;
  return j;
}

/* Moves side X forward by `chunk`: within its MDL, or within its stretch (entries X##i..X##j, whose
 * bytes follow each other, so the byte pointer just moves on), then on to the next MDL if used up (there
 * is one, non-empty and ready: bytes are left, and stream_ready checked every entry they lie in). */
#define STREAM_ADVANCE(X, chunk)                                                             \
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
      if (!X##r) { X##i++; STREAM_SKIP0(X); STREAM_ENTER(X); }                               \
    } else {                                                                                 \
      X##i++;                             /* chunk == X##r: this MDL is used up */            \
      STREAM_SKIP0(X);                                                                       \
      STREAM_ENTER(X);                                                                       \
    }                                                                                        \
  } while (0)

/* The stream's precondition, in two steps per side. stream_span: c sits at a known entry of a current
 * index that covers the copy's bytes of this side, [start, start + n) (extended now if need be: once
 * per chain change), or that ends in NULL before: the bytes the chain holds from start (at most n), 0
 * when the side must take copy_walk. A copy then moves m = the smaller span, and when m < n, 2.3's
 * next round only skips to a chain's end (4a, 4b) over indexed live MDLs: nothing can bug check.
 * stream_limit: where in those m bytes the first MDL whose mapping fails starts (m: none); 0 when the
 * first bad entry is something else (a window shorter than its MDL). stream_ready, for the bytes before
 * it: each entry they lie in has all its bytes in its view this call. *one: the side's single buffer when all entries through the last are in
 * one group (a check of that buffer against the largest window covers them all), else 0 and each entry
 * in range was checked (its group once, or its own view). 0: take copy_walk. */
COLD static uint64_t stream_extend(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, uint64_t start, uint64_t n) {
  if (ndis_ix_extend(ctx, st, nb, start + n - 1) != 0) {
    nb->ix_valid = 0;
    return 0;
  }
  uint64_t total = nb->ix_n ? nb->ix[nb->ix_n - 1].end : 0;
  if (total >= start + n) return n;
  return nb->ix_state == IX_END_NULL && total > start ? total - start : 0;
}
static inline uint64_t stream_span(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, const cur *c, uint64_t start,
                                   uint32_t n) {
  if (!c->m || c->i == NO_IX || !ix_ok(ctx, nb)) return 0;
  if (nb->ix[nb->ix_n - 1].end < start + n) return stream_extend(ctx, st, nb, start, n);
  return n;
}
/* The first entry of nb's index from i on whose end is > x. */
static inline uint32_t ix_find(const nb_ent *e, uint32_t i, uint32_t n, uint64_t x) {
  uint32_t lo = i, hi = n - 1;
  if (e[i].end > x) return i; /* usual for short copies: all in the first MDL */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (e[mid].end > x) hi = mid; else lo = mid + 1;
  }
  return lo;
}
static inline int stream_limit(const ndis_nb *nb, const cur *c, uint64_t start, uint64_t m, uint64_t *fail) {
  const nb_ent *e = nb->ix;
  uint32_t i = c->i, base = i ? e[i - 1].nbad : 0;
  *fail = m;
  if (i >= nb->ix_n || e[i].m != c->m) return 0;
  uint32_t last = ix_find(e, i, nb->ix_n, start + m - 1);
  if (e[last].nbad == base) return 1;
  uint32_t lo = i, hi = last; /* the first bad entry */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (e[mid].nbad > base) hi = mid; else lo = mid + 1;
  }
  const ndis_mdl *x = e[lo].m;
  if (!x->mapping_fails || (x->flags & MAPPED_OR_NONPAGED)) return 0; /* a short window: copy_walk */
  *fail = lo == i ? 0 : e[lo - 1].end - start;
  return 1;
}

COLD static int stream_views(nt_ctx *ctx, ndis_state *st, const nb_ent *e, uint32_t i, uint32_t last) {
  for (; i <= last; i++) {
    ndis_mdl *m = e[i].m;
    if (e[i].grp) {
      gcache *g = &st->gc[e[i].grp - 1];
      if (g->call != st->call) resolve_group(ctx, st, g, e[i].grp - 1);
      if (g->len < m->gend) return 0;
    } else {
      resolve(ctx, st, m);
      if (m->rlen < e[i].len) return 0;
    }
  }
  return 1;
}
static inline int stream_ready(nt_ctx *ctx, ndis_state *st, ndis_nb *nb, const cur *c, uint64_t start, uint32_t n,
                               uintptr_t *one, uint32_t *last, int *cont, int *zeros) {
  const nb_ent *e = nb->ix;
  uint32_t i = c->i;
  if (i >= nb->ix_n || e[i].m != c->m) return 0;
  uint32_t lo = ix_find(e, i, nb->ix_n, start + n - 1); /* the last byte's entry (stream_span covered it) */
  *last = lo;
  *cont = e[lo].ncont != e[i].ncont;
  *zeros = e[lo].nzero != (i ? e[i - 1].nzero : 0);
  *one = 0;
  uint32_t ug = e[lo].ug;
  if (ug) {
    gcache *g = &st->gc[ug - 1];
    if (g->call != st->call) resolve_group(ctx, st, g, ug - 1);
    if (g->len >= e[lo].gmax) {
      *one = (uintptr_t)g->p;
      return 1;
    }
  }
  return stream_views(ctx, st, e, i, lo);
}

/* copy_stream when no MDL after the first on either side continues its predecessor's bytes (stream_ready:
 * *cont 0; scattered chains): no stretch, and no run that 2.3's memmoves would let merge but one the
 * pointers happen to make, which moving segment by segment equals. A side is its next byte, the end of
 * its MDL's bytes and its index entry (su / du: its one buffer, or 0 when each entry has its own); a
 * segment costs its memmove and a step of each side whose MDL it used up. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif
/* one (a constant where inlined): both sides have one buffer, the usual case, compiled apart */
static ALWAYS_INLINE uintptr_t scattered_at(const ndis_state *st, const nb_ent *e, uintptr_t u, int one) {
  return one || u ? u + e->goff : stream_view(st, e);
}
static ALWAYS_INLINE void scattered(const ndis_state *st, nb_ent *sx, uint64_t spos, uintptr_t su, nb_ent *dx,
                                    uint64_t dpos, uintptr_t du, uint32_t n, int one) {
  if (!sx->mapped) stream_map(sx);
  if (!dx->mapped) stream_map(dx);
  uintptr_t sp = scattered_at(st, sx, su, one), dp = scattered_at(st, dx, du, one);
  uintptr_t se = sp + sx->len, de = dp + dx->len;
  sp += spos;
  dp += dpos;
  size_t left = n;
  for (;;) {
    size_t chunk = se - sp < de - dp ? se - sp : de - dp;
    if (left < chunk) chunk = left;
    memmove((void *)dp, (const void *)sp, chunk);              /* 4e */
    left -= chunk;
    if (!left) break;
    sp += chunk;
    dp += chunk;
    if (sp == se) {
      sx++;
      if (!sx->mapped) stream_map(sx);
      sp = scattered_at(st, sx, su, one);
      se = sp + sx->len;
    }
    if (dp == de) {
      dx++;
      if (!dx->mapped) stream_map(dx);
      dp = scattered_at(st, dx, du, one);
      de = dp + dx->len;
    }
  }
}

NOINLINE static void copy_scattered(const ndis_state *st, nb_ent *sx, uint64_t spos, uintptr_t su, nb_ent *dx,
                                    uint64_t dpos, uintptr_t du, uint32_t n) {
  if (su && du) scattered(st, sx, spos, su, dx, dpos, du, n, 1);
  else scattered(st, sx, spos, su, dx, dpos, du, n, 0);
}

/* The copy of n bytes from s0 to d0, both ready (stream_ready: su / du their one buffers or 0; zeros:
 * a zero-length MDL lies within the n bytes of either side). */
static void copy_stream(ndis_state *st, ndis_nb *snb, cur s0, uintptr_t su, ndis_nb *dnb, cur d0, uintptr_t du,
                        uint32_t n, int zeros) {
  nb_ent *se = snb->ix, *de = dnb->ix;
  uint32_t si = s0.i, sn = snb->ix_n, di = d0.i, dn = dnb->ix_n;
  uint64_t sr, dr;
  uintptr_t sp, dp;
  STREAM_ENTER(s);
  STREAM_ENTER(d);
  sp += s0.pos;
  sr -= s0.pos;
  dp += d0.pos;
  dr -= d0.pos;
  uint64_t left = n;
  uintptr_t ls = 0, ld = 0; /* the pending run (0: none yet; resolved bytes are never at 0) */
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
      sj = stretch(se, si, sn, left < dr ? left : dr, &sx);
      dj = stretch(de, di, dn, left < sx ? left : sx, &dx);
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
      if (ll) memmove((void *)ld, (const void *)ls, ll);      /* 4e: the previous run */
      ls = sp;
      ld = dp;
      ll = (size_t)chunk;
    }
    left -= chunk;
    if (!left) break;
    STREAM_ADVANCE(s, chunk);
    STREAM_ADVANCE(d, chunk);
  }
  memmove((void *)ld, (const void *)ls, ll);
}
#undef STREAM_ADVANCE
#undef STREAM_SKIP0
#undef STREAM_ENTER

uint32_t nt_ndis_copy(nt_ctx *ctx, nt_id dst, uint32_t dst_off, uint32_t n, nt_id src, uint32_t src_off,
                      uint32_t *bytes_copied) {
  ndis_state *st = state(ctx);
  if (!st) return STATUS_INSUFFICIENT_RESOURCES;
  ndis_nb *d = nb_of(ctx, dst), *s = nb_of(ctx, src);
  if (!d) return fault_av(ctx, dst, 0); /* 6.1: validity before every rule, also when n == 0 */
  if (!s) return fault_av(ctx, src, 0);
  if (!bytes_copied) return fault_av(ctx, 0, 1);
  /* Step 1 (*BytesCopied = 0 first) is folded into the single final write: every bug check is decided
   * before it, so none can leave a 0 behind. */
  if (n == 0) {                                                /* step 2: nothing examined or mapped */
    *bytes_copied = 0;
    return NDIS_STATUS_SUCCESS;
  }
  st->call++;
  cur sc, dc;
  uint64_t st_ = (uint64_t)s->current_mdl_offset + src_off, dt_ = (uint64_t)d->current_mdl_offset + dst_off;
  if (seek_nb_again(ctx, st, s, st_, &sc) == NT_FAULTED) return NT_FAULTED;
  if (seek_nb_again(ctx, st, d, dt_, &dc) == NT_FAULTED) return NT_FAULTED;
  uint64_t m = st->index_off ? 0 : stream_span(ctx, st, s, &sc, st_, n), fs, fd;
  if (m) {
    uint64_t dm = stream_span(ctx, st, d, &dc, dt_, n);
    if (dm < m) m = dm;
  }
  if (m && stream_limit(s, &sc, st_, m, &fs) && stream_limit(d, &dc, dt_, m, &fd)) {
    uint64_t k = m < fs ? m : fs; /* the bytes moved: up to a chain's end or a failing mapping */
    if (fd < k) k = fd;
    uintptr_t su = 0, du = 0;
    uint32_t sl = 0, dl = 0;
    int scont = 0, dcont = 0, sz = 0, dz = 0;
    /* (sl < ix_n again: with s == d, the destination's extension may have closed a cycle's lap) */
    if (!k || (stream_ready(ctx, st, s, &sc, st_, (uint32_t)k, &su, &sl, &scont, &sz) &&
               stream_ready(ctx, st, d, &dc, dt_, (uint32_t)k, &du, &dl, &dcont, &dz) && sl < s->ix_n)) {
      if (!k) {
      } else if (!(scont | dcont | sz | dz)) {
        copy_scattered(st, &s->ix[sc.i], sc.pos, su, &d->ix[dc.i], dc.pos, du, (uint32_t)k);
      } else {
        copy_stream(st, s, sc, su, d, dc, du, (uint32_t)k, sz | dz);
      }
      if (k == m) {
        *bytes_copied = (uint32_t)k;                           /* step 5: n, or where a chain ended */
        return NDIS_STATUS_SUCCESS;
      }
      /* 4d at byte k: the source is mapped first, so when only the destination fails the source's
       * MDL there is mapped (it cannot fail: it lies before the source's first failing MDL) */
      if (fs != k) {
        nb_ent *e = &s->ix[ix_find(s->ix, sc.i, s->ix_n, st_ + k)];
        if (!e->mapped) stream_map(e);
      }
      *bytes_copied = (uint32_t)k;
      return NDIS_STATUS_RESOURCES;
    }
  }
  /* index off (the reference walks only), or something the stream does not take: validate, then move */
  uint32_t copied = n;
  uint32_t r = copy_walk(ctx, st, sc, dc, n, 1, &copied);
  if (r == NT_FAULTED) return r;
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
