/* NDIS family: placeholder until the NDIS issue lands. */
#include "nt_family.h"
void nt_ndis_obj_free(nt_ctx *ctx, uint32_t type, void *obj) { (void)ctx; (void)type; (void)obj; }
void nt_ndis_ctx_free(nt_ctx *ctx) { (void)ctx; }
