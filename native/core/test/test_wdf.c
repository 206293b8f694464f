/* WDF rules of SEMANTICS.md section 1 (W*, T*, create/assign companions, requests 1.1/6.2). */
#include "t.h"
#include "nt_wdf_internal.h"

static nt_ctx *ctx;
static uint8_t mem_bytes[64];

/* M(S): a preallocated object of S bytes at mem_bytes[8..8+S) filled 0xAA, guard bytes 0x5A around. */
static nt_id M(uint64_t size) {
  memset(mem_bytes, 0x5A, sizeof mem_bytes);
  memset(mem_bytes + 8, 0xAA, (size_t)size);
  nt_id id = 0;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(mem_bytes + 8, (size_t)size), size, &id),
           STATUS_SUCCESS);
  return id;
}
static int unchanged(uint64_t size) {
  for (size_t i = 0; i < sizeof mem_bytes; i++) {
    uint8_t want = (i >= 8 && i < 8 + size) ? 0xAA : 0x5A;
    if (mem_bytes[i] != want) return 0;
  }
  return 1;
}
static uint8_t src[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static nt_span S(uint8_t *p, size_t n) { nt_span s = {p, n}; return s; }

static void W1_null_handle(void) {
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, 0, 0, &s, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, WDF_VIOLATION);
  CHECK_EQ(ctx->fault.p[0], 5);
  CHECK_EQ(ctx->fault.p[1], 0);
  CHECK_EQ(ctx->fault.p[2], 0x100A);
}
static void W2_wrong_type_deleted_forged(void) {
  nt_id req;
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_READ, 0, UserMode, 0, 0, 0, 0, &req), STATUS_SUCCESS);
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, req, 0, &s, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[1], req);
  CHECK_EQ(ctx->fault.p[2], 0x100A);
  nt_id m = M(8);
  CHECK_EQ(nt_wdf_object_delete(ctx, m), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 5);
  CHECK_EQ(ctx->fault.p[1], m);
  /* forged: right index, wrong generation; and an index past the table */
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m + (UINT64_C(7) << NT_ID_INDEX_BITS), 0, &s, 4), NT_FAULTED);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, 0xFFFFFF, 0, &s, 4), NT_FAULTED);
  nt_wdf_object_delete(ctx, req);
}
static void W3_null_buffer(void) {
  nt_id m = M(8);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, NULL, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, WDF_VIOLATION);
  CHECK_EQ(ctx->fault.p[0], 4);
  CHECK(unchanged(8));
  /* W3 precedes W4: NULL with n == 0 still bug checks */
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, NULL, 0), NT_FAULTED);
  nt_wdf_object_delete(ctx, m);
}
static void W4_zero_length_before_offset_and_read_only(void) {
  nt_id m = M(8);
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 0), STATUS_INVALID_PARAMETER);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 100, &s, 0), STATUS_INVALID_PARAMETER);
  CHECK(unchanged(8));
  nt_wdf_object_delete(ctx, m);
}
static void W5_read_only(void) {
  uint8_t in[8];
  memset(in, 0xAA, 8);
  nt_id req, m;
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_WRITE, 0, UserMode, 1, tv_register(in, 8), 0, 0, &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 0, &m), STATUS_SUCCESS);
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), STATUS_ACCESS_VIOLATION);
  /* W5 precedes W6 */
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 8, &s, 1), STATUS_ACCESS_VIOLATION);
  for (int i = 0; i < 8; i++) CHECK_EQ(in[i], 0xAA);
  /* reading read-only memory is allowed (T rules have no read-only check) */
  uint8_t out[8];
  nt_span o = S(out, 8);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 0, &o, 8), STATUS_SUCCESS);
  nt_wdf_object_delete(ctx, req);
}
static void W6_offset_at_or_past_size(void) {
  nt_id m = M(8);
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 8, &s, 1), STATUS_INVALID_BUFFER_SIZE);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, UINT64_MAX, &s, 1), STATUS_INVALID_BUFFER_SIZE);
  CHECK(unchanged(8));
  nt_wdf_object_delete(ctx, m);
}
static void W7_length_past_end_no_overflow(void) {
  nt_id m = M(8);
  nt_span s = S(src, 16);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 9), STATUS_INVALID_BUFFER_SIZE);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 4, &s, 5), STATUS_INVALID_BUFFER_SIZE);
  /* offset + n wraps to 3 in 64 bits: the subtraction form still refuses it */
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 4, &s, UINT64_MAX), STATUS_INVALID_BUFFER_SIZE);
  CHECK(unchanged(8));
  nt_wdf_object_delete(ctx, m);
}
static void W7_size_zero_null_buffer_object(void) {
  nt_id m = M(8);
  wdf_mem *o = (wdf_mem *)nt_handle_get(ctx, m, NULL);
  uint32_t slot = o->slot;
  o->has_view = 0; /* the embedded size-0 object no public path makes */
  o->size = 0;
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), STATUS_INVALID_BUFFER_SIZE);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 5, &s, 4), STATUS_INVALID_PARAMETER); /* T4 before T5 */
  o->has_view = 1;
  o->slot = slot;
  nt_wdf_object_delete(ctx, m);
}
static void W8_copy_and_guards(void) {
  nt_id m = M(8);
  nt_span s = S(src, 16);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 8), STATUS_SUCCESS); /* vector 1 */
  for (int i = 0; i < 8; i++) CHECK_EQ(mem_bytes[8 + i], i + 1);
  CHECK_EQ(mem_bytes[7], 0x5A);
  CHECK_EQ(mem_bytes[16], 0x5A);
  nt_wdf_object_delete(ctx, m);
  m = M(8);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), STATUS_SUCCESS); /* vector 2 */
  uint8_t want[8] = {1, 2, 3, 4, 0xAA, 0xAA, 0xAA, 0xAA};
  CHECK(memcmp(mem_bytes + 8, want, 8) == 0);
  nt_wdf_object_delete(ctx, m);
}
static void W8_overlap_is_memmove(void) {
  /* vector 27: M(8) = 00..07, Buffer = &buf[0], off 2, n 6 */
  uint8_t b[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  nt_id m;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(b, 8), 8, &m), STATUS_SUCCESS);
  nt_span s = S(b, 8);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 2, &s, 6), STATUS_SUCCESS);
  uint8_t want[8] = {0, 1, 0, 1, 2, 3, 4, 5};
  CHECK(memcmp(b, want, 8) == 0);
  nt_wdf_object_delete(ctx, m);
}
static void gone_memory_0x50_then_0xD6(void) {
  nt_id m = M(8);
  wdf_mem *o = (wdf_mem *)nt_handle_get(ctx, m, NULL);
  nt_span s = S(src, 2);
  tv_resize(o->slot, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), NT_FAULTED); /* 0xD6: bytes 0..3 exist */
  CHECK_EQ(ctx->fault.code, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
  CHECK_EQ(ctx->fault.p[1], 0);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 2, &s, 4), NT_FAULTED); /* reaches byte 4: 0x50 first */
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK_EQ(ctx->fault.p[1], 1);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 4, &s, 1), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK_EQ(ctx->fault.p[1], 0);
  tv_detach(o->slot);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 1), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, PAGE_FAULT_IN_NONPAGED_AREA);
  CHECK(unchanged(8));
  nt_wdf_object_delete(ctx, m);
}
static void T1_T2_T3(void) {
  uint8_t out[8];
  nt_span o = S(out, 8);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, 0, 0, &o, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 5);
  nt_id m = M(8);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 0, NULL, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 4);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 8, &o, 0), STATUS_INVALID_PARAMETER);
  nt_wdf_object_delete(ctx, m);
}
static void T5_T6_T7(void) {
  nt_id m = M(8);
  uint8_t out[10];
  memset(out, 0x33, sizeof out);
  nt_span o = S(out + 1, 8);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 8, &o, 1), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 4, &o, 5), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 4, &o, UINT64_MAX), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(out[1], 0x33);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 6, &o, 2), STATUS_SUCCESS);
  CHECK_EQ(out[0], 0x33);
  CHECK_EQ(out[1], 0xAA);
  CHECK_EQ(out[2], 0xAA);
  CHECK_EQ(out[3], 0x33);
  /* caller's view too short: 0xD6 write, nothing written */
  nt_span shorter = S(out + 1, 1);
  CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, m, 0, &shorter, 2), NT_FAULTED);
  CHECK_EQ(ctx->fault.code, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
  CHECK_EQ(ctx->fault.p[1], 1);
  CHECK_EQ(out[3], 0x33);
  nt_wdf_object_delete(ctx, m);
}
static void create_rules(void) {
  nt_id m = 77;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, NT_PAGED_POOL, 0, 0, &m), STATUS_INVALID_PARAMETER);
  CHECK_EQ(m, 77); /* *Memory not written for size 0 */
  CHECK_EQ(nt_wdf_memory_create(ctx, 12345, 0, 0, 8, &m), NT_FAULTED); /* bad parent first */
  CHECK_EQ(ctx->fault.p[0], 5);
  CHECK_EQ(ctx->fault.p[2], 0x1000);
  tv_alloc_fails = 1;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 8, &m), STATUS_INSUFFICIENT_RESOURCES);
  CHECK_EQ(m, 0);
  tv_alloc_fails = 0;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, NT_NONPAGED_POOL_NX, 0, 16, &m), STATUS_SUCCESS);
  wdf_mem *o = (wdf_mem *)nt_handle_get(ctx, m, NULL);
  CHECK_EQ(o->pool_type, NT_NONPAGED_POOL_NX);
  CHECK(o->pool_tag != 0);
  nt_span v;
  tv_resolve(NULL, o->slot, &v);
  for (int i = 0; i < 16; i++) CHECK_EQ(v.ptr[i], 0); /* zero-filled [DECISION] */
  nt_wdf_object_delete(ctx, m);
}
static void create_preallocated_rules(void) {
  uint8_t b[8];
  nt_id m = 77;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 0, 0, 8, &m), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 4);
  CHECK_EQ(m, 77);
  int before = tv_released;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(b, 8), 0, &m), STATUS_INVALID_PARAMETER);
  CHECK_EQ(m, 0); /* *PMemory = NULL written before the size check */
  CHECK_EQ(tv_released, before + 1);
}
static void assign_buffer_rules(void) {
  uint8_t a[8], b[4];
  memset(b, 0, 4);
  nt_id m, c;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(a, 8), 8, &m), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 8, &c), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_assign_buffer(ctx, c, 1, tv_register(b, 4), 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 5);
  CHECK_EQ(ctx->fault.p[2], 0x1022);
  CHECK_EQ(nt_wdf_memory_assign_buffer(ctx, m, 0, 0, 4), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[0], 4);
  CHECK_EQ(nt_wdf_memory_assign_buffer(ctx, m, 1, tv_register(b, 4), 0), STATUS_INVALID_PARAMETER);
  nt_span s = S(src, 8);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 8), STATUS_SUCCESS); /* still the old size */
  CHECK_EQ(nt_wdf_memory_assign_buffer(ctx, m, 1, tv_register(b, 4), 4), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 5), STATUS_INVALID_BUFFER_SIZE);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), STATUS_SUCCESS);
  CHECK_EQ(b[3], 4);
  nt_wdf_object_delete(ctx, m);
  nt_wdf_object_delete(ctx, c);
}
/* SEMANTICS 1.1 read-only table, 6.2 directions, S7.6 METHOD_NEITHER by major and RequestorMode. */
static void requests_read_only_table_and_S7_6_method_neither(void) {
  static const struct { uint32_t major, ioctl, mode; int output; uint32_t st; int ro; } rows[] = {
      {IRP_MJ_READ, 0, UserMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_READ, 0, UserMode, 0, STATUS_INVALID_DEVICE_REQUEST, 0},
      {IRP_MJ_READ, 0, KernelMode, 0, STATUS_INVALID_DEVICE_REQUEST, 0},
      {IRP_MJ_WRITE, 0, UserMode, 0, STATUS_SUCCESS, 1},
      {IRP_MJ_WRITE, 0, UserMode, 1, STATUS_INVALID_DEVICE_REQUEST, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222000, UserMode, 0, STATUS_SUCCESS, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222000, UserMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222001, UserMode, 0, STATUS_SUCCESS, 1},
      {IRP_MJ_DEVICE_CONTROL, 0x222001, UserMode, 1, STATUS_SUCCESS, 1},
      {IRP_MJ_DEVICE_CONTROL, 0x222002, UserMode, 0, STATUS_SUCCESS, 1},
      {IRP_MJ_DEVICE_CONTROL, 0x222002, UserMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222001, KernelMode, 0, STATUS_SUCCESS, 1}, /* the mode changes only NEITHER */
      /* S7.6: METHOD_NEITHER refused only for a user-mode IRP_MJ_DEVICE_CONTROL */
      {IRP_MJ_DEVICE_CONTROL, 0x222003, UserMode, 0, STATUS_INVALID_DEVICE_REQUEST, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222003, UserMode, 1, STATUS_INVALID_DEVICE_REQUEST, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222003, KernelMode, 0, STATUS_SUCCESS, 0},
      {IRP_MJ_DEVICE_CONTROL, 0x222003, KernelMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_INTERNAL_DEVICE_CONTROL, 0x222003, UserMode, 0, STATUS_SUCCESS, 0},
      {IRP_MJ_INTERNAL_DEVICE_CONTROL, 0x222003, UserMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_INTERNAL_DEVICE_CONTROL, 0x222003, KernelMode, 1, STATUS_SUCCESS, 0},
      {IRP_MJ_INTERNAL_DEVICE_CONTROL, 0x222001, UserMode, 0, STATUS_SUCCESS, 1},
      {IRP_MJ_INTERNAL_DEVICE_CONTROL, 0x222001, UserMode, 1, STATUS_SUCCESS, 1},
  };
  uint8_t in[4], out[4];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    nt_id req, m = 99;
    CHECK_EQ(nt_wdf_request_create(ctx, rows[i].major, rows[i].ioctl, rows[i].mode, 1, tv_register(in, 4), 1,
                                   tv_register(out, 4), &req), STATUS_SUCCESS);
    CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, rows[i].output, &m), rows[i].st);
    if (rows[i].st == STATUS_SUCCESS) {
      CHECK_EQ((nt_wdf_memory_flags(ctx, m) & IFX_MEMORY_FLAG_READ_ONLY) != 0, rows[i].ro);
      /* the memory is the buffer: a copy into writable memory lands in it, guards around it untouched */
      uint8_t *target = rows[i].output ? out : in;
      memset(in, 0xAA, 4);
      memset(out, 0xAA, 4);
      nt_span s = S(src, 4);
      CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), rows[i].ro ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
      CHECK_EQ(target[0], rows[i].ro ? 0xAA : 1);
      CHECK_EQ(target[3], rows[i].ro ? 0xAA : 4);
      CHECK_EQ((rows[i].output ? in : out)[0], 0xAA);
      nt_id again;
      CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, rows[i].output, &again), STATUS_SUCCESS);
      CHECK_EQ(again, m);
    } else {
      CHECK_EQ(m, 0);
    }
    nt_wdf_object_delete(ctx, req);
  }
}
static void requests_missing_buffer_and_lifetime(void) {
  uint8_t out[4] = {0};
  nt_id req, m;
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_READ, 0, UserMode, 0, 0, 1, tv_register(out, 0), &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), STATUS_BUFFER_TOO_SMALL);
  nt_wdf_object_delete(ctx, req);
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_DEVICE_CONTROL, 0, UserMode, 0, 0, 0, 0, &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 0, &m), STATUS_BUFFER_TOO_SMALL);
  nt_wdf_object_delete(ctx, req);
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_READ, 0, UserMode, 0, 0, 1, tv_register(out, 4), &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), STATUS_SUCCESS);
  nt_span s = S(src, 4);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), STATUS_SUCCESS);
  CHECK_EQ(out[3], 4);
  CHECK_EQ(nt_wdf_object_delete(ctx, req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, 0, &s, 4), NT_FAULTED); /* died with its request */
  CHECK_EQ(ctx->fault.p[0], 5);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[2], 0x1008);
}
/* S7.6: for both IOCTL majors a missing or zero-length buffer is STATUS_BUFFER_TOO_SMALL before the
 * METHOD_NEITHER refusal; for READ / WRITE the missing direction still comes first (6.2). */
static void S7_6_buffer_too_small_before_method(void) {
  uint8_t b[4];
  static const uint32_t majors[] = {IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL};
  for (int i = 0; i < 2; i++) {
    for (int output = 0; output < 2; output++) {
      nt_id req, m = 99;
      /* no buffer at all */
      CHECK_EQ(nt_wdf_request_create(ctx, majors[i], 0x222003, UserMode, 0, 0, 0, 0, &req), STATUS_SUCCESS);
      CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, output, &m), STATUS_BUFFER_TOO_SMALL);
      CHECK_EQ(m, 0);
      nt_wdf_object_delete(ctx, req);
      /* zero-length buffers */
      CHECK_EQ(nt_wdf_request_create(ctx, majors[i], 0x222003, UserMode, 1, tv_register(b, 0), 1, tv_register(b, 0),
                                     &req), STATUS_SUCCESS);
      CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, output, &m), STATUS_BUFFER_TOO_SMALL);
      nt_wdf_object_delete(ctx, req);
    }
  }
  nt_id req, m;
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_READ, 0, UserMode, 0, 0, 0, 0, &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 0, &m), STATUS_INVALID_DEVICE_REQUEST);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), STATUS_BUFFER_TOO_SMALL);
  nt_wdf_object_delete(ctx, req);
  CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_WRITE, 0, KernelMode, 0, 0, 0, 0, &req), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), STATUS_INVALID_DEVICE_REQUEST);
  CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 0, &m), STATUS_BUFFER_TOO_SMALL);
  nt_wdf_object_delete(ctx, req);
}
/* S7.5: WdfObjectDelete on request memory deletes the request: both memories, the request and the
 * request's children are stale (0x10D/0x5 with each routine's own P3); the call itself returns. */
static void S7_5_delete_request_memory_deletes_request(void) {
  uint8_t in[4] = {0}, out[4] = {0};
  for (int which = 0; which < 2; which++) {
    nt_id req, mi, mo, child;
    uint32_t live = ctx->live;
    CHECK_EQ(nt_wdf_request_create(ctx, IRP_MJ_DEVICE_CONTROL, 0x222000, UserMode, 1, tv_register(in, 4), 1,
                                   tv_register(out, 4), &req), STATUS_SUCCESS);
    CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 0, &mi), STATUS_SUCCESS);
    CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &mo), STATUS_SUCCESS);
    CHECK_EQ(nt_wdf_memory_create(ctx, req, 0, 0, 8, &child), STATUS_SUCCESS);
    int released = tv_released;
    CHECK_EQ(nt_wdf_object_delete(ctx, which ? mo : mi), STATUS_SUCCESS);
    CHECK_EQ(ctx->live, live);                 /* request, both memories and the child are gone */
    CHECK_EQ(tv_released, released + 3);       /* in, out, and the child's own buffer */
    nt_span s = S(src, 4);
    CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, mi, 0, &s, 4), NT_FAULTED);
    CHECK_EQ(ctx->fault.code, WDF_VIOLATION);
    CHECK_EQ(ctx->fault.p[0], 5);
    CHECK_EQ(ctx->fault.p[1], mi);
    CHECK_EQ(ctx->fault.p[2], 0x100A);
    CHECK_EQ(nt_wdf_memory_copy_to_buffer(ctx, mo, 0, &s, 4), NT_FAULTED);
    CHECK_EQ(ctx->fault.p[2], 0x100A);
    CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, child, 0, &s, 4), NT_FAULTED);
    nt_id m;
    CHECK_EQ(nt_wdf_request_retrieve_memory(ctx, req, 1, &m), NT_FAULTED);
    CHECK_EQ(ctx->fault.p[1], req);
    CHECK_EQ(ctx->fault.p[2], 0x1008);
    CHECK_EQ(nt_wdf_object_delete(ctx, req), NT_FAULTED);
    CHECK_EQ(ctx->fault.p[2], 0x1000);
    CHECK_EQ(nt_wdf_object_delete(ctx, which ? mi : mo), NT_FAULTED);
    CHECK_EQ(ctx->fault.p[2], 0x1000);
    for (int i = 0; i < 4; i++) CHECK(in[i] == 0 && out[i] == 0); /* nothing written */
  }
}
/* S7.4: a NULL Buffer is 0x10D/0x4 whatever BufferSize says (0, small, huge); nothing created or changed. */
static void S7_4_null_buffer_with_size(void) {
  static const uint64_t sizes[] = {0, 1, 8, UINT64_MAX};
  uint8_t a[8];
  memset(a, 0xAA, 8);
  nt_id pre;
  CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(a, 8), 8, &pre), STATUS_SUCCESS);
  for (size_t i = 0; i < 4; i++) {
    nt_id m = 77;
    uint32_t live = ctx->live;
    CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 0, 0, sizes[i], &m), NT_FAULTED);
    CHECK_EQ(ctx->fault.code, WDF_VIOLATION);
    CHECK_EQ(ctx->fault.p[0], 4);
    CHECK_EQ(ctx->fault.p[1], 0);
    CHECK_EQ(m, 77);
    CHECK_EQ(ctx->live, live);
    CHECK_EQ(nt_wdf_memory_assign_buffer(ctx, pre, 0, 0, sizes[i]), NT_FAULTED);
    CHECK_EQ(ctx->fault.p[0], 4);
    CHECK_EQ(ctx->fault.p[1], 0);
  }
  nt_span s = S(src, 8);
  CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, pre, 0, &s, 8), STATUS_SUCCESS); /* still the old buffer, size 8 */
  CHECK_EQ(a[7], 8);
  nt_wdf_object_delete(ctx, pre);
}
static void delete_cascades_to_children(void) {
  nt_id parent, child, grandchild;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 8, &parent), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_create(ctx, parent, 0, 0, 8, &child), STATUS_SUCCESS);
  CHECK_EQ(nt_wdf_memory_create(ctx, child, 0, 0, 8, &grandchild), STATUS_SUCCESS);
  uint32_t live = ctx->live;
  CHECK_EQ(nt_wdf_object_delete(ctx, child), STATUS_SUCCESS);
  CHECK_EQ(ctx->live, live - 2);
  CHECK(nt_handle_get(ctx, grandchild, NULL) == NULL);
  CHECK(nt_handle_get(ctx, parent, NULL) != NULL);
  CHECK_EQ(nt_wdf_object_delete(ctx, child), NT_FAULTED);
  CHECK_EQ(ctx->fault.p[2], 0x1000);
  CHECK_EQ(nt_wdf_object_delete(ctx, 0), NT_FAULTED);
  CHECK_EQ(nt_wdf_object_delete(ctx, parent), STATUS_SUCCESS);
}
static void handle_ids_never_repeat(void) {
  nt_id first, id;
  CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 1, &first), STATUS_SUCCESS);
  nt_wdf_object_delete(ctx, first);
  for (int i = 0; i < 10000; i++) {
    CHECK_EQ(nt_wdf_memory_create(ctx, 0, 0, 0, 1, &id), STATUS_SUCCESS);
    CHECK(id != first);
    nt_wdf_object_delete(ctx, id);
  }
  CHECK(id < (UINT64_C(1) << 53));
}
static void randomized_against_rules(void) {
  /* Seeded: random size/offset/length around the edges; the expected status follows W4..W8 directly. */
  uint8_t buf[40], ref[40], in[40];
  for (int iter = 0; iter < 20000; iter++) {
    uint64_t size = 1 + t_rand() % 32, off, n;
    switch (t_rand() % 4) {
      case 0: off = t_rand() % 40; break;
      case 1: off = size; break;
      case 2: off = UINT64_MAX - t_rand() % 4; break;
      default: off = 0;
    }
    n = (t_rand() % 5 == 0) ? UINT64_MAX - t_rand() % 4 : t_rand() % 40;
    for (int i = 0; i < 40; i++) { buf[i] = (uint8_t)t_rand(); in[i] = (uint8_t)t_rand(); }
    memcpy(ref, buf, 40);
    nt_id m;
    CHECK_EQ(nt_wdf_memory_create_preallocated(ctx, 0, 1, tv_register(buf + 4, (size_t)size), size, &m), STATUS_SUCCESS);
    nt_span s = S(in, 40);
    uint32_t want = n == 0 ? STATUS_INVALID_PARAMETER
                  : (off != 0 && off >= size) || n > size - off ? STATUS_INVALID_BUFFER_SIZE
                  : n > 40 ? NT_FAULTED : STATUS_SUCCESS;
    if (want == STATUS_SUCCESS) memcpy(ref + 4 + off, in, (size_t)n);
    CHECK_EQ(nt_wdf_memory_copy_from_buffer(ctx, m, off, &s, n), want);
    CHECK(memcmp(buf, ref, 40) == 0);
    nt_wdf_object_delete(ctx, m);
  }
}

int main(void) {
  ctx = t_ctx();
  RUN(W1_null_handle);
  RUN(W2_wrong_type_deleted_forged);
  RUN(W3_null_buffer);
  RUN(W4_zero_length_before_offset_and_read_only);
  RUN(W5_read_only);
  RUN(W6_offset_at_or_past_size);
  RUN(W7_length_past_end_no_overflow);
  RUN(W7_size_zero_null_buffer_object);
  RUN(W8_copy_and_guards);
  RUN(W8_overlap_is_memmove);
  RUN(gone_memory_0x50_then_0xD6);
  RUN(T1_T2_T3);
  RUN(T5_T6_T7);
  RUN(create_rules);
  RUN(create_preallocated_rules);
  RUN(assign_buffer_rules);
  RUN(requests_read_only_table_and_S7_6_method_neither);
  RUN(requests_missing_buffer_and_lifetime);
  RUN(S7_6_buffer_too_small_before_method);
  RUN(S7_5_delete_request_memory_deletes_request);
  RUN(S7_4_null_buffer_with_size);
  RUN(delete_cascades_to_children);
  RUN(handle_ids_never_repeat);
  RUN(randomized_against_rules);
  nt_ctx_free(ctx);
  return T_DONE("core/wdf");
}
