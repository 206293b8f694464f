/* LSA rules of SEMANTICS.md section 3 (L0..L6, 3.4, 3.5 vectors) and section 6 rules 1, 8, 9, 10.
 * Expected values come from the rules: client byte at address a is (a & 0xFF) unless written, local
 * bytes are 0xEE, guard bytes around every local buffer are 0x5A. */
#include "t.h"
#include "nt_lsa.h"

static nt_ctx *ctx;

#define G 64                       /* guard bytes on each side of the local buffer */
#define LCAP 0x40000u
static uint8_t lraw[G + LCAP + G];
static uint8_t *const L = lraw + G; /* the local buffer */
static uint8_t big[0x40000];       /* scratch for patterns and peeks */

static nt_span S(uint8_t *p, size_t n) { nt_span s = {p, n}; return s; }
static void local_reset(void) {
  memset(lraw, 0x5A, sizeof lraw);
  memset(L, 0xEE, LCAP);
}
/* Local bytes [0, n) as `want(i)`, bytes [n, LCAP) still 0xEE, guards intact. */
static int local_is(size_t n, uint8_t (*want)(size_t)) {
  for (size_t i = 0; i < G; i++)
    if (lraw[i] != 0x5A || lraw[G + LCAP + i] != 0x5A) return 0;
  for (size_t i = 0; i < LCAP; i++)
    if (L[i] != (i < n ? want(i) : 0xEE)) return 0;
  return 1;
}
static uint64_t cur_base; /* client address of L[0] for local_pattern */
static uint8_t local_pattern(size_t i) { return (uint8_t)((cur_base + i) & 0xFF); }
static int local_unchanged(void) { return local_is(0, local_pattern); }

/* Maps [base, base+size) with the address pattern (a & 0xFF). */
static void map_pattern(nt_id r, uint64_t base, size_t size, uint32_t prot) {
  for (size_t i = 0; i < size; i++) big[i] = (uint8_t)((base + i) & 0xFF);
  CHECK_EQ(nt_lsa_map(ctx, r, base, size, big, size, prot), NT_LSA_OK);
}
/* Client bytes [a, a+n) all still the address pattern. */
static int client_pattern(nt_id r, uint64_t a, size_t n) {
  CHECK_EQ(nt_lsa_peek(ctx, r, a, big, n), NT_LSA_OK);
  for (size_t i = 0; i < n; i++)
    if (big[i] != (uint8_t)((a + i) & 0xFF)) return 0;
  return 1;
}

/* SEMANTICS 3.5 client: R1 = [0x10000,0x12000) RW; R2 = [0x100000,0x110000) RW;
 * R3 = 0x200000 RW, 0x201000 NOACCESS, 0x202000 RW. */
static nt_id vec_client(void) {
  nt_id r = 0;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  map_pattern(r, 0x10000, 0x2000, PAGE_READWRITE);
  map_pattern(r, 0x100000, 0x10000, PAGE_READWRITE);
  map_pattern(r, 0x200000, 0x1000, PAGE_READWRITE);
  map_pattern(r, 0x201000, 0x1000, PAGE_NOACCESS);
  map_pattern(r, 0x202000, 0x1000, PAGE_READWRITE);
  local_reset();
  return r;
}
static uint32_t from(nt_id r, uint32_t len, size_t cap, uint64_t a) {
  nt_span s = S(L, cap);
  cur_base = a;
  return nt_lsa_copy_from_client(ctx, r, len, &s, a);
}
static uint32_t to(nt_id r, uint32_t len, uint64_t a, size_t cap) {
  nt_span s = S(L, cap);
  return nt_lsa_copy_to_client(ctx, r, len, a, &s);
}
static void expect_0xEF(uint32_t st) {
  CHECK_EQ(st, NT_FAULTED);
  CHECK_EQ(ctx->fault.code, CRITICAL_PROCESS_DIED);
  CHECK_EQ(ctx->fault.p[0], 0);
}

static void L0_null_stale_other_kind(void) {
  nt_id r = vec_client();
  nt_span s = S(L, LCAP);
  uint64_t base = 77;
  /* vector 32: NULL request */
  expect_0xEF(nt_lsa_copy_from_client(ctx, 0, 16, &s, 0x10000));
  /* before everything, even Length 0 and a bad range */
  expect_0xEF(nt_lsa_copy_from_client(ctx, 0, 0, &s, 0xFFFF800000000000ull));
  expect_0xEF(nt_lsa_copy_to_client(ctx, 0, 0, 0, &s));
  expect_0xEF(nt_lsa_allocate_client(ctx, 0, 0, &base));
  CHECK_EQ(base, 77); /* a bug check writes nothing */
  expect_0xEF(nt_lsa_free_client(ctx, 0, 0)); /* 6.1: before the NULL-address shortcut */
  /* another kind of handle */
  nt_id m;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 8, &m), STATUS_SUCCESS);
  expect_0xEF(nt_lsa_copy_from_client(ctx, m, 16, &s, 0x10000));
  nt_wdf_object_delete(ctx, m);
  /* forged generation */
  expect_0xEF(nt_lsa_copy_from_client(ctx, r + (UINT64_C(3) << NT_ID_INDEX_BITS), 16, &s, 0x10000));
  /* stale: completed */
  CHECK_EQ(nt_lsa_set(ctx, r, NT_LSA_COMPLETE, 0, 0), NT_LSA_OK);
  expect_0xEF(nt_lsa_copy_from_client(ctx, r, 16, &s, 0x10000));
  expect_0xEF(nt_lsa_copy_from_client(ctx, r, 0, &s, 0x10000));
  expect_0xEF(nt_lsa_copy_to_client(ctx, r, 16, 0x10000, &s));
  expect_0xEF(nt_lsa_allocate_client(ctx, r, 16, &base));
  expect_0xEF(nt_lsa_free_client(ctx, r, 0));
  cur_base = 0;
  CHECK(local_unchanged());
  /* host controls keep working after complete() (v1.2) */
  CHECK(client_pattern(r, 0x10000, 0x2000));
  CHECK_EQ(nt_lsa_poke(ctx, r, 0x10000, (const uint8_t *)"x", 1), NT_LSA_OK);
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x10000), NT_LSA_OK);
  /* a freed request */
  nt_lsa_client_free(ctx, r);
  expect_0xEF(nt_lsa_copy_from_client(ctx, r, 16, &s, 0x10000));
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 1, NULL, 0, PAGE_READWRITE), NT_LSA_E_HANDLE);
}

static void L1_end_address_range_test(void) {
  nt_id r = vec_client();
  /* vector 6: applies at Length 0 */
  CHECK_EQ(from(r, 0, LCAP, 0xFFFF800000000000ull), STATUS_ACCESS_VIOLATION);
  /* wrap */
  CHECK_EQ(from(r, 16, LCAP, UINT64_MAX - 7), STATUS_ACCESS_VIOLATION);
  /* end == HighestUser + 1 is refused (the one-past end is compared), end == HighestUser passes L1 */
  CHECK_EQ(from(r, 16, LCAP, NT_LSA_DEFAULT_HIGHEST + 1 - 16), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(from(r, 16, LCAP, NT_LSA_DEFAULT_HIGHEST - 16), STATUS_PARTIAL_COPY);
  CHECK_EQ(from(r, 0, LCAP, NT_LSA_DEFAULT_HIGHEST), STATUS_SUCCESS);
  CHECK_EQ(from(r, 0, LCAP, NT_LSA_DEFAULT_HIGHEST + 1), STATUS_ACCESS_VIOLATION);
  /* L1 precedes L3/L4 */
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(from(r, 16, LCAP, 0xFFFF800000000000ull), STATUS_ACCESS_VIOLATION);
  cur_base = 0;
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
  /* a configured HighestUserAddress (x86 2 GB) */
  CHECK_EQ(nt_lsa_client_create(ctx, 0x7FFEFFFFu, &r), STATUS_SUCCESS);
  CHECK_EQ(from(r, 0, LCAP, 0x7FFF0000u), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(from(r, 1, LCAP, 0x7FFEFFFFu), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(from(r, 1, LCAP, 0x7FFEFFFEu), STATUS_PARTIAL_COPY);
  /* with the whole 64-bit space, only the wrap remains */
  nt_lsa_client_free(ctx, r);
  CHECK_EQ(nt_lsa_client_create(ctx, UINT64_MAX, &r), STATUS_SUCCESS);
  CHECK_EQ(from(r, 1, LCAP, UINT64_MAX - 1), STATUS_PARTIAL_COPY);
  CHECK_EQ(from(r, 1, LCAP, UINT64_MAX), STATUS_ACCESS_VIOLATION);
  map_pattern(r, UINT64_MAX - 0xFFF, 0x1000, PAGE_READONLY);
  CHECK_EQ(from(r, 16, LCAP, UINT64_MAX - 16), STATUS_SUCCESS);
  CHECK_EQ(L[15], 0xFE);
  nt_lsa_client_free(ctx, r);
}

static void L2_zero_length_before_handle(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 0, LCAP, 0x10000), STATUS_SUCCESS); /* vector 3 */
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  CHECK_EQ(from(r, 0, LCAP, 0x10000), STATUS_SUCCESS);
  CHECK_EQ(from(r, 0, 0, 0), STATUS_SUCCESS);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, 0, 7);
  CHECK_EQ(from(r, 0, LCAP, 0x5000), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 0, NULL, 0), STATUS_SUCCESS);
  cur_base = 0;
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void L3_handle_state_and_read_right(void) {
  nt_id r = vec_client();
  CHECK_EQ(nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_WRITE | NT_LSA_RIGHT_OPERATION, 7), NT_LSA_OK);
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_ACCESS_DENIED);
  CHECK_EQ(from(r, 16, LCAP, 0), STATUS_ACCESS_DENIED); /* before L5a */
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_ACCESS_DENIED); /* L3 before L4 */
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_INVALID_HANDLE); /* closed before rights */
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, 7, 7);
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_INVALID_HANDLE);
  cur_base = 0;
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void L4_terminating(void) {
  nt_id r = vec_client();
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_PROCESS_IS_TERMINATING);
  CHECK_EQ(from(r, 16, LCAP, 0), STATUS_PROCESS_IS_TERMINATING);       /* before L5a */
  CHECK_EQ(from(r, 600, LCAP, 0x11E01), STATUS_PROCESS_IS_TERMINATING); /* before L6a */
  cur_base = 0;
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void L5a_unreadable_source_nothing_written(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 16, LCAP, 0), STATUS_PARTIAL_COPY);          /* vector 7 */
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 511, LCAP, 0x11E02), STATUS_PARTIAL_COPY);   /* vector 11 */
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 16, LCAP, 0x200FF8), STATUS_PARTIAL_COPY);   /* into NOACCESS */
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 1, LCAP, 0x201FFF), STATUS_PARTIAL_COPY);
  /* guard pages and PAGE_EXECUTE are unreadable; modifiers keep READWRITE readable */
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x200000, 0x1000, PAGE_READWRITE | PAGE_GUARD), NT_LSA_OK);
  CHECK_EQ(from(r, 4, LCAP, 0x200000), STATUS_PARTIAL_COPY);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x200000, 0x1000, PAGE_EXECUTE), NT_LSA_OK);
  CHECK_EQ(from(r, 4, LCAP, 0x200000), STATUS_PARTIAL_COPY);
  CHECK(local_unchanged());
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x200000, 0x1000, PAGE_READWRITE | PAGE_NOCACHE), NT_LSA_OK);
  CHECK_EQ(from(r, 4, LCAP, 0x200000), STATUS_SUCCESS);
  CHECK(local_is(4, local_pattern));
  nt_lsa_client_free(ctx, r);
}

static void L5b_local_capacity_after_source(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 16, 8, 0x10000), STATUS_ACCESS_VIOLATION);   /* vector 22 */
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 16, 8, 0), STATUS_PARTIAL_COPY);             /* source read comes first */
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 16, NULL, 0x10000), STATUS_ACCESS_VIOLATION); /* NULL = C 0 */
  CHECK_EQ(from(r, 511, 510, 0x10000), STATUS_ACCESS_VIOLATION);
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 511, 511, 0x10000), STATUS_SUCCESS);
  CHECK(local_is(511, local_pattern));
  nt_lsa_client_free(ctx, r);
}

static void L5c_copy_exact_bytes(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 16, LCAP, 0x10000), STATUS_SUCCESS);         /* vector 1: 00..0F */
  for (int i = 0; i < 16; i++) CHECK_EQ(L[i], i);
  CHECK(local_is(16, local_pattern));
  local_reset();
  CHECK_EQ(from(r, 511, LCAP, 0x10F01), STATUS_SUCCESS);        /* across a page boundary */
  CHECK(local_is(511, local_pattern));
  /* never-written committed pages read as zeros */
  uint64_t a;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 100, &a), STATUS_SUCCESS);
  local_reset();
  CHECK_EQ(from(r, 100, LCAP, a), STATUS_SUCCESS);
  for (int i = 0; i < 100; i++) CHECK_EQ(L[i], 0);
  CHECK_EQ(L[100], 0xEE);
  CHECK(client_pattern(r, 0x10000, 0x2000)); /* client memory never changes */
  nt_lsa_client_free(ctx, r);
}

static void L5_one_pass_never_maps(void) {
  nt_id r = vec_client();
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 1, 0);
  CHECK_EQ(from(r, 511, LCAP, 0x10000), STATUS_SUCCESS);
  CHECK(local_is(511, local_pattern));
  local_reset();
  CHECK_EQ(from(r, 512, LCAP, 0x10000), STATUS_INSUFFICIENT_RESOURCES); /* the threshold */
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void L6a_chunk_unreadable_partial(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 512, LCAP, 0x11E01), STATUS_PARTIAL_COPY);   /* vector 12 */
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 0x10001, LCAP, 0x100000), STATUS_PARTIAL_COPY); /* vector 16 */
  CHECK(local_is(0xE000, local_pattern));
  CHECK_EQ(L[0xE000], 0xEE);
  /* chunks start at the unaligned client address: chunk 1 = [a+57344, a+2*57344) */
  nt_id r2;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r2), STATUS_SUCCESS);
  map_pattern(r2, 0x400000, 0x30000, PAGE_READONLY);
  CHECK_EQ(nt_lsa_protect(ctx, r2, 0x420000, 0x1000, PAGE_NOACCESS), NT_LSA_OK);
  /* a = 0x400123: chunk 0 ends at 0x40E123, chunk 1 at 0x41C123 (readable), chunk 2 touches 0x420000 */
  local_reset();
  nt_span s = S(L, LCAP);
  cur_base = 0x400123;
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r2, 3 * NT_LSA_CHUNK, &s, 0x400123), STATUS_PARTIAL_COPY);
  CHECK(local_is(2 * NT_LSA_CHUNK, local_pattern));
  /* a page overlapped by only the chunk's last byte counts */
  local_reset();
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r2, 0x1FEDD, &s, 0x400123), STATUS_SUCCESS); /* last byte 0x41FFFF */
  CHECK(local_is(0x1FEDD, local_pattern));
  local_reset();
  cur_base = 0x400124;
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r2, 0x1FEDD, &s, 0x400124), STATUS_PARTIAL_COPY); /* last byte 0x420000 */
  CHECK(local_is(NT_LSA_CHUNK * 2, local_pattern));
  nt_lsa_client_free(ctx, r2);
  nt_lsa_client_free(ctx, r);
}

static void L6b_mapping_failure_per_chunk(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  map_pattern(r, 0x400000, 0x30000, PAGE_READWRITE);
  local_reset();
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 2, 1);
  CHECK_EQ(from(r, 3 * NT_LSA_CHUNK, LCAP, 0x400010), STATUS_INSUFFICIENT_RESOURCES);
  CHECK(local_is(NT_LSA_CHUNK, local_pattern));
  local_reset();
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 2, 3); /* a chunk the copy never reaches */
  CHECK_EQ(from(r, 3 * NT_LSA_CHUNK, LCAP, 0x400010), STATUS_SUCCESS);
  CHECK(local_is(3 * NT_LSA_CHUNK, local_pattern));
  local_reset();
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 1, 0);
  CHECK_EQ(from(r, 512, 8, 0x400010), STATUS_INSUFFICIENT_RESOURCES); /* L6b before L6c */
  CHECK_EQ(from(r, 512, LCAP, 0x42FF00), STATUS_PARTIAL_COPY);        /* L6a before L6b */
  CHECK(local_unchanged());
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 0, 0);
  CHECK_EQ(from(r, 512, LCAP, 0x400010), STATUS_SUCCESS);
  nt_lsa_client_free(ctx, r);
}

static void L6c_capacity_checked_at_chunk_0_only(void) {
  nt_id r = vec_client();
  CHECK_EQ(from(r, 0x10000, 0xFFFF, 0x100000), STATUS_ACCESS_VIOLATION);
  CHECK(local_unchanged());
  CHECK_EQ(from(r, 512, 0, 0x100000), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 512, NULL, 0x100000), STATUS_ACCESS_VIOLATION);
  /* room for chunk 0 is not enough: the probe at chunk 0 covers the whole Length */
  CHECK_EQ(from(r, 0xE001, 0xE000, 0x100000), STATUS_ACCESS_VIOLATION);
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void L6d_multi_chunk_copy(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  map_pattern(r, 0x400000, 0x30000, PAGE_EXECUTE_READ);
  local_reset();
  uint32_t n = 3 * NT_LSA_CHUNK + 77;
  CHECK_EQ(from(r, n, LCAP, 0x400F01), STATUS_SUCCESS);
  CHECK(local_is(n, local_pattern));
  local_reset();
  CHECK_EQ(from(r, 512, 512, 0x400000), STATUS_SUCCESS);
  CHECK(local_is(512, local_pattern));
  CHECK(client_pattern(r, 0x400000, 0x30000));
  nt_lsa_client_free(ctx, r);
}

static void L6c_and_partial_ordering_vector(void) {
  /* L6: chunk 0 of [0x100000, +0x10001) is readable, so L6c (C < Length) fires before chunk 1 */
  nt_id r = vec_client();
  CHECK_EQ(from(r, 0x10001, 0x10000, 0x100000), STATUS_ACCESS_VIOLATION);
  CHECK(local_unchanged());
  nt_lsa_client_free(ctx, r);
}

static void copy_to_rules_6_8(void) {
  nt_id r = vec_client();
  for (size_t i = 0; i < LCAP; i++) L[i] = (uint8_t)(0xA0 ^ i);
  /* spot vectors */
  CHECK_EQ(to(r, 16, 0x10000, LCAP), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x10000, big, 16), NT_LSA_OK);
  for (int i = 0; i < 16; i++) CHECK_EQ(big[i], (uint8_t)(0xA0 ^ i));
  CHECK(client_pattern(r, 0x10010, 0x1FF0));
  CHECK_EQ(to(r, 16, 0x11FF8, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK(client_pattern(r, 0x11000, 0x1000));
  CHECK_EQ(to(r, 0, 0xFFFF800000000000ull, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(nt_lsa_copy_to_client(ctx, r, 0, 0, NULL), STATUS_SUCCESS);
  /* one pass: source, then probe, then write */
  CHECK_EQ(to(r, 16, 0x11FF8, 8), STATUS_PARTIAL_COPY);
  CHECK_EQ(nt_lsa_copy_to_client(ctx, r, 16, 0x10100, NULL), STATUS_PARTIAL_COPY);
  CHECK(client_pattern(r, 0x10010, 0x1FF0));
  /* writable set */
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, PAGE_READONLY), NT_LSA_OK);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, PAGE_EXECUTE_READ), NT_LSA_OK);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, PAGE_READWRITE | PAGE_GUARD), NT_LSA_OK);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK(client_pattern(r, 0x10100, 4));
  static const uint32_t w[] = {PAGE_WRITECOPY, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY,
                               PAGE_READWRITE | PAGE_WRITECOMBINE};
  for (int i = 0; i < 4; i++) {
    CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, w[i]), NT_LSA_OK);
    CHECK_EQ(to(r, 4, 0x10100 + 4 * i, LCAP), STATUS_SUCCESS);
  }
  /* L3 write right, L4 */
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_READ | NT_LSA_RIGHT_OPERATION, 7);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_ACCESS_DENIED);
  CHECK_EQ(to(r, 0, 0x10100, LCAP), STATUS_SUCCESS); /* L2 */
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, 7, 7);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_PROCESS_IS_TERMINATING);
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  CHECK_EQ(to(r, 4, 0x10100, LCAP), STATUS_INVALID_HANDLE);
  nt_lsa_client_free(ctx, r);
}

static void copy_to_mapped_path_order(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  map_pattern(r, 0x400000, 0x30000, PAGE_READWRITE);
  for (size_t i = 0; i < LCAP; i++) L[i] = (uint8_t)(0x33 ^ (i >> 3));
  uint64_t a = 0x400123;
  uint32_t n = 3 * NT_LSA_CHUNK;
  /* source covers chunks 0 and 1 only: PARTIAL_COPY with the two chunks written */
  CHECK_EQ(to(r, n, a, 2 * NT_LSA_CHUNK + 5), STATUS_PARTIAL_COPY);
  CHECK_EQ(nt_lsa_peek(ctx, r, a, big, n), NT_LSA_OK);
  CHECK(memcmp(big, L, 2 * NT_LSA_CHUNK) == 0);
  CHECK(client_pattern(r, a + 2 * NT_LSA_CHUNK, NT_LSA_CHUNK));
  CHECK(client_pattern(r, 0x400000, 0x123));
  /* restore, then: chunk 0 source short precedes everything else */
  map_pattern(r, 0x500000, 0x1000, PAGE_READONLY);
  CHECK_EQ(to(r, 600, 0x500000, 599), STATUS_PARTIAL_COPY);
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 1, 0);
  CHECK_EQ(to(r, 600, 0x500000, LCAP), STATUS_INSUFFICIENT_RESOURCES); /* hook before the probe */
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 0, 0);
  CHECK_EQ(to(r, 600, 0x500000, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK(client_pattern(r, 0x500000, 0x1000));
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x400000), NT_LSA_OK);
  map_pattern(r, 0x400000, 0x30000, PAGE_READWRITE);
  /* the whole range is probed at chunk 0: an unwritable page in the last chunk leaves all unchanged */
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x42F000, 0x1000, PAGE_READONLY), NT_LSA_OK);
  CHECK_EQ(to(r, 0x2FF00, 0x400080, LCAP), STATUS_ACCESS_VIOLATION);
  CHECK(client_pattern(r, 0x400000, 0x30000));
  /* mapping failure at chunk 2: chunks 0 and 1 written */
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 2, 2);
  CHECK_EQ(to(r, n, a, LCAP), STATUS_INSUFFICIENT_RESOURCES);
  CHECK_EQ(nt_lsa_peek(ctx, r, a, big, n), NT_LSA_OK);
  CHECK(memcmp(big, L, 2 * NT_LSA_CHUNK) == 0);
  CHECK(client_pattern(r, a + 2 * NT_LSA_CHUNK, NT_LSA_CHUNK));
  nt_lsa_set(ctx, r, NT_LSA_MAPPING_FAILS, 0, 0);
  CHECK_EQ(to(r, n, a, LCAP), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_peek(ctx, r, a, big, n), NT_LSA_OK);
  CHECK(memcmp(big, L, n) == 0);
  CHECK(client_pattern(r, a + n, 0x30000 - 0x123 - n - 0x1000));
  CHECK(client_pattern(r, 0x400000, 0x123));
  nt_lsa_client_free(ctx, r);
}

static void allocate_rules_6_9(void) {
  nt_id r = vec_client();
  uint64_t a = 77;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0, &a), STATUS_INVALID_PARAMETER_4);
  CHECK_EQ(a, 0); /* out address cleared first */
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0, &a), STATUS_INVALID_PARAMETER_4); /* before L3 */
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 1, &a), STATUS_INVALID_HANDLE);
  nt_lsa_client_free(ctx, r);
  r = vec_client();
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_READ | NT_LSA_RIGHT_WRITE, 7);
  a = 77;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 1, &a), STATUS_ACCESS_DENIED);
  CHECK_EQ(a, 0);
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_OPERATION, 7);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 1, &a), STATUS_PROCESS_IS_TERMINATING);
  nt_lsa_client_free(ctx, r);
  r = vec_client();
  /* first fit from 0x10000 on 64 KiB boundaries: R1 holds 0x10000, so 0x20000 */
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 1, &a), STATUS_SUCCESS);
  CHECK_EQ(a, 0x20000);
  uint64_t b;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x10001, &b), STATUS_SUCCESS);
  CHECK_EQ(b, 0x30000); /* 0x20000's allocation is one page: the rest of that 64 KiB is unusable */
  uint64_t c3;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0xC0000, &c3), STATUS_SUCCESS);
  CHECK_EQ(c3, 0x110000); /* 0x50000 + 0xC0000 would overlap R2 at 0x100000 */
  /* page-rounded, committed read-write, zero-filled */
  local_reset();
  memset(L, 0x11, 0x1000);
  CHECK_EQ(to(r, 0x1000, a, LCAP), STATUS_SUCCESS);
  CHECK_EQ(to(r, 1, a + 0x1000, LCAP), STATUS_ACCESS_VIOLATION);
  local_reset();
  cur_base = 0;
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 0x11000, &(nt_span){L, LCAP}, b), STATUS_SUCCESS);
  for (size_t i = 0; i < 0x11000; i++)
    if (L[i] != 0) { CHECK(L[i] == 0); break; }
  CHECK_EQ(from(r, 1, LCAP, b + 0x11000), STATUS_PARTIAL_COPY);
  nt_lsa_client_free(ctx, r);
  /* STATUS_NO_MEMORY when no room below HighestUserAddress */
  CHECK_EQ(nt_lsa_client_create(ctx, 0x3FFFFu, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x30001, &a), STATUS_NO_MEMORY);
  CHECK_EQ(a, 0);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x30000, &a), STATUS_SUCCESS);
  CHECK_EQ(a, 0x10000);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 1, &a), STATUS_NO_MEMORY);
  nt_lsa_client_free(ctx, r);
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0xFFFFFFFFu, &a), STATUS_SUCCESS); /* 4 GiB costs nothing yet */
  CHECK_EQ(a, 0x10000);
  uint64_t runs, pages;
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(runs, 1);
  CHECK_EQ(pages, 0);
  nt_lsa_client_free(ctx, r);
}

static void free_rules_6_9(void) {
  nt_id r = vec_client();
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0), STATUS_SUCCESS);
  nt_lsa_set(ctx, r, NT_LSA_CLOSE_HANDLE, 0, 0);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0), STATUS_SUCCESS);           /* NULL before L3/L4 */
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x10000), STATUS_INVALID_HANDLE);
  nt_lsa_client_free(ctx, r);
  r = vec_client();
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_READ | NT_LSA_RIGHT_WRITE, 7);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x10000), STATUS_ACCESS_DENIED);
  nt_lsa_set(ctx, r, NT_LSA_SET_ACCESS, NT_LSA_RIGHT_OPERATION, 7);
  nt_lsa_set(ctx, r, NT_LSA_TERMINATE, 0, 0);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x10000), STATUS_PROCESS_IS_TERMINATING);
  nt_lsa_client_free(ctx, r);
  r = vec_client();
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x5000), STATUS_MEMORY_NOT_ALLOCATED);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x12000), STATUS_MEMORY_NOT_ALLOCATED);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0xFFFF800000000000ull), STATUS_MEMORY_NOT_ALLOCATED);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x11000), STATUS_FREE_VM_NOT_AT_BASE); /* S7.1: a later page */
  CHECK(client_pattern(r, 0x10000, 0x2000));
  /* the whole allocation goes, also when protect split it */
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x100000, 0x1000, PAGE_NOACCESS), NT_LSA_OK);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x108000, 0x1000, PAGE_READONLY), NT_LSA_OK);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x100000), STATUS_SUCCESS);
  CHECK_EQ(from(r, 1, LCAP, 0x10F000), STATUS_PARTIAL_COPY);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x100000, big, 1), NT_LSA_E_UNMAPPED);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x100000), STATUS_MEMORY_NOT_ALLOCATED);
  /* neighbours untouched; an allocation can be freed and reused, and comes back zeroed */
  CHECK(client_pattern(r, 0x10000, 0x2000));
  CHECK(client_pattern(r, 0x200000, 0x1000));
  uint64_t a;
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x10000, &a), STATUS_SUCCESS);
  CHECK_EQ(a, 0x20000);
  memset(L, 0x77, 16);
  CHECK_EQ(to(r, 16, a, 16), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_free_client(ctx, r, a), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x10000, &a), STATUS_SUCCESS);
  CHECK_EQ(a, 0x20000);
  CHECK_EQ(nt_lsa_peek(ctx, r, a, big, 16), NT_LSA_OK);
  for (int i = 0; i < 16; i++) CHECK_EQ(big[i], 0);
  nt_lsa_client_free(ctx, r);
}

/* S7.1: the address is rounded down to its page (NtFreeVirtualMemory): base + 1 .. base + 0xFFF free the
 * whole allocation; an address in any later page of it is STATUS_FREE_VM_NOT_AT_BASE, nothing freed. */
static void S7_1_free_rounds_down_to_the_page(void) {
  static const uint64_t firsts[] = {1, 0x7FF, 0xFFF};
  for (size_t k = 0; k < 3; k++) {
    nt_id r = vec_client();
    /* R2 = [0x100000, 0x110000): 16 pages; every later page, at its start, middle and end */
    for (uint64_t pg = 1; pg < 16; pg++) {
      uint64_t at = 0x100000 + pg * 0x1000;
      CHECK_EQ(nt_lsa_free_client(ctx, r, at), STATUS_FREE_VM_NOT_AT_BASE);
      CHECK_EQ(nt_lsa_free_client(ctx, r, at + firsts[k]), STATUS_FREE_VM_NOT_AT_BASE);
    }
    CHECK(client_pattern(r, 0x100000, 0x10000));
    CHECK_EQ(nt_lsa_free_client(ctx, r, 0x100000 + firsts[k]), STATUS_SUCCESS);
    CHECK_EQ(nt_lsa_peek(ctx, r, 0x100000, big, 1), NT_LSA_E_UNMAPPED);
    CHECK_EQ(nt_lsa_peek(ctx, r, 0x10FFFF, big, 1), NT_LSA_E_UNMAPPED);
    CHECK_EQ(nt_lsa_free_client(ctx, r, 0x100000 + firsts[k]), STATUS_MEMORY_NOT_ALLOCATED);
    CHECK(client_pattern(r, 0x10000, 0x2000)); /* neighbours untouched */
    CHECK(client_pattern(r, 0x200000, 0x1000));
    /* an AllocateClientBuffer region the same way; and a one-page mapping */
    uint64_t a;
    CHECK_EQ(nt_lsa_allocate_client(ctx, r, 0x2000, &a), STATUS_SUCCESS);
    CHECK_EQ(nt_lsa_free_client(ctx, r, a + 0x1000 + firsts[k]), STATUS_FREE_VM_NOT_AT_BASE);
    CHECK_EQ(nt_lsa_free_client(ctx, r, a + firsts[k]), STATUS_SUCCESS);
    CHECK_EQ(nt_lsa_peek(ctx, r, a, big, 1), NT_LSA_E_UNMAPPED);
    CHECK_EQ(nt_lsa_free_client(ctx, r, 0x201000 + firsts[k]), STATUS_SUCCESS); /* NOACCESS: still freed */
    CHECK(client_pattern(r, 0x200000, 0x1000));
    CHECK(client_pattern(r, 0x202000, 0x1000));
    /* an address in no page of any allocation, just past one */
    CHECK_EQ(nt_lsa_free_client(ctx, r, 0x12000 + firsts[k]), STATUS_MEMORY_NOT_ALLOCATED);
    nt_lsa_client_free(ctx, r);
  }
}

/* S7.2: one base value, at most one of GUARD / NOCACHE / WRITECOMBINE, none with NOACCESS. Every other
 * combination is refused by map and protect, and changes nothing. */
static void S7_2_protections_windows_accepts(void) {
  static const uint32_t bases[] = {PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE,
                                   PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY};
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  map_pattern(r, 0x10000, 0x1000, PAGE_READWRITE);
  uint64_t base = 0x100000;
  /* every base x every subset of the three modifiers: accepted exactly when at most one, none with NOACCESS */
  for (size_t b = 0; b < 8; b++) {
    for (uint32_t set = 0; set < 8; set++) {
      uint32_t mods = ((set & 1) ? PAGE_GUARD : 0) | ((set & 2) ? PAGE_NOCACHE : 0) | ((set & 4) ? PAGE_WRITECOMBINE : 0);
      int nmods = (set & 1) + ((set >> 1) & 1) + ((set >> 2) & 1);
      int ok = nmods == 0 || (nmods == 1 && bases[b] != PAGE_NOACCESS);
      uint32_t p = bases[b] | mods;
      CHECK_EQ(nt_lsa_map(ctx, r, base, 0x1000, NULL, 0, p), ok ? NT_LSA_OK : NT_LSA_E_PROTECT);
      if (!ok) CHECK_EQ(nt_lsa_peek(ctx, r, base, big, 1), NT_LSA_E_UNMAPPED); /* no mapping made */
      base += 0x1000;
      CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, p), ok ? NT_LSA_OK : NT_LSA_E_PROTECT);
      /* refused: the page is still READWRITE (readable, writable); restore it after an accepted one */
      if (!ok) {
        local_reset();
        CHECK_EQ(from(r, 4, LCAP, 0x10010), STATUS_SUCCESS);
        CHECK_EQ(to(r, 4, 0x10010, 4), STATUS_SUCCESS);
        CHECK_EQ(nt_lsa_poke(ctx, r, 0x10010, (const uint8_t *)"\x10\x11\x12\x13", 4), NT_LSA_OK);
      }
      CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x1000, PAGE_READWRITE), NT_LSA_OK);
    }
  }
  /* bits outside the three modifiers, and no base or two bases */
  CHECK_EQ(nt_lsa_map(ctx, r, base, 0x1000, NULL, 0, PAGE_READWRITE | 0x800), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, base, 0x1000, NULL, 0, PAGE_GUARD), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, base, 0x1000, NULL, 0, PAGE_READONLY | PAGE_READWRITE | PAGE_GUARD), NT_LSA_E_PROTECT);
  CHECK(client_pattern(r, 0x10000, 0x1000));
  nt_lsa_client_free(ctx, r);
}

static void host_controls(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10001, 1, NULL, 0, PAGE_READWRITE), NT_LSA_E_ALIGN);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0, NULL, 0, PAGE_READWRITE), NT_LSA_E_SIZE);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 1, NULL, 0, 0x3), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 1, NULL, 0, PAGE_NOACCESS | PAGE_GUARD), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 1, NULL, 0, PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 1, NULL, 0, 0x800 | PAGE_READWRITE), NT_LSA_E_PROTECT);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x7FFFFFFEF000ull, 0x1001, NULL, 0, PAGE_READWRITE), NT_LSA_E_RANGE);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x7FFFFFFEF000ull, 0x1000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  /* size rounded up; data copied in, rest zero */
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0x1001, (const uint8_t *)"abc", 3, PAGE_READONLY), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x10000, big, 0x2000), NT_LSA_OK);
  CHECK(memcmp(big, "abc", 3) == 0);
  for (size_t i = 3; i < 0x2000; i++) if (big[i]) { CHECK(big[i] == 0); break; }
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x11FFF, big, 2), NT_LSA_E_UNMAPPED);
  /* overlap in any form */
  CHECK_EQ(nt_lsa_map(ctx, r, 0x11000, 1, NULL, 0, PAGE_READWRITE), NT_LSA_E_OVERLAP);
  CHECK_EQ(nt_lsa_map(ctx, r, 0xF000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_E_OVERLAP);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x0, 0x100000, NULL, 0, PAGE_READWRITE), NT_LSA_E_OVERLAP);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x12000, 0x1000, NULL, 0, PAGE_READWRITE), NT_LSA_OK); /* adjacent is fine */
  /* poke bypasses protection, peek reads NOACCESS */
  CHECK_EQ(nt_lsa_poke(ctx, r, 0x10FFE, (const uint8_t *)"WXYZ", 4), NT_LSA_OK);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x2000, PAGE_NOACCESS), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x10FFE, big, 4), NT_LSA_OK);
  CHECK(memcmp(big, "WXYZ", 4) == 0);
  CHECK_EQ(nt_lsa_poke(ctx, r, 0x12FFF, (const uint8_t *)"WX", 2), NT_LSA_E_UNMAPPED);
  CHECK_EQ(nt_lsa_protect(ctx, r, 0x12000, 0x1001, PAGE_READONLY), NT_LSA_E_UNMAPPED);
  /* protect spans mappings and merges back */
  uint64_t runs, pages;
  for (int i = 0; i < 50; i++) {
    CHECK_EQ(nt_lsa_protect(ctx, r, 0x10800, 0x10, PAGE_READONLY), NT_LSA_OK);
    CHECK_EQ(nt_lsa_protect(ctx, r, 0x10000, 0x3000, PAGE_READWRITE), NT_LSA_OK);
  }
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(runs, 3);
  /* unmap needs the base of a mapping */
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x11000), NT_LSA_E_NOT_BASE);
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x30000), NT_LSA_E_UNMAPPED);
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x10000), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x10000, big, 1), NT_LSA_E_UNMAPPED);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0x1000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x10FFE, big, 2), NT_LSA_OK); /* remapped: zeros, not old data */
  CHECK_EQ(big[0], 0);
  CHECK_EQ(big[1], 0);
  /* all-zero data pages are not materialized */
  memset(big, 0, 0x10000);
  big[0x5000] = 1;
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  uint64_t before = pages;
  CHECK_EQ(nt_lsa_map(ctx, r, 0x800000, 0x10000, big, 0x10000, PAGE_READWRITE), NT_LSA_OK);
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(pages, before + 1);
  nt_lsa_client_free(ctx, r);
}

static void scaling_sparse(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x40000000, 0x40000000, NULL, 0, PAGE_READWRITE), NT_LSA_OK); /* 1 GiB */
  for (uint64_t i = 0; i < 5000; i++) {
    uint8_t d[8];
    for (int j = 0; j < 8; j++) d[j] = (uint8_t)(i + j);
    CHECK_EQ(nt_lsa_map(ctx, r, 0x100000000ull + i * 0x20000, 0x2000, d, 8, (i & 1) ? PAGE_READONLY : PAGE_READWRITE),
             NT_LSA_OK);
  }
  uint64_t runs, pages;
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(runs, 5001);
  CHECK_EQ(pages, 5000);
  local_reset();
  nt_span s = S(L, LCAP);
  for (uint64_t i = 0; i < 5000; i += 499) {
    CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 8, &s, 0x100000000ull + i * 0x20000), STATUS_SUCCESS);
    for (int j = 0; j < 8; j++) CHECK_EQ(L[j], (uint8_t)(i + j));
  }
  /* a write far into the 1 GiB region materializes just the pages it touches */
  memset(L, 0x42, 0x3000);
  CHECK_EQ(nt_lsa_copy_to_client(ctx, r, 0x2000, 0x7FFF0800, &s), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(pages, 5003);
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 0x3000, &s, 0x7FFF0000), STATUS_SUCCESS);
  CHECK_EQ(L[0x7FF], 0);
  CHECK_EQ(L[0x800], 0x42);
  CHECK_EQ(L[0x27FF], 0x42);
  CHECK_EQ(L[0x2800], 0);
  CHECK_EQ(nt_lsa_free_client(ctx, r, 0x40000000), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(runs, 5000);
  CHECK_EQ(pages, 5000);
  for (uint64_t i = 0; i < 5000; i += 2) CHECK_EQ(nt_lsa_unmap(ctx, r, 0x100000000ull + i * 0x20000), NT_LSA_OK);
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(pages, 2500);
  for (uint64_t i = 1; i < 5000; i += 498) {
    CHECK_EQ(nt_lsa_copy_from_client(ctx, r, 8, &s, 0x100000000ull + i * 0x20000), STATUS_SUCCESS);
    CHECK_EQ(L[0], (uint8_t)i);
  }
  nt_lsa_client_free(ctx, r);
}

/* One write across two adjacent mappings shares a storage block: releasing one mapping must keep
 * the other's bytes (ASan would flag a block freed too early). */
static void blocks_shared_by_adjacent_mappings(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x12000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  for (size_t i = 0; i < 0x4000; i++) big[i] = (uint8_t)(i * 3);
  nt_span s = S(big, 0x4000);
  CHECK_EQ(nt_lsa_copy_to_client(ctx, r, 0x4000, 0x10000, &s), STATUS_SUCCESS); /* spans both */
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x10000), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x12000, L, 0x2000), NT_LSA_OK);
  CHECK(memcmp(L, big + 0x2000, 0x2000) == 0);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  CHECK_EQ(nt_lsa_poke(ctx, r, 0x11FFE, (const uint8_t *)"abcd", 4), NT_LSA_OK); /* new block + old */
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x11FFC, L, 8), NT_LSA_OK);
  CHECK(L[0] == 0 && L[1] == 0 && memcmp(L + 2, "abcd", 4) == 0 && L[6] == (uint8_t)(0x2002 * 3));
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x12000), NT_LSA_OK);
  CHECK_EQ(nt_lsa_peek(ctx, r, 0x11FFE, L, 2), NT_LSA_OK);
  CHECK(memcmp(L, "ab", 2) == 0);
  uint64_t runs, pages;
  CHECK_EQ(nt_lsa_stats(ctx, r, &runs, &pages), NT_LSA_OK);
  CHECK_EQ(pages, 1);
  nt_lsa_client_free(ctx, r);
  local_reset();
}

/* A block whose pages are partly released is not read as one span: the released pages, mapped again,
 * read as their new (zero) contents, and a copy reading the block's live part on into them gets both. */
static void blocks_partly_released_read_per_page(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x10000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x12000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  for (size_t i = 0; i < 0x4000; i++) big[i] = (uint8_t)(i * 3 + 1);
  nt_span s = S(big, 0x4000);
  CHECK_EQ(nt_lsa_copy_to_client(ctx, r, 0x4000, 0x10000, &s), STATUS_SUCCESS); /* one block, 4 pages */
  CHECK_EQ(nt_lsa_unmap(ctx, r, 0x12000), NT_LSA_OK);                            /* 2 of them released */
  CHECK_EQ(nt_lsa_map(ctx, r, 0x12000, 0x2000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  local_reset();
  CHECK_EQ(from(r, 0x4000, LCAP, 0x10000), STATUS_SUCCESS);                      /* L6 path */
  CHECK(memcmp(L, big, 0x2000) == 0);
  for (size_t i = 0x2000; i < 0x4000; i++) CHECK_EQ(L[i], 0);
  local_reset();
  CHECK_EQ(from(r, 0x100, LCAP, 0x11F80), STATUS_SUCCESS);                       /* L5 path */
  CHECK(memcmp(L, big + 0x1F80, 0x80) == 0);
  for (size_t i = 0x80; i < 0x100; i++) CHECK_EQ(L[i], 0);
  nt_lsa_client_free(ctx, r);
  local_reset();
}

/* Seeded: pokes and unmaps through the page table against a flat reference array. */
static void page_table_randomized(void) {
  nt_id r;
  CHECK_EQ(nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &r), STATUS_SUCCESS);
  enum { NP = 64 };
  static uint8_t ref[NP * 0x1000];
  memset(ref, 0, sizeof ref);
  CHECK_EQ(nt_lsa_map(ctx, r, 0x1000000, NP * 0x1000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
  for (int it = 0; it < 3000; it++) {
    uint64_t off = t_rand() % (NP * 0x1000 - 64);
    uint8_t d[64];
    size_t n = 1 + t_rand() % 64;
    for (size_t i = 0; i < n; i++) d[i] = (uint8_t)t_rand();
    CHECK_EQ(nt_lsa_poke(ctx, r, 0x1000000 + off, d, n), NT_LSA_OK);
    memcpy(ref + off, d, n);
    if (it % 500 == 499) { /* remap: everything back to zeros */
      CHECK_EQ(nt_lsa_unmap(ctx, r, 0x1000000), NT_LSA_OK);
      CHECK_EQ(nt_lsa_map(ctx, r, 0x1000000, NP * 0x1000, NULL, 0, PAGE_READWRITE), NT_LSA_OK);
      memset(ref, 0, sizeof ref);
    }
  }
  nt_span s = S(big, sizeof big);
  CHECK_EQ(nt_lsa_copy_from_client(ctx, r, NP * 0x1000, &s, 0x1000000), STATUS_SUCCESS);
  CHECK(memcmp(big, ref, NP * 0x1000) == 0);
  nt_lsa_client_free(ctx, r);
}

int main(void) {
  ctx = t_ctx();
  (void)tv_detach; (void)tv_resize; (void)tv_alloc_fails; /* the LSA core owns client memory; local spans are passed per call */
  RUN(L0_null_stale_other_kind);
  RUN(L1_end_address_range_test);
  RUN(L2_zero_length_before_handle);
  RUN(L3_handle_state_and_read_right);
  RUN(L4_terminating);
  RUN(L5a_unreadable_source_nothing_written);
  RUN(L5b_local_capacity_after_source);
  RUN(L5c_copy_exact_bytes);
  RUN(L5_one_pass_never_maps);
  RUN(L6a_chunk_unreadable_partial);
  RUN(L6b_mapping_failure_per_chunk);
  RUN(L6c_capacity_checked_at_chunk_0_only);
  RUN(L6c_and_partial_ordering_vector);
  RUN(L6d_multi_chunk_copy);
  RUN(copy_to_rules_6_8);
  RUN(copy_to_mapped_path_order);
  RUN(allocate_rules_6_9);
  RUN(free_rules_6_9);
  RUN(S7_1_free_rounds_down_to_the_page);
  RUN(S7_2_protections_windows_accepts);
  RUN(host_controls);
  RUN(scaling_sparse);
  RUN(blocks_shared_by_adjacent_mappings);
  RUN(blocks_partly_released_read_per_page);
  RUN(page_table_randomized);
  nt_ctx_free(ctx);
  return T_DONE("core/lsa");
}
