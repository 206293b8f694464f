/* Hooks each family implements for the shared context (nt_handle.c calls them). */
#ifndef NT_FAMILY_H
#define NT_FAMILY_H
#include "nt_core.h"

/* Frees an object's storage and releases its views; called on delete and on context teardown.
 * Must not touch other handles (teardown order is arbitrary). */
void nt_wdf_obj_free(nt_ctx *ctx, uint32_t type, void *obj);
void nt_ndis_obj_free(nt_ctx *ctx, uint32_t type, void *obj);
void nt_lsa_obj_free(nt_ctx *ctx, uint32_t type, void *obj);
/* Family-wide state (ctx->ndis, ctx->lsa): created lazily by the family, freed here. */
void nt_ndis_ctx_free(nt_ctx *ctx);
void nt_lsa_ctx_free(nt_ctx *ctx);

#endif
