/* LSA family: placeholder until the LSA issue lands. */
#include "nt_family.h"
void nt_lsa_obj_free(nt_ctx *ctx, uint32_t type, void *obj) { (void)ctx; (void)type; (void)obj; }
void nt_lsa_ctx_free(nt_ctx *ctx) { (void)ctx; }
