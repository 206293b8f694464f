/* NdisAdvanceNetBufferDataStart / NdisRetreatNetBufferDataStart (SEMANTICS 2.5, 6.4, 6.5; API.md 7). */
#include "nt_ndis_int.h"

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
  if (ndis_derive(ctx, st, head, (uint32_t)new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
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
  if (ndis_derive(ctx, st, m->next, new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
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
  if (ndis_derive(ctx, st, nb->mdl_chain, new_off, &cm, &cmo) == NT_FAULTED) return NT_FAULTED;
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
