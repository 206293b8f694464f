/* NdisGetDataBuffer with a cursor at or past CurrentMdl (SEMANTICS 7.3, API.md 7 v1.3): the offset carries
 * into later MDLs as the copy's seek does (2.3 step 3); contiguity, alignment, mapping and gone bytes are
 * judged in the MDL the cursor lands in. Kept apart from test_ndis.c: it pins the contract, whatever the
 * NDIS files look like inside. Expected values come from the rule, on MDLs over guarded bytes. */
#include "t.h"

static nt_ctx *ctx;
static nt_id pool;
static uint8_t arena[4096];
static size_t used;

/* n bytes of arena between 8 guard bytes (0x5A) on each side. */
static uint8_t *region(size_t n) {
  memset(arena + used, 0x5A, 8);
  uint8_t *p = arena + used + 8;
  memset(p + n, 0x5A, 8);
  used += n + 16;
  return p;
}
static int guards_ok(void) {
  for (int i = 0; i < TV_MAX; i++) {
    if (!tv[i].used || tv[i].ptr < arena || tv[i].ptr >= arena + sizeof arena) continue;
    for (int k = 1; k <= 8; k++) if (tv[i].ptr[-k] != 0x5A || tv[i].ptr[tv[i].len + k - 1] != 0x5A) return 0;
  }
  return 1;
}
/* An MDL over n fresh guarded bytes holding `bytes`; *slot = its view (for detaching). The view's
 * byteOffset (what alignment is judged on) is its place in arena unless set_offset gives one. */
static int64_t set_offset = -1;
static nt_id mdl(const uint8_t *bytes, size_t n, uint32_t *slot) {
  uint8_t *p = region(n);
  memcpy(p, bytes, n);
  uint32_t s = tv_register(p, n);
  if (slot) *slot = s;
  nt_id id = 0;
  uint64_t off = set_offset >= 0 ? (uint64_t)set_offset : (uint64_t)(p - arena);
  CHECK_EQ(nt_ndis_mdl_alloc(ctx, s, (uint32_t)n, off, 0, &id), STATUS_SUCCESS);
  return id;
}
static nt_id chain3(nt_id a, nt_id b, nt_id c) {
  CHECK_EQ(nt_ndis_mdl_set_next(ctx, a, b), STATUS_SUCCESS);
  if (c) CHECK_EQ(nt_ndis_mdl_set_next(ctx, b, c), STATUS_SUCCESS);
  return a;
}
static nt_id nb(nt_id chain, uint32_t len, nt_id current, uint32_t offset) {
  nt_id id = 0;
  CHECK_EQ(nt_ndis_nb_alloc(ctx, pool, chain, 0, len, &id), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_nb_set(ctx, id, NT_NB_CURRENT_MDL, current), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_nb_set(ctx, id, NT_NB_CURRENT_MDL_OFFSET, offset), STATUS_SUCCESS);
  return id;
}
static uint32_t flags(nt_id m) { nt_mdl_info i; memset(&i, 0, sizeof i); nt_ndis_mdl_get(ctx, m, &i); return i.flags; }
static uint32_t slot_of(nt_id m) { nt_mdl_info i; memset(&i, 0, sizeof i); nt_ndis_mdl_get(ctx, m, &i); return i.slot; }
static void reset(void) {
  if (ctx) nt_ctx_free(ctx);
  ctx = t_ctx();
  used = 0;
  memset(arena, 0xEE, sizeof arena);
  CHECK_EQ(nt_ndis_pool_alloc(ctx, 0, &pool), STATUS_SUCCESS);
}

static const uint8_t A[] = {0x10, 0x11, 0x12, 0x13}, B[] = {0x14, 0x15, 0x16, 0x17};
/* A fresh context with S8 = [10 11 12 13][14 15 16 17] (DataLength 8), CurrentMdl = the first MDL at
 * `offset`; *b_slot (if asked) = the second MDL's view. */
static nt_id S8_at(uint32_t offset, nt_id *a, nt_id *b, uint32_t *b_slot) {
  reset();
  *a = mdl(A, 4, NULL);
  *b = mdl(B, 4, b_slot);
  return nb(chain3(*a, *b, 0), 8, *a, offset);
}

static void S7_3_offset_at_byte_count_lands_in_the_next_mdl(void) {
  nt_id a, b, n = S8_at(4, &a, &b, NULL);
  nt_ndis_gdb g;
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 4, NULL, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);              /* contiguous in b */
  CHECK_EQ(g.slot, slot_of(b));
  CHECK_EQ(g.offset, 0);
  CHECK_EQ(flags(b), MDL_MAPPED_TO_SYSTEM_VA);
  CHECK_EQ(flags(a), 0);            /* passed over, never mapped */
  CHECK(guards_ok());
}

static void S7_3_offset_past_byte_count_carries_the_rest(void) {
  nt_id a, b, n = S8_at(5, &a, &b, NULL);
  nt_ndis_gdb g;
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 3, NULL, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
  CHECK_EQ(g.slot, slot_of(b));
  CHECK_EQ(g.offset, 1);
  uint8_t st[8];
  memset(st, 0xEE, sizeof st);
  nt_span sp = {st, 8};
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 4, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);              /* 3 bytes left after the carried cursor: NULL */
  for (int i = 0; i < 8; i++) CHECK_EQ(st[i], 0xEE);
  CHECK_EQ(nt_ndis_nb_set(ctx, n, NT_NB_CURRENT_MDL_OFFSET, 8), STATUS_SUCCESS); /* past the whole chain */
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 1, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);
  CHECK_EQ(st[0], 0xEE);
  CHECK(guards_ok());
}

static void S7_3_zero_length_current_mdl(void) {
  reset();
  static const uint8_t none[1] = {0};
  nt_id z = mdl(none, 0, NULL), a = mdl(A, 4, NULL), b = mdl(B, 4, NULL);
  nt_ndis_mdl_set_mapping_fails(ctx, z, 1); /* it would give NULL if it were ever mapped */
  nt_id n = nb(chain3(z, a, b), 8, z, 0);
  nt_ndis_gdb g;
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 4, NULL, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
  CHECK_EQ(g.slot, slot_of(a));
  CHECK_EQ(g.offset, 0);
  CHECK_EQ(nt_ndis_nb_set(ctx, n, NT_NB_CURRENT_MDL_OFFSET, 3), STATUS_SUCCESS);
  uint8_t st[4];
  memset(st, 0xEE, sizeof st);
  nt_span sp = {st, 4};
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 2);              /* 13 | 14: copied */
  CHECK_EQ(st[0], 0x13);
  CHECK_EQ(st[1], 0x14);
  CHECK_EQ(st[2], 0xEE);
  CHECK_EQ(flags(z), 0);
  CHECK(guards_ok());
}

static void S7_3_alignment_and_mapping_of_the_landing_mdl(void) {
  reset();
  set_offset = 0;                   /* a's bytes at byteOffset 0..2: CurrentMdl + 3 would be misaligned */
  nt_id a = mdl(A, 3, NULL);
  set_offset = 16;                  /* b's at 16..19 */
  nt_id b = mdl(B, 4, NULL);
  set_offset = -1;
  nt_id n = nb(chain3(a, b, 0), 7, a, 3);
  nt_ndis_gdb g;
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 16, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);              /* 16 % 16 == 0 in b */
  CHECK_EQ(g.slot, slot_of(b));
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 16, 3, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);              /* judged in CurrentMdl it would have matched (0 + 3) */
  CHECK_EQ(nt_ndis_nb_set(ctx, n, NT_NB_CURRENT_MDL_OFFSET, 4), STATUS_SUCCESS); /* b + 1: byteOffset 17 */
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 16, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 16, 1, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
  CHECK_EQ(g.offset, 1);
  /* the landing MDL's mapping failure decides; CurrentMdl's does not */
  for (int landing = 0; landing < 2; landing++) {
    n = S8_at(4, &a, &b, NULL);
    nt_ndis_mdl_set_mapping_fails(ctx, landing ? b : a, 1);
    CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 1, 0, &g), STATUS_SUCCESS);
    CHECK_EQ(g.kind, landing ? 0 : 1);
  }
  /* gone bytes of the landing MDL: 0x50, nothing mapped */
  uint32_t bs;
  n = S8_at(5, &a, &b, &bs);
  tv_detach(bs);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, n, 2, NULL, 1, 0, &g), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK_EQ(flags(a), 0);
  CHECK_EQ(flags(b), 0);
}

int main(void) {
  (void)t_rand;
  (void)tv_resize;
  RUN(S7_3_offset_at_byte_count_lands_in_the_next_mdl);
  RUN(S7_3_offset_past_byte_count_carries_the_rest);
  RUN(S7_3_zero_length_current_mdl);
  RUN(S7_3_alignment_and_mapping_of_the_landing_mdl);
  nt_ctx_free(ctx);
  return T_DONE("core/ndis_gdb");
}
