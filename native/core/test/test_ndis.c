/* NDIS rules of SEMANTICS.md section 2 (2.3 steps, 2.4, 2.5, 2.6 vectors) and section 6 (1, 3-7). */
#include "t.h"

static nt_ctx *ctx;
static nt_id nbpool, nblpool;

/* Backing memory: every MDL gets its own region inside arena, with guard bytes 0x5A around it. */
static uint8_t arena[1 << 16];
static size_t arena_used;
static uint32_t last_slot;

static uint8_t *region(size_t n) {
  arena_used += 8;
  uint8_t *p = arena + arena_used;
  memset(p - 8, 0x5A, 8);
  arena_used += n;
  memset(arena + arena_used, 0x5A, 8);
  return p;
}
/* An MDL over n fresh bytes with the given contents (NULL = zeros). */
static nt_id mdl(const uint8_t *bytes, size_t n) {
  uint8_t *p = region(n);
  if (bytes) memcpy(p, bytes, n); else memset(p, 0, n);
  nt_id id = 0;
  last_slot = tv_register(p, n);
  CHECK_EQ(nt_ndis_mdl_alloc(ctx, last_slot, (uint32_t)n, 0, 0, &id), STATUS_SUCCESS);
  return id;
}
static void link2(nt_id a, nt_id b) { CHECK_EQ(nt_ndis_mdl_set_next(ctx, a, b), STATUS_SUCCESS); }
static nt_id nb_over(nt_id chain, uint32_t off, uint32_t len) {
  nt_id nb = 0;
  CHECK_EQ(nt_ndis_nb_alloc(ctx, nbpool, chain, off, len, &nb), STATUS_SUCCESS);
  return nb;
}
static uint64_t nbf(nt_id nb, int f) { uint64_t v = 0; CHECK_EQ(nt_ndis_nb_get(ctx, nb, f, &v), STATUS_SUCCESS); return v; }
static nt_mdl_info info(nt_id m) { nt_mdl_info i; memset(&i, 0, sizeof i); nt_ndis_mdl_get(ctx, m, &i); return i; }
static uint8_t *bytes_of(nt_id m) { nt_mdl_info i = info(m); return tv[i.slot].ptr; }

static const uint8_t B10[] = {0x10, 0x11, 0x12, 0x13}, B14[] = {0x14, 0x15, 0x16, 0x17};
/* S8 = [10 11 12 13][14 15 16 17], DataLength 8 */
static nt_id s1, s2, S8;
static void mk_S8(void) { s1 = mdl(B10, 4); s2 = mdl(B14, 4); link2(s1, s2); S8 = nb_over(s1, 0, 8); }
static nt_id d1, D8;
static void mk_D8(void) { d1 = mdl(NULL, 8); D8 = nb_over(d1, 0, 8); }
static int guards_ok(void) {
  /* every guard byte written by region() is still 0x5A: scan the gaps between regions is simpler via
   * a recorded list; here: the 8 bytes before and after each MDL registered in tv */
  for (int i = 0; i < TV_MAX; i++) {
    if (!tv[i].used || tv[i].owned) continue;
    if (tv[i].ptr < arena || tv[i].ptr >= arena + sizeof arena) continue;
    for (int k = 1; k <= 8; k++) if (tv[i].ptr[-k] != 0x5A) return 0;
  }
  return 1;
}
static void reset(void) {
  if (ctx) nt_ctx_free(ctx);
  ctx = t_ctx();
  arena_used = 0;
  memset(arena, 0xEE, sizeof arena);
  CHECK_EQ(nt_ndis_pool_alloc(ctx, 0, &nbpool), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_pool_alloc(ctx, 1, &nblpool), STATUS_SUCCESS);
}
#define EXPECT_BYTES(p, ...) do { const uint8_t _w[] = {__VA_ARGS__}; CHECK(memcmp((p), _w, sizeof _w) == 0); } while (0)

static uint32_t copy(nt_id d, uint32_t doff, uint32_t n, nt_id s, uint32_t soff, uint32_t *bc) {
  return nt_ndis_copy(ctx, d, doff, n, s, soff, bc);
}

/* ---- 2.6 vectors ---- */
static void v1_full_copy(void) {
  reset(); mk_S8(); mk_D8();
  uint32_t bc = 99;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 8);
  EXPECT_BYTES(bytes_of(d1), 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17);
  CHECK(guards_ok());
}
static void v3_source_exhausted(void) {
  reset(); mk_S8(); mk_D8();
  uint32_t bc = 99;
  CHECK_EQ(copy(D8, 0, 8, S8, 2, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 6);
  EXPECT_BYTES(bytes_of(d1), 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0, 0);
}
static void v7_destination_exhausted(void) {
  reset(); mk_S8(); mk_D8();
  uint32_t bc = 99;
  CHECK_EQ(copy(D8, 6, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 2);
  EXPECT_BYTES(bytes_of(d1), 0, 0, 0, 0, 0, 0, 0x10, 0x11);
  CHECK(guards_ok());
}
static void v9_zero_length_dst_mdl(void) {
  reset(); mk_S8();
  nt_id a = mdl(NULL, 2), z = mdl(NULL, 0), b = mdl(NULL, 6);
  link2(a, z); link2(z, b);
  nt_id d = nb_over(a, 0, 8);
  uint32_t bc = 0;
  CHECK_EQ(copy(d, 0, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 8);
  EXPECT_BYTES(bytes_of(a), 0x10, 0x11);
  EXPECT_BYTES(bytes_of(b), 0x12, 0x13, 0x14, 0x15, 0x16, 0x17);
  CHECK_EQ(info(z).flags, 0); /* never mapped */
  CHECK(guards_ok());
}
static void v12_datalength_not_a_bound(void) {
  reset(); mk_S8(); mk_D8();
  CHECK_EQ(nt_ndis_nb_set(ctx, S8, NT_NB_DATA_LENGTH, 2), STATUS_SUCCESS);
  uint32_t bc = 0;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 8);
}
static void v15_mapping_failure_partial(void) {
  reset(); mk_S8(); mk_D8();
  CHECK_EQ(nt_ndis_mdl_set_mapping_fails(ctx, s2, 1), STATUS_SUCCESS);
  uint32_t bc = 0;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NDIS_STATUS_RESOURCES);
  CHECK_EQ(bc, 4);
  EXPECT_BYTES(bytes_of(d1), 0x10, 0x11, 0x12, 0x13, 0, 0, 0, 0);
  CHECK_EQ(info(s1).flags, MDL_MAPPED_TO_SYSTEM_VA);
  CHECK_EQ(info(s2).flags, 0);
}
static void v19_zero_length_src_not_mapped(void) {
  reset(); mk_D8();
  const uint8_t x[] = {0x10, 0x11}, y[] = {0x12, 0x13};
  nt_id a = mdl(x, 2), z = mdl(NULL, 0), b = mdl(y, 2);
  link2(a, z); link2(z, b);
  CHECK_EQ(nt_ndis_mdl_set_mapping_fails(ctx, z, 1), STATUS_SUCCESS);
  nt_id s = nb_over(a, 0, 4);
  uint32_t bc = 0;
  CHECK_EQ(copy(D8, 0, 4, s, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 4);
  EXPECT_BYTES(bytes_of(d1), 0x10, 0x11, 0x12, 0x13, 0, 0, 0, 0);
}
static void v25_same_nb_one_mdl(void) {
  reset();
  const uint8_t x[] = {0, 1, 2, 3, 4, 5, 6, 7};
  nt_id m = mdl(x, 8), nb = nb_over(m, 0, 8);
  uint32_t bc = 0;
  CHECK_EQ(copy(nb, 2, 6, nb, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 6);
  EXPECT_BYTES(bytes_of(m), 0, 1, 0, 1, 2, 3, 4, 5);
}
static void v26_same_nb_sequential_segments(void) {
  reset();
  const uint8_t x[] = {0, 1, 2, 3}, y[] = {4, 5, 6, 7};
  nt_id a = mdl(x, 4), b = mdl(y, 4);
  link2(a, b);
  nt_id nb = nb_over(a, 0, 8);
  uint32_t bc = 0;
  CHECK_EQ(copy(nb, 2, 6, nb, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 6);
  EXPECT_BYTES(bytes_of(a), 0, 1, 0, 1);
  EXPECT_BYTES(bytes_of(b), 0, 1, 0, 1);
}

/* ---- 2.3 steps ---- */
static void s2_3_step2_zero_bytes_maps_nothing(void) {
  reset(); mk_S8(); mk_D8();
  nt_ndis_mdl_set_mapping_fails(ctx, s1, 1);
  uint32_t bc = 77;
  CHECK_EQ(copy(D8, 0, 0, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 0);
  CHECK_EQ(info(s1).flags, 0);
  CHECK_EQ(info(d1).flags, 0);
}
static void s2_3_step3_64bit_offsets_and_carry(void) {
  reset(); mk_S8(); mk_D8();
  /* CurrentMdlOffset 6 > len(s1) = 4: carried into s2 */
  CHECK_EQ(nt_ndis_nb_set(ctx, S8, NT_NB_CURRENT_MDL_OFFSET, 6), STATUS_SUCCESS);
  uint32_t bc = 0;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 2);
  EXPECT_BYTES(bytes_of(d1), 0x16, 0x17, 0, 0);
  /* 0xFFFFFFFF + 0xFFFFFFFF does not wrap to a small offset */
  CHECK_EQ(nt_ndis_nb_set(ctx, S8, NT_NB_CURRENT_MDL_OFFSET, 0xFFFFFFFFu), STATUS_SUCCESS);
  bc = 5;
  CHECK_EQ(copy(D8, 0, 8, S8, 2, &bc), NDIS_STATUS_SUCCESS); /* 32-bit wrap would give offset 1 */
  CHECK_EQ(bc, 0);
}
static void s2_3_step4b_null_current_mdl(void) {
  reset(); mk_D8();
  nt_id s = nb_over(0, 0, 0);
  uint32_t bc = 9;
  CHECK_EQ(copy(D8, 0, 8, s, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 0);
}
static void s2_3_step4d_destination_mapping_fails(void) {
  reset(); mk_S8();
  nt_id a = mdl(NULL, 3), b = mdl(NULL, 5);
  link2(a, b);
  nt_id d = nb_over(a, 0, 8);
  nt_ndis_mdl_set_mapping_fails(ctx, b, 1);
  uint32_t bc = 0;
  CHECK_EQ(copy(d, 0, 8, S8, 0, &bc), NDIS_STATUS_RESOURCES);
  CHECK_EQ(bc, 3);
  EXPECT_BYTES(bytes_of(a), 0x10, 0x11, 0x12);
  /* the source MDL was mapped for the failing segment before the destination failed */
  CHECK_EQ(info(s1).flags, MDL_MAPPED_TO_SYSTEM_VA);
  /* a nonpaged MDL never fails */
  nt_ndis_mdl_build_nonpaged(ctx, b);
  CHECK_EQ(copy(d, 0, 8, S8, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 8);
}
static void s2_3_step4d_source_mapped_in_the_failing_segment_stays_mapped(void) {
  reset(); mk_S8();
  nt_id a = mdl(NULL, 4), b = mdl(NULL, 4);
  link2(a, b);
  nt_id d = nb_over(a, 0, 8);
  nt_ndis_mdl_set_mapping_fails(ctx, b, 1);
  uint32_t bc = 0;
  CHECK_EQ(copy(d, 0, 8, S8, 0, &bc), NDIS_STATUS_RESOURCES);
  CHECK_EQ(bc, 4);
  /* segment 2 maps s2 (source first), then b fails: s2 keeps MDL_MAPPED_TO_SYSTEM_VA, b does not */
  CHECK_EQ(info(s2).flags, MDL_MAPPED_TO_SYSTEM_VA);
  CHECK_EQ(info(b).flags, 0);
  EXPECT_BYTES(bytes_of(b), 0, 0, 0, 0);
}
static void s2_4_fields_unchanged(void) {
  reset(); mk_S8(); mk_D8();
  uint64_t before[2][NT_NB_FIELD_COUNT], after[2][NT_NB_FIELD_COUNT];
  for (int f = 0; f < NT_NB_FIELD_COUNT; f++) { before[0][f] = nbf(S8, f); before[1][f] = nbf(D8, f); }
  uint32_t bc;
  copy(D8, 1, 5, S8, 1, &bc);
  for (int f = 0; f < NT_NB_FIELD_COUNT; f++) { after[0][f] = nbf(S8, f); after[1][f] = nbf(D8, f); }
  CHECK(memcmp(before, after, sizeof before) == 0);
}

/* ---- 6.1 validity ---- */
static void s6_1_null_freed_wrong_kind(void) {
  reset(); mk_S8(); mk_D8();
  uint32_t bc = 42;
  CHECK_EQ(copy(0, 0, 0, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, KMODE_EXCEPTION_NOT_HANDLED);
  CHECK_EQ(ctx->fault.p[0], 0xC0000005u);
  CHECK_EQ(copy(D8, 0, 8, s1, 0, &bc), NT_FAULTED); /* an MDL where a NET_BUFFER is required */
  CHECK_EQ(ctx->fault.p[3], s1);
  CHECK_EQ(copy(D8, 0, 8, S8, 0, NULL), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[2], 1);
  CHECK_EQ(bc, 42);
  nt_id x = nb_over(0, 0, 0);
  CHECK_EQ(nt_ndis_nb_free(ctx, x), STATUS_SUCCESS);
  CHECK_EQ(copy(x, 0, 0, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(nt_ndis_nb_free(ctx, x), NT_FAULTED); /* double free */
  CHECK_EQ(bc, 42);
  EXPECT_BYTES(bytes_of(d1), 0, 0, 0, 0, 0, 0, 0, 0);
}
static void s6_1_freed_mdl_in_chain(void) {
  reset(); mk_S8(); mk_D8();
  CHECK_EQ(nt_ndis_mdl_free(ctx, s2), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_mdl_free(ctx, s2), NT_FAULTED); /* double free */
  CHECK_EQ(ctx->fault.code, KMODE_EXCEPTION_NOT_HANDLED);
  uint32_t bc = 42;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, KMODE_EXCEPTION_NOT_HANDLED);
  CHECK_EQ(ctx->fault.p[3], s2);
  CHECK_EQ(bc, 42);
  EXPECT_BYTES(bytes_of(d1), 0, 0, 0, 0, 0, 0, 0, 0); /* decided before writing */
  CHECK_EQ(info(s1).flags, 0);
  CHECK_EQ(copy(D8, 0, 4, S8, 0, &bc), NDIS_STATUS_SUCCESS); /* the walk ends before it */
  CHECK_EQ(bc, 4);
}
static void pools_wrong_kind(void) {
  reset();
  nt_id nb = 0, nbl = 0;
  CHECK_EQ(nt_ndis_nb_alloc(ctx, nblpool, 0, 0, 0, &nb), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, KMODE_EXCEPTION_NOT_HANDLED);
  CHECK_EQ(nt_ndis_nbl_alloc(ctx, nbpool, 0, 0, 0, 0, &nbl), NT_FAULTED);
  CHECK_EQ(nt_ndis_pool_free(ctx, 0, nblpool), NT_FAULTED);
  CHECK_EQ(nt_ndis_pool_free(ctx, 1, nblpool), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_pool_free(ctx, 1, nblpool), NT_FAULTED);
}
static void nbl_frees_its_nb(void) {
  reset();
  nt_id m = mdl(NULL, 4), nbl = 0, nb = 0;
  CHECK_EQ(nt_ndis_nbl_alloc(ctx, nblpool, 1, m, 1, 3, &nbl), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_nbl_get(ctx, nbl, NT_NBL_FIRST_NB, &nb), STATUS_SUCCESS);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 1);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), m);
  uint32_t live = ctx->live;
  CHECK_EQ(nt_ndis_nbl_free(ctx, nbl), STATUS_SUCCESS);
  CHECK_EQ(ctx->live, live - 2);
  uint64_t v;
  CHECK_EQ(nt_ndis_nb_get(ctx, nb, NT_NB_DATA_LENGTH, &v), NT_FAULTED);
}

/* ---- 6.3 cursor derivation ---- */
static void s6_3_allocate_derives_cursor(void) {
  reset();
  nt_id z = mdl(NULL, 0), a = mdl(NULL, 4), b = mdl(NULL, 4);
  link2(z, a); link2(a, b);
  nt_id nb = nb_over(z, 0, 8);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), a); /* leading zero-length MDL skipped */
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 0);
  nb = nb_over(z, 4, 4);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), b);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 0);
  nb = nb_over(z, 11, 0);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), 0);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 3);
}

/* ---- 6.6 cycles ---- */
static void s6_6_zero_length_cycle_watchdog(void) {
  reset(); mk_D8();
  const uint8_t x[] = {1, 2};
  nt_id a = mdl(x, 2), z1 = mdl(NULL, 0), z2 = mdl(NULL, 0);
  link2(a, z1); link2(z1, z2); link2(z2, z1);
  nt_id s = nb_over(a, 0, 2);
  uint32_t bc = 42;
  CHECK_EQ(copy(D8, 0, 8, s, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, DPC_WATCHDOG_VIOLATION);
  CHECK_EQ(bc, 42);
  EXPECT_BYTES(bytes_of(d1), 0, 0, 0, 0); /* nothing written, though 2 bytes came first */
  CHECK_EQ(info(a).flags, 0);
  CHECK_EQ(copy(D8, 0, 2, s, 0, &bc), NDIS_STATUS_SUCCESS); /* BytesToCopy reached first */
  CHECK_EQ(bc, 2);
  nt_id nb;
  CHECK_EQ(nt_ndis_nb_alloc(ctx, nbpool, a, 3, 0, &nb), NT_FAULTED); /* derivation never ends */
  CHECK_EQ(ctx->fault.code, DPC_WATCHDOG_VIOLATION);
}
static void s6_6_nonempty_cycles_walked(void) {
  reset();
  const uint8_t x[] = {1, 2, 3};
  nt_id a = mdl(x, 3);
  link2(a, a); /* mdl.Next = mdl */
  nt_id s = nb_over(a, 0, 3);
  nt_id d = mdl(NULL, 8), dn = nb_over(d, 0, 8);
  uint32_t bc = 0;
  CHECK_EQ(copy(dn, 0, 100, s, 1, &bc), NDIS_STATUS_SUCCESS); /* bounded by the destination chain */
  CHECK_EQ(bc, 8);
  EXPECT_BYTES(bytes_of(d), 2, 3, 1, 2, 3, 1, 2, 3);
  /* both cyclic: ends at BytesToCopy */
  link2(d, d);
  CHECK_EQ(copy(dn, 5, 1000, s, 0, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 1000);
  /* huge offsets reduced modulo the cycle */
  CHECK_EQ(copy(dn, 0, 1, s, 0xFFFFFFFFu, &bc), NDIS_STATUS_SUCCESS);
  CHECK_EQ(bc, 1);
  CHECK_EQ(bytes_of(d)[0], x[0xFFFFFFFFu % 3]);
}

/* ---- 6.7 gone memory ---- */
static void s6_7_detached_source(void) {
  reset(); mk_S8(); mk_D8();
  tv_detach(info(s2).slot);
  uint32_t bc = 42;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK_EQ(ctx->fault.p[1], 0);
  CHECK_EQ(bc, 42);
  EXPECT_BYTES(bytes_of(d1), 0, 0, 0, 0, 0, 0, 0, 0);
  CHECK_EQ(info(s1).flags, 0); /* MdlFlags unwritten too */
  CHECK_EQ(copy(D8, 0, 4, S8, 0, &bc), NDIS_STATUS_SUCCESS); /* gone bytes not reached */
}
static void s6_7_shrunk_per_byte_and_source_first(void) {
  reset(); mk_S8(); mk_D8();
  tv_resize(info(s1).slot, 2);
  uint32_t bc = 42;
  CHECK_EQ(copy(D8, 0, 2, S8, 0, &bc), NDIS_STATUS_SUCCESS); /* bytes 0..1 still there */
  CHECK_EQ(copy(D8, 0, 3, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 2);
  tv_resize(info(d1).slot, 0);
  CHECK_EQ(copy(D8, 0, 3, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[1], 0); /* both gone: the source is met first */
  CHECK_EQ(copy(D8, 0, 2, S8, 0, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[1], 1);
}
static void s6_7_mapping_failure_met_first(void) {
  reset(); mk_S8(); mk_D8();
  nt_ndis_mdl_set_mapping_fails(ctx, s1, 1);
  tv_detach(info(s2).slot);
  uint32_t bc = 42;
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NDIS_STATUS_RESOURCES);
  CHECK_EQ(bc, 0);
  nt_ndis_mdl_set_mapping_fails(ctx, s1, 0);
  nt_ndis_mdl_set_mapping_fails(ctx, s2, 1);
  tv_resize(info(s2).slot, 4);
  tv_detach(info(s1).slot);
  CHECK_EQ(copy(D8, 0, 8, S8, 0, &bc), NT_FAULTED); /* gone bytes met before the failing MDL */
}

/* ---- MDL routines ---- */
static void mdl_routines(void) {
  reset();
  nt_id m = mdl(NULL, 8);
  CHECK_EQ(info(m).flags, 0);
  CHECK_EQ(info(m).mapped_va, 0);
  uint32_t slot, len;
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 2, &slot, &len), NDIS_STATUS_RESOURCES); /* MappedSystemVa NULL */
  nt_ndis_mdl_set_mapping_fails(ctx, m, 1);
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 1, &slot, &len), NDIS_STATUS_RESOURCES);
  nt_ndis_mdl_set_mapping_fails(ctx, m, 0);
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 1, &slot, &len), STATUS_SUCCESS);
  CHECK_EQ(len, 8);
  CHECK_EQ(info(m).flags, MDL_MAPPED_TO_SYSTEM_VA);
  nt_ndis_mdl_set_mapping_fails(ctx, m, 1); /* already mapped: cannot fail */
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 1, &slot, &len), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_mdl_set_byte_count(ctx, m, 9), NT_NDIS_ARG_ERROR);
  CHECK_EQ(nt_ndis_mdl_set_byte_count(ctx, m, 3), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 0, &slot, &len), STATUS_SUCCESS);
  CHECK_EQ(len, 3);
  tv_resize(slot, 2);
  CHECK_EQ(nt_ndis_mdl_address(ctx, m, 0, &slot, &len), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  nt_id n = 0;
  CHECK_EQ(nt_ndis_mdl_alloc(ctx, tv_register(arena, 4), 4, 0, 1, &n), STATUS_SUCCESS);
  CHECK_EQ(info(n).flags, MDL_SOURCE_IS_NONPAGED_POOL);
  CHECK_EQ(info(n).mapped_va, 1);
  nt_id nb = nb_over(0, 0, 0);
  CHECK_EQ(nt_ndis_mdl_set_next(ctx, m, nb), NT_FAULTED); /* wrong kind */
  int before = tv_released;
  CHECK_EQ(nt_ndis_mdl_free(ctx, n), STATUS_SUCCESS);
  CHECK_EQ(tv_released, before + 1); /* the view is released */
}

/* ---- 2.5 / 6.4 / 6.5 companions ---- */
static void s6_4_retreat_in_place_and_shortfall(void) {
  reset();
  nt_id a = mdl(NULL, 4), b = mdl(NULL, 4);
  link2(a, b);
  nt_id nb = nb_over(a, 6, 2);
  uint64_t need;
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 3, 0, 1, &need), NDIS_STATUS_SUCCESS); /* in place */
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 3);
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 5);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), a);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 3);
  /* DataOffset 3 < Delta 5: new MDL of (5-3)+10 = 12 bytes in front */
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 5, 10, 1, &need), NDIS_STATUS_SUCCESS);
  nt_id nm = nbf(nb, NT_NB_MDL_CHAIN);
  CHECK(nm != a);
  CHECK_EQ(info(nm).byte_count, 12);
  CHECK_EQ(info(nm).next, a);
  CHECK_EQ(info(nm).flags, MDL_SOURCE_IS_NONPAGED_POOL);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), nm);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 10);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 10);
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 10);
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 0xFFFFFFFFu, 0, 1, &need), NT_NDIS_ARG_ERROR); /* DataLength overflow */
  tv_alloc_fails = 1;
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 20, 0, 1, &need), NDIS_STATUS_RESOURCES);
  tv_alloc_fails = 0;
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 10); /* nothing changed */
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 20, 0x80000000u, 1, &need), NDIS_STATUS_RESOURCES); /* over 2^31 */
}
static void s6_4_retreat_handler_mdl(void) {
  reset();
  nt_id a = mdl(NULL, 4);
  nt_id nb = nb_over(a, 1, 3);
  uint64_t need = 0;
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 4, 2, 0, &need), NDIS_STATUS_SUCCESS);
  CHECK_EQ(need, 5); /* (4-1)+2 */
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 3);
  nt_id small = mdl(NULL, 4), big = mdl(NULL, 9);
  CHECK_EQ(nt_ndis_retreat_link(ctx, nb, 4, 2, 0), NDIS_STATUS_RESOURCES); /* handler returned NULL */
  CHECK_EQ(nt_ndis_retreat_link(ctx, nb, 4, 2, small), NDIS_STATUS_RESOURCES);
  CHECK_EQ(nbf(nb, NT_NB_MDL_CHAIN), a);
  CHECK_EQ(nt_ndis_retreat_link(ctx, nb, 4, 2, nb), NT_NDIS_ARG_ERROR);
  CHECK_EQ(nt_ndis_retreat_link(ctx, nb, 4, 2, big), NDIS_STATUS_SUCCESS);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 9 - 3); /* L - (Delta - old DataOffset) */
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 6);
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 7);
  CHECK_EQ(info(big).next, a);
}
static void s6_5_advance_frees_retreat_mdls(void) {
  reset();
  nt_id a = mdl(NULL, 4), b = mdl(NULL, 4);
  link2(a, b);
  nt_id nb = nb_over(a, 0, 8);
  uint64_t need;
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 6, 0, 1, &need), NDIS_STATUS_SUCCESS);
  nt_id nm = nbf(nb, NT_NB_MDL_CHAIN);
  uint32_t live = ctx->live;
  /* advance within the new MDL: kept */
  CHECK_EQ(nt_ndis_advance(ctx, nb, 2, 1), STATUS_SUCCESS);
  CHECK_EQ(nbf(nb, NT_NB_MDL_CHAIN), nm);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 2);
  /* advance past it: freed, DataOffset drops by its 6 bytes */
  CHECK_EQ(nt_ndis_advance(ctx, nb, 5, 1), STATUS_SUCCESS);
  CHECK_EQ(ctx->live, live - 1);
  CHECK_EQ(nbf(nb, NT_NB_MDL_CHAIN), a);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 1);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), a);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 1);
  CHECK_EQ(nbf(nb, NT_NB_DATA_LENGTH), 7);
  /* the caller's MDLs are never freed */
  CHECK_EQ(nt_ndis_advance(ctx, nb, 5, 1), STATUS_SUCCESS);
  CHECK_EQ(nbf(nb, NT_NB_MDL_CHAIN), a);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), b);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL_OFFSET), 2);
  CHECK_EQ(nt_ndis_advance(ctx, nb, 3, 0), NT_NDIS_ARG_ERROR); /* Delta > DataLength */
}
static void s6_5_advance_handler_steps(void) {
  reset();
  nt_id a = mdl(NULL, 4);
  nt_id nb = nb_over(a, 0, 4);
  uint64_t need;
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 3, 0, 1, &need), NDIS_STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_retreat(ctx, nb, 2, 0, 1, &need), NDIS_STATUS_SUCCESS);
  nt_id m2 = nbf(nb, NT_NB_MDL_CHAIN), m1 = info(m2).next;
  CHECK_EQ(nt_ndis_advance(ctx, nb, 6, 0), STATUS_SUCCESS);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 6);
  nt_id got = 0;
  CHECK_EQ(nt_ndis_advance_unlink_head(ctx, nb, &got), STATUS_SUCCESS);
  CHECK_EQ(got, m2);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 4);
  CHECK_EQ(nt_ndis_advance_unlink_head(ctx, nb, &got), STATUS_SUCCESS);
  CHECK_EQ(got, m1);
  CHECK_EQ(nt_ndis_advance_unlink_head(ctx, nb, &got), STATUS_SUCCESS);
  CHECK_EQ(got, 0);
  CHECK_EQ(nbf(nb, NT_NB_DATA_OFFSET), 1);
  CHECK_EQ(nbf(nb, NT_NB_CURRENT_MDL), a);
}
static void s2_5_get_data_buffer(void) {
  reset(); mk_S8();
  nt_ndis_gdb g;
  uint8_t storage[8];
  nt_span sp = {storage, 8}, small = {storage, 2};
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 0, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0); /* BytesNeeded 0: NULL */
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 9, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0); /* DataLength < BytesNeeded */
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 3, NULL, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
  CHECK_EQ(g.offset, 0);
  CHECK_EQ(info(s1).flags, MDL_MAPPED_TO_SYSTEM_VA);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 3, NULL, 2, 1, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0); /* misaligned, no Storage */
  memset(storage, 0xEE, 8);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 6, &small, 1, 0, &g), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 6, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 2);
  EXPECT_BYTES(storage, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0xEE);
  memset(storage, 0xEE, 8);
  CHECK_EQ(info(s2).flags, MDL_MAPPED_TO_SYSTEM_VA); /* mapped by the walk above */
  nt_id f1 = mdl(B10, 4), f2 = mdl(B14, 4), fnb;
  link2(f1, f2);
  fnb = nb_over(f1, 0, 8);
  nt_ndis_mdl_set_mapping_fails(ctx, f2, 1);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, fnb, 6, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);
  CHECK_EQ(storage[0], 0xEE); /* unwritten */
  CHECK_EQ(nt_ndis_nb_set(ctx, S8, NT_NB_CURRENT_MDL_OFFSET, 3), STATUS_SUCCESS);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 6, &sp, 1, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0); /* chain holds 5 bytes from there: NULL, unwritten */
  CHECK_EQ(storage[0], 0xEE);
  tv_detach(info(s2).slot);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, S8, 4, &sp, 1, 0, &g), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
}

static void s2_5_get_data_buffer_alignment_uses_byte_offset(void) {
  reset();
  uint8_t *p = region(8);
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)i;
  nt_id m = 0, nb;
  CHECK_EQ(nt_ndis_mdl_alloc(ctx, tv_register(p, 8), 8, 3, 0, &m), STATUS_SUCCESS); /* view at byteOffset 3 */
  nb = nb_over(m, 1, 7);                                                       /* data at byteOffset 4 */
  nt_ndis_gdb g;
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, nb, 2, NULL, 4, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
  CHECK_EQ(g.offset, 1);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, nb, 2, NULL, 8, 0, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 0);
  CHECK_EQ(nt_ndis_get_data_buffer(ctx, nb, 2, NULL, 8, 4, &g), STATUS_SUCCESS);
  CHECK_EQ(g.kind, 1);
}

/* ---- index vs linear: seeded random chains (with cycles, zero-lengths, stale ids) ---- */
static void index_and_linear_agree(void) {
  uint8_t *dsave = malloc(1 << 14);
  for (int round = 0; round < 300; round++) {
    uint64_t seed = t_rng;
    nt_id m[24];
    int k = 1 + (int)(t_rand() % 24);
    uint32_t results[2][4];
    uint8_t *dbytes[2] = {NULL, NULL};
    for (int pass = 0; pass < 2; pass++) {
      t_rng = seed;
      reset();
      nt_ndis_set_index_enabled(ctx, pass == 0);
      for (int i = 0; i < k; i++) {
        uint8_t buf[16];
        size_t n = (t_rand() % 4 == 0) ? 0 : 1 + t_rand() % 16;
        for (size_t j = 0; j < n; j++) buf[j] = (uint8_t)t_rand();
        /* packed: neighbours contiguous (runs merge) and sometimes overlapping (merging must stop) */
        if (t_rand() % 4 == 0 && arena_used >= 32) arena_used -= t_rand() % 32;
        uint8_t *p = arena + arena_used;
        memcpy(p, buf, n);
        arena_used += n;
        CHECK_EQ(nt_ndis_mdl_alloc(ctx, tv_register(p, n), (uint32_t)n, 0, 0, &m[i]), STATUS_SUCCESS);
      }
      for (int i = 0; i < k; i++) {
        uint64_t r = t_rand() % 10;
        link2(m[i], r < 7 ? (i + 1 < k ? m[i + 1] : 0) : r < 9 ? m[t_rand() % k] : 0);
      }
      nt_id src = nb_over(0, 0, 0), dst = nb_over(0, 0, 0);
      nt_ndis_nb_set(ctx, src, NT_NB_CURRENT_MDL, m[t_rand() % k]);
      nt_ndis_nb_set(ctx, dst, NT_NB_CURRENT_MDL, m[t_rand() % k]);
      nt_ndis_nb_set(ctx, src, NT_NB_CURRENT_MDL_OFFSET, (uint32_t)(t_rand() % 40));
      nt_ndis_nb_set(ctx, dst, NT_NB_CURRENT_MDL_OFFSET, (uint32_t)(t_rand() % 40));
      for (int c = 0; c < 4; c++) {
        uint32_t bc = 0xAAAA;
        uint32_t so = (uint32_t)(t_rand() % 64), dof = (uint32_t)(t_rand() % 64), n = (uint32_t)(t_rand() % 200);
        uint32_t r = copy(dst, dof, n, src, so, &bc);
        results[pass][c] = r == NT_FAULTED ? (0xF0000000u | ctx->fault.code) : (r ^ bc);
      }
      dbytes[pass] = pass ? dsave : malloc(1 << 14);
      memcpy(dbytes[pass], arena, 1 << 14);
    }
    CHECK(memcmp(results[0], results[1], sizeof results[0]) == 0);
    CHECK(memcmp(dbytes[0], dbytes[1], 1 << 14) == 0);
    if (memcmp(results[0], results[1], sizeof results[0]) != 0) fprintf(stderr, "  seed 0x%" PRIx64 "\n", seed);
    free(dbytes[0]);
  }
  free(dsave);
  nt_ndis_set_index_enabled(ctx, 1);
}

/* Long chain: many copies against one index stay correct after a ByteCount write invalidates it. */
static void index_invalidated_by_writes(void) {
  reset();
  enum { K = 2000 };
  static nt_id m[K];
  for (int i = 0; i < K; i++) { uint8_t b[3] = {(uint8_t)i, (uint8_t)(i >> 8), 0x77}; m[i] = mdl(b, 3); }
  for (int i = 0; i + 1 < K; i++) link2(m[i], m[i + 1]);
  nt_id s = nb_over(m[0], 0, 3 * K);
  nt_id d = mdl(NULL, 3), dn = nb_over(d, 0, 3);
  uint32_t bc;
  CHECK_EQ(copy(dn, 0, 3, s, 3 * 1500, &bc), NDIS_STATUS_SUCCESS);
  EXPECT_BYTES(bytes_of(d), 1500 & 0xFF, 1500 >> 8, 0x77);
  CHECK_EQ(nt_ndis_mdl_set_byte_count(ctx, m[10], 0), STATUS_SUCCESS);
  CHECK_EQ(copy(dn, 0, 3, s, 3 * 1500, &bc), NDIS_STATUS_SUCCESS);
  EXPECT_BYTES(bytes_of(d), 1501 & 0xFF, 1501 >> 8, 0x77);
  CHECK_EQ(nt_ndis_mdl_free(ctx, m[1700]), STATUS_SUCCESS);
  CHECK_EQ(copy(dn, 0, 3, s, 3 * 1800, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[3], m[1700]);
}

/* 6.7 with stretches: MDLs over adjacent bytes of one buffer are copied as one run, and what the fast loop
 * learnt about them (contiguous, mapped) is kept; whether each window is still in its buffer is not: a
 * buffer shrunk into the third MDL between two identical copies makes the second one 0x50 at that MDL
 * (P1 0: its view holds nothing now, P2 0: read, P3 the MDL), with nothing written. */
static uint8_t sbuf[256];
static size_t sbuf_len;
static int sg_group(void *ud, uint32_t slot, uint32_t *g, uint64_t *off, uint64_t *len) {
  (void)ud;
  if (tv[slot].ptr < sbuf || tv[slot].ptr >= sbuf + sizeof sbuf) return 0;
  *g = 0;
  *off = (uint64_t)(tv[slot].ptr - sbuf);
  *len = tv[slot].len;
  return 1;
}
static nt_span sg_resolve(void *ud, uint32_t g) {
  (void)ud;
  (void)g;
  return (nt_span){sbuf_len ? sbuf : NULL, sbuf_len};
}
static void s6_7_stretch_windows_checked_every_call(void) {
  reset();
  nt_ndis_group_ops go = {sg_group, sg_resolve};
  nt_ndis_set_group_ops(ctx, &go);
  for (size_t i = 0; i < sizeof sbuf; i++) sbuf[i] = (uint8_t)(i + 1);
  sbuf_len = sizeof sbuf;
  nt_id m[8];
  for (int i = 0; i < 8; i++) {
    CHECK_EQ(nt_ndis_mdl_alloc(ctx, tv_register(sbuf + 16 * i, 16), 16, 0, 1, &m[i]), STATUS_SUCCESS);
    if (i) link2(m[i - 1], m[i]);
  }
  nt_id d0 = mdl(NULL, 200);
  uint8_t *dp = arena + arena_used - 200;
  nt_id s = nb_over(m[0], 0, 128), d = nb_over(d0, 0, 200);
  uint32_t bc = 0;
  CHECK_EQ(copy(d, 0, 100, s, 4, &bc), STATUS_SUCCESS); /* bytes 4..103 of the buffer, one run */
  CHECK_EQ(bc, 100);
  for (int i = 0; i < 100; i++) CHECK_EQ(dp[i], (uint8_t)(i + 5));
  memset(dp, 0xEE, 200);
  CHECK_EQ(copy(d, 0, 100, s, 4, &bc), STATUS_SUCCESS); /* again: the cached stretch */
  CHECK_EQ(dp[99], 104);
  memset(dp, 0xEE, 200);
  sbuf_len = 40; /* MDLs 0 and 1 still whole; MDL 2's window [32, 48) is not */
  bc = 0xAAAA;
  CHECK_EQ(copy(d, 0, 100, s, 4, &bc), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK_EQ(ctx->fault.p[0], 0);
  CHECK_EQ(ctx->fault.p[1], 0);
  CHECK_EQ(ctx->fault.p[2], m[2]);
  CHECK_EQ(bc, 0xAAAA);
  for (int i = 0; i < 200; i++) CHECK_EQ(dp[i], 0xEE);
}

/* Buffer groups (nt_ndis_set_group_ops) resolve exactly as per-slot views: the arena as 4 buffers, each
 * detached or shrunk at random between copies, with and without groups (and with the fast loop on and
 * off): same statuses, counts, bug checks, bytes and MDL flags. */
#define GQ (sizeof arena / 4)
static size_t g_len[4];
static int g_group(void *ud, uint32_t slot, uint32_t *g, uint64_t *off, uint64_t *len) {
  (void)ud;
  if (tv[slot].owned || tv[slot].ptr < arena || tv[slot].ptr >= arena + sizeof arena) return 0;
  size_t at = (size_t)(tv[slot].ptr - arena);
  if ((at + tv[slot].len - 1) / GQ != at / GQ) return 0; /* straddles two buffers: per slot */
  *g = (uint32_t)(at / GQ);
  *off = at % GQ;
  *len = tv[slot].len;
  return 1;
}
static nt_span g_resolve(void *ud, uint32_t g) {
  (void)ud;
  return (nt_span){g_len[g] ? arena + g * GQ : NULL, g_len[g]};
}
/* What a JS view over buffer g sees after it shrank to L: all of its window or nothing. */
static size_t full_len[TV_MAX];
static void g_apply(void) {
  for (uint32_t i = 0; i < TV_MAX; i++) {
    if (!tv[i].used || tv[i].owned || tv[i].ptr < arena || tv[i].ptr >= arena + sizeof arena) continue;
    if (!full_len[i]) full_len[i] = tv[i].len + 1; /* +1: 0 = not recorded */
    size_t at = (size_t)(tv[i].ptr - arena), len = full_len[i] - 1;
    int fits = len && (at + len - 1) / GQ == at / GQ ? at % GQ + len <= g_len[at / GQ] : 1;
    tv[i].len = fits ? len : 0;
  }
}
/* A copy's outcome as one number: status and count, or the bug check with its P1 and P3. */
static uint32_t outcome(uint32_t st, uint32_t bc) {
  return st == NT_FAULTED ? (0xF0000000u ^ ctx->fault.code ^ (uint32_t)ctx->fault.p[0] << 8 ^ (uint32_t)ctx->fault.p[2] << 16)
                          : (st ^ bc << 4);
}
/* Passes 1 and 2 ended as pass 0: outcomes, MDL flags and every arena byte. */
static int passes_agree(const void *results, size_t rn, const void *flags, size_t fn, uint8_t (*save)[sizeof arena]) {
  int ok = 1;
  for (int pass = 1; pass < 3; pass++)
    ok &= !memcmp(results, (const uint8_t *)results + pass * rn, rn) &&
          !memcmp(flags, (const uint8_t *)flags + pass * fn, fn) && !memcmp(save[0], save[pass], sizeof arena);
  return ok;
}
static void groups_and_slots_agree(void) {
  static uint8_t save[3][sizeof arena];
  for (int round = 0; round < 400; round++) {
    uint64_t seed = t_rng;
    uint32_t results[3][6];
    uint32_t flags[3][24];
    for (int pass = 0; pass < 3; pass++) {
      t_rng = seed;
      reset();
      memset(full_len, 0, sizeof full_len);
      for (int q = 0; q < 4; q++) g_len[q] = GQ;
      if (pass < 2) {
        nt_ndis_group_ops go = {g_group, g_resolve};
        nt_ndis_set_group_ops(ctx, &go);
      }
      nt_ndis_set_index_enabled(ctx, pass != 1);
      nt_id m[24];
      int k = 1 + (int)(t_rand() % 24);
      arena_used = (size_t)(t_rand() % 3) * (GQ - 40); /* sometimes straddle a buffer boundary */
      for (int i = 0; i < k; i++) {
        uint8_t buf[64];
        size_t n = (t_rand() % 12 == 0) ? 0 : 1 + t_rand() % 64;
        for (size_t j = 0; j < n; j++) buf[j] = (uint8_t)t_rand();
        m[i] = mdl(buf, n);
        if (t_rand() % 3 == 0) nt_ndis_mdl_build_nonpaged(ctx, m[i]);
        if (t_rand() % 16 == 0) nt_ndis_mdl_set_mapping_fails(ctx, m[i], 1);
        if (t_rand() % 8 == 0) arena_used += GQ / 3 + t_rand() % 16;     /* spread over the buffers */
        if (arena_used > sizeof arena - 200) arena_used = 0;
      }
      for (int i = 0; i < k; i++) {
        uint64_t r = t_rand() % 12;
        link2(m[i], r < 9 ? (i + 1 < k ? m[i + 1] : 0) : r < 11 ? m[t_rand() % k] : 0);
      }
      nt_id src = nb_over(0, 0, 0), dst = nb_over(0, 0, 0);
      nt_ndis_nb_set(ctx, src, NT_NB_CURRENT_MDL, m[t_rand() % k]);
      nt_ndis_nb_set(ctx, dst, NT_NB_CURRENT_MDL, m[t_rand() % k]);
      uint32_t so = 0, dof = 0, n = 0;
      for (int c = 0; c < 6; c++) {
        uint64_t r = t_rand() % 12;
        if (r == 0) g_len[t_rand() % 4] = 0;                                  /* detach */
        else if (r <= 2) {                                                    /* shrink into an MDL */
          nt_mdl_info mi = info(m[t_rand() % k]);
          size_t at = (size_t)(tv[mi.slot].ptr - arena), q = at / GQ, to = at % GQ + t_rand() % (mi.described + 1);
          if (to < g_len[q]) g_len[q] = to;
        }
        g_apply();
        uint32_t bc = 0xAAAA;
        if (c == 0 || t_rand() % 2) { /* else the same copy again: what the fast loop cached must still hold */
          so = (uint32_t)(t_rand() % 128);
          dof = (uint32_t)(t_rand() % 128);
          n = (uint32_t)(t_rand() % (t_rand() % 2 ? 200 : 700));
        }
        uint32_t st = copy(dst, dof, n, src, so, &bc);
        results[pass][c] = outcome(st, bc);
      }
      for (int i = 0; i < 24; i++) flags[pass][i] = i < k ? info(m[i]).flags | (uint32_t)info(m[i]).mapped_va << 31 : 0;
      memcpy(save[pass], arena, sizeof arena);
    }
    int ok = passes_agree(results, sizeof results[0], flags, sizeof flags[0], save);
    CHECK(ok);
    if (!ok) { fprintf(stderr, "  seed 0x%" PRIx64 "\n", seed); break; }
  }
  nt_ndis_set_index_enabled(ctx, 1);
}

/* Issue 16: long chains (hundreds to thousands of MDLs, copies of more than 512 runs), scattered or
 * adjacent, one buffer or several, nonpaged or to be mapped, with a zero-length MDL, a mapping that fails,
 * a freed MDL or a detached/shrunk buffer somewhere far along: the stream (groups or per-slot views) and
 * the reference walk (index off) give the same statuses, counts, bug checks, bytes and MDL flags. */
static void long_chains_stream_agree(void) {
  enum { KMAX = 1400 };
  static uint8_t save[3][sizeof arena];
  static uint32_t flags[3][KMAX];
  static nt_id m[KMAX];
  for (int round = 0; round < 60; round++) {
    uint64_t seed = t_rng;
    uint32_t results[3][8];
    for (int pass = 0; pass < 3; pass++) {
      t_rng = seed;
      reset();
      memset(full_len, 0, sizeof full_len);
      for (int q = 0; q < 4; q++) g_len[q] = GQ;
      if (pass == 0) {
        nt_ndis_group_ops go = {g_group, g_resolve};
        nt_ndis_set_group_ops(ctx, &go);
      }
      nt_ndis_set_index_enabled(ctx, pass != 2);
      int k = 200 + (int)(t_rand() % (KMAX - 200));
      int layout = (int)(t_rand() % 3); /* 0 scattered, 1 adjacent, 2 mixed */
      int nonpaged = (int)(t_rand() % 3);  /* 0 none, 1 all, 2 some */
      int rare = t_rand() % 3 == 0;        /* zero-length MDLs and failing mappings, or none */
      size_t maxlen = 1 + t_rand() % 40;
      while ((size_t)k * (maxlen + 16) > sizeof arena - 64) maxlen /= 2;
      for (int i = 0; i < k; i++) {
        size_t n = rare && t_rand() % 500 == 0 ? 0 : 1 + t_rand() % maxlen;
        int adj = layout == 1 || (layout == 2 && t_rand() % 2);
        uint8_t *p = adj ? arena + arena_used : region(n);
        if (adj) arena_used += n;
        for (size_t j = 0; j < n; j++) p[j] = (uint8_t)t_rand();
        CHECK_EQ(nt_ndis_mdl_alloc(ctx, tv_register(p, n), (uint32_t)n, 0, 0, &m[i]), STATUS_SUCCESS);
        if (nonpaged == 1 || (nonpaged == 2 && t_rand() % 2)) nt_ndis_mdl_build_nonpaged(ctx, m[i]);
        if (rare && t_rand() % 800 == 0) nt_ndis_mdl_set_mapping_fails(ctx, m[i], 1);
      }
      int half = k / 2;
      for (int i = 0; i + 1 < k; i++) link2(m[i], i + 1 == half ? 0 : m[i + 1]);
      nt_id src = nb_over(m[0], 0, 0), dst = t_rand() % 5 ? nb_over(m[half], 0, 0) : src;
      for (int c = 0; c < 8; c++) {
        uint64_t r = t_rand() % 16;
        if (r == 0) g_len[t_rand() % 4] = t_rand() % 2 ? 0 : t_rand() % GQ;     /* detach or shrink */
        else if (r == 1) nt_ndis_mdl_free(ctx, m[k / 4 + t_rand() % (k / 2)]); /* far along, stays linked */
        else if (r == 2) nt_ndis_mdl_set_mapping_fails(ctx, m[t_rand() % k], 1);
        else if (r == 3) nt_ndis_mdl_set_byte_count(ctx, m[t_rand() % k], 0);
        g_apply();
        uint32_t bc = 0xAAAA;
        /* mostly within both chains (about maxlen / 2 * half bytes each), sometimes past an end */
        uint32_t so = (uint32_t)(t_rand() % (maxlen * half / 8 + 1)), dof = (uint32_t)(t_rand() % (maxlen * half / 8 + 1));
        uint32_t n = (uint32_t)(t_rand() % (maxlen * half / (t_rand() % 4 ? 3 : 1) + 1));
        uint32_t st = copy(dst, dof, n, src, so, &bc);
        results[pass][c] = outcome(st, bc);
      }
      for (int i = 0; i < KMAX; i++) {
        nt_mdl_info mi;
        memset(&mi, 0, sizeof mi);
        flags[pass][i] = i < k && nt_ndis_mdl_get(ctx, m[i], &mi) == STATUS_SUCCESS ? mi.flags | (uint32_t)mi.mapped_va << 31 : 0;
      }
      memcpy(save[pass], arena, sizeof arena);
    }
    int ok = passes_agree(results, sizeof results[0], flags, sizeof flags[0], save);
    CHECK(ok);
    if (!ok) { fprintf(stderr, "  seed 0x%" PRIx64 "\n", seed); break; }
  }
  nt_ndis_set_index_enabled(ctx, 1);
}

int main(void) {
  RUN(v1_full_copy);
  RUN(v3_source_exhausted);
  RUN(v7_destination_exhausted);
  RUN(v9_zero_length_dst_mdl);
  RUN(v12_datalength_not_a_bound);
  RUN(v15_mapping_failure_partial);
  RUN(s2_3_step4d_source_mapped_in_the_failing_segment_stays_mapped);
  RUN(v19_zero_length_src_not_mapped);
  RUN(v25_same_nb_one_mdl);
  RUN(v26_same_nb_sequential_segments);
  RUN(s2_3_step2_zero_bytes_maps_nothing);
  RUN(s2_3_step3_64bit_offsets_and_carry);
  RUN(s2_3_step4b_null_current_mdl);
  RUN(s2_3_step4d_destination_mapping_fails);
  RUN(s2_4_fields_unchanged);
  RUN(s6_1_null_freed_wrong_kind);
  RUN(s6_1_freed_mdl_in_chain);
  RUN(pools_wrong_kind);
  RUN(nbl_frees_its_nb);
  RUN(s6_3_allocate_derives_cursor);
  RUN(s6_6_zero_length_cycle_watchdog);
  RUN(s6_6_nonempty_cycles_walked);
  RUN(s6_7_detached_source);
  RUN(s6_7_shrunk_per_byte_and_source_first);
  RUN(s6_7_mapping_failure_met_first);
  RUN(mdl_routines);
  RUN(s6_4_retreat_in_place_and_shortfall);
  RUN(s6_4_retreat_handler_mdl);
  RUN(s6_5_advance_frees_retreat_mdls);
  RUN(s6_5_advance_handler_steps);
  RUN(s2_5_get_data_buffer);
  RUN(s2_5_get_data_buffer_alignment_uses_byte_offset);
  RUN(index_and_linear_agree);
  RUN(index_invalidated_by_writes);
  RUN(groups_and_slots_agree);
  RUN(s6_7_stretch_windows_checked_every_call);
  RUN(long_chains_stream_agree);
  nt_ctx_free(ctx);
  for (uint32_t i = 0; i < TV_MAX; i++) if (tv[i].owned) free(tv[i].ptr);
  return T_DONE("core/ndis");
}
