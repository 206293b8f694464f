/* CopyBatch runner: one loop over queued ops, each handed to its routine's single-call entry. */
#include "nt_batch.h"
#include "nt_lsa.h"
#include "nt_ndis.h"

/* A word as the single call's binding converts its argument: a double (JS number, already checked by
 * lib/) truncated to an integer; out-of-range doubles (never written by lib/) become 0, not UB. */
static inline uint64_t num(nt_batch_word w) {
  /* lib/ writes doubles below 2^53 only (bigger size_t values go raw): one signed conversion */
  return (w.d >= 0.0 && w.d < 9007199254740992.0) ? (uint64_t)(int64_t)w.d : 0;
}
static inline uint64_t word(const nt_batch_op *op, uint32_t kf, int k) {
  uint32_t raw = k == 2 ? NT_BATCH_RAW2 : NT_BATCH_RAW3;
  return (kf & raw) ? op->w[k].u : num(op->w[k]);
}

/* The op's caller view: *out NULL for a NULL pointer; 0 when the index names no slot. */
static inline int view_of(nt_ctx *ctx, nt_batch_word w, nt_batch_views *v, const nt_span **out) {
  if (!(w.d >= 0.0)) { /* negative (lib/ writes -1) or NaN: NULL */
    *out = NULL;
    return 1;
  }
  if (w.d >= (double)v->n) return 0;
  uint32_t i = (uint32_t)w.d;
  if (v->seen[i] != v->serial) {
    if (v->slots[i] == NT_BATCH_NO_SLOT) return 0;
    ctx->ops.resolve(ctx->ops.ud, v->slots[i], &v->span[i]);
    v->seen[i] = v->serial;
  }
  *out = &v->span[i];
  return 1;
}

uint32_t nt_batch_run(nt_ctx *ctx, const nt_batch_op *ops, uint32_t count, nt_batch_views *views,
                      uint32_t *status, uint32_t *bytes_copied, uint32_t *ran) {
  views->serial++; /* this run's view checks */
  for (uint32_t i = 0; i < count; i++) {
    const nt_batch_op *op = &ops[i];
    uint32_t kf = (uint32_t)num(op->w[0]);
    nt_id id = num(op->w[1]);
    uint32_t st, copied = 0;
    const nt_span *view;
    switch (kf & NT_BATCH_KIND_MASK) {
      case NT_BATCH_WDF_FROM:
      case NT_BATCH_WDF_TO:
        if (!view_of(ctx, op->w[4], views, &view)) goto bad;
        st = (kf & NT_BATCH_KIND_MASK) == NT_BATCH_WDF_FROM
                 ? nt_wdf_memory_copy_from_buffer(ctx, id, word(op, kf, 2), view, word(op, kf, 3))
                 : nt_wdf_memory_copy_to_buffer(ctx, id, word(op, kf, 2), view, word(op, kf, 3));
        break;
      case NT_BATCH_NDIS:
        st = nt_ndis_copy(ctx, id, (uint32_t)num(op->w[2]), (uint32_t)num(op->w[3]), num(op->w[4]),
                          (uint32_t)num(op->w[5]), &copied);
        break;
      case NT_BATCH_LSA_FROM:
      case NT_BATCH_LSA_TO:
        if (!view_of(ctx, op->w[4], views, &view)) goto bad;
        st = (kf & NT_BATCH_KIND_MASK) == NT_BATCH_LSA_FROM
                 ? nt_lsa_copy_from_client(ctx, id, (uint32_t)word(op, kf, 2), view, word(op, kf, 3))
                 : nt_lsa_copy_to_client(ctx, id, (uint32_t)word(op, kf, 2), word(op, kf, 3), view);
        break;
      default:
        goto bad;
    }
    if (st == NT_FAULTED) {
      *ran = i;
      return NT_FAULTED;
    }
    status[i] = st;
    bytes_copied[i] = copied;
    continue;
  bad:
    *ran = i;
    return NT_BATCH_BAD;
  }
  *ran = count;
  return STATUS_SUCCESS;
}
