/* Handle table: ids with a generation, so NULL, deleted, forged and wrong-type handles are
 * detected deterministically (W1/W2, T1, API.md section 7) and never dereferenced. */
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_family.h"

nt_ctx *nt_ctx_new(const nt_view_ops *ops) {
  nt_ctx *ctx = (nt_ctx *)calloc(1, sizeof *ctx);
  if (ctx) ctx->ops = *ops;
  return ctx;
}

static void obj_free(nt_ctx *ctx, uint32_t type, void *obj) {
  switch (type) {
    case NT_T_WDF_MEMORY: case NT_T_WDF_MEMORY_PRE: case NT_T_WDF_MEMORY_REQ: case NT_T_WDF_REQUEST:
      nt_wdf_obj_free(ctx, type, obj); break;
    case NT_T_MDL: case NT_T_NET_BUFFER: case NT_T_NET_BUFFER_LIST: case NT_T_NB_POOL: case NT_T_NBL_POOL:
      nt_ndis_obj_free(ctx, type, obj); break;
    case NT_T_LSA_REQUEST:
      nt_lsa_obj_free(ctx, type, obj); break;
    default: break;
  }
}

void nt_ctx_free(nt_ctx *ctx) {
  if (!ctx) return;
  for (uint32_t i = 0; i < ctx->used; i++) {
    nt_entry *e = &ctx->tab[i];
    if (e->type != NT_T_FREE) obj_free(ctx, e->type, e->obj);
    e->type = NT_T_FREE;
  }
  nt_ndis_ctx_free(ctx);
  nt_lsa_ctx_free(ctx);
  free(ctx->tab);
  free(ctx);
}

static int nt_handle_new(nt_ctx *ctx, uint32_t type, void *obj, nt_id *out) {
  uint32_t idx;
  if (ctx->free_head) {
    idx = ctx->free_head - 1;
    ctx->free_head = ctx->tab[idx].next_free;
    if (!ctx->free_head) ctx->free_tail = 0;
  } else {
    if (ctx->used == ctx->cap) {
      uint32_t ncap = ctx->cap ? ctx->cap * 2 : 64;
      if (ncap > NT_ID_INDEX_MASK) ncap = NT_ID_INDEX_MASK;
      if (ncap <= ctx->cap) return -1; /* 16M live objects */
      nt_entry *t = (nt_entry *)realloc(ctx->tab, (size_t)ncap * sizeof *t);
      if (!t) return -1;
      memset(t + ctx->cap, 0, (size_t)(ncap - ctx->cap) * sizeof *t);
      ctx->tab = t;
      ctx->cap = ncap;
    }
    idx = ctx->used++;
  }
  nt_entry *e = &ctx->tab[idx];
  if (e->gen == NT_ID_MAX_GEN) return -1; /* retired for good: never reissue an id */
  e->gen++;
  e->type = type;
  e->obj = obj;
  e->next_free = 0;
  ctx->live++;
  *out = (e->gen << NT_ID_INDEX_BITS) | (uint64_t)(idx + 1);
  return 0;
}

static nt_entry *entry_of(const nt_ctx *ctx, nt_id id) {
  uint64_t idx1 = id & NT_ID_INDEX_MASK;
  if (idx1 == 0 || idx1 > ctx->used) return NULL;
  nt_entry *e = &ctx->tab[idx1 - 1];
  if (e->type == NT_T_FREE || e->gen != (id >> NT_ID_INDEX_BITS)) return NULL;
  return e;
}

void *nt_handle_get(const nt_ctx *ctx, nt_id id, uint32_t *type_out) {
  nt_entry *e = entry_of(ctx, id);
  if (!e) { if (type_out) *type_out = NT_T_FREE; return NULL; }
  if (type_out) *type_out = e->type;
  return e->obj;
}

void *nt_obj_new(nt_ctx *ctx, uint32_t type, size_t size, nt_id *id) {
  void *obj = calloc(1, size);
  if (obj && nt_handle_new(ctx, type, obj, id) != 0) {
    free(obj);
    obj = NULL;
  }
  return obj;
}

void nt_handle_free(nt_ctx *ctx, nt_id id) {
  nt_entry *e = entry_of(ctx, id);
  if (!e) return;
  uint32_t type = e->type;
  void *obj = e->obj;
  uint32_t idx1 = (uint32_t)(id & NT_ID_INDEX_MASK);
  e->type = NT_T_FREE;
  e->obj = NULL;
  e->next_free = 0;
  if (ctx->free_tail) ctx->tab[ctx->free_tail - 1].next_free = idx1; else ctx->free_head = idx1;
  ctx->free_tail = idx1;
  ctx->live--;
  obj_free(ctx, type, obj);
}

uint32_t nt_fault_set(nt_ctx *ctx, uint32_t code, uint64_t p1, uint64_t p2, uint64_t p3, uint64_t p4) {
  ctx->fault.code = code;
  ctx->fault.p[0] = p1;
  ctx->fault.p[1] = p2;
  ctx->fault.p[2] = p3;
  ctx->fault.p[3] = p4;
  return NT_FAULTED;
}
