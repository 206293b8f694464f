/* NDIS objects: MDLs, pools, NET_BUFFERs, NET_BUFFER_LISTs (SEMANTICS 2.1, 2.5, 6.1, 6.3; API.md 4, 7). */
#include "nt_ndis_int.h"

COLD void ndis_resolve_slow(nt_ctx *ctx, ndis_state *st, ndis_mdl *m) {
  nt_span s;
  ctx->ops.resolve(ctx->ops.ud, m->slot, &s);
  m->rp = s.ptr;
  m->rlen = s.ptr ? s.len : 0;
  m->rcall = st->call;
}

/* A field write of an object reference: NULL, a live object of the right kind, or a stale id (stored:
 * a walk that meets it bug checks, as a dangling pointer would). A live object of another kind is a
 * wrong-kind argument: 0x1E. */
static uint32_t check_ref(nt_ctx *ctx, nt_id id, uint32_t type) {
  uint32_t t;
  if (id && nt_handle_get(ctx, id, &t) && t != type) return fault_av(ctx, id, 0);
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
  bump(ctx); /* a mapping that failed cannot fail now: index entries (nbad) are rebuilt */
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
  bump(ctx); /* index entries record what stops the copy's stream (nb_ent.nbad) */
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
  if (ndis_derive(ctx, st, mdl_chain, data_offset, &cm, &cmo) == NT_FAULTED) return NT_FAULTED; /* 6.3 */
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
  /* No epoch bump: a NET_BUFFER's index is keyed on its CurrentMdl (ndis_seek_nb compares ix_start) and
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
