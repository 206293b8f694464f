/* WDF memory objects and simulated requests: SEMANTICS.md section 1, API.md sections 3 and 7. */
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_family.h"
#include "nt_wdf_internal.h"

#define DRIVER_POOL_TAG 0x72447846u /* 'FxDr': what a PoolTag of 0 becomes (the driver's tag) */

static void view(nt_ctx *ctx, uint32_t slot, nt_span *out) { ctx->ops.resolve(ctx->ops.ud, slot, out); }

static wdf_hdr *hdr_of(nt_ctx *ctx, nt_id id) {
  uint32_t type;
  void *o = nt_handle_get(ctx, id, &type);
  return (o && type >= NT_T_WDF_MEMORY && type <= NT_T_WDF_REQUEST) ? (wdf_hdr *)o : NULL;
}

static wdf_mem *mem_of(nt_ctx *ctx, nt_id id) {
  uint32_t type;
  void *o = nt_handle_get(ctx, id, &type);
  return (o && (type == NT_T_WDF_MEMORY || type == NT_T_WDF_MEMORY_PRE || type == NT_T_WDF_MEMORY_REQ))
             ? (wdf_mem *)o : NULL;
}

/* W1/W2/T1: 0x10D WDF_INVALID_HANDLE; P2 = the handle (0 for NULL), P3 = the type asked for. */
static uint32_t bad_handle(nt_ctx *ctx, nt_id id, uint32_t fx_type) {
  return nt_fault_set(ctx, WDF_VIOLATION, WDF_INVALID_HANDLE, id, fx_type, 0);
}

/* W3/T2 and the Create* out/in pointers: 0x10D WDF_REQUIRED_PARAMETER_IS_NULL. */
static uint32_t null_param(nt_ctx *ctx) {
  return nt_fault_set(ctx, WDF_VIOLATION, WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, 0);
}

static void link_child(nt_ctx *ctx, nt_id parent, wdf_hdr *child) {
  child->parent = parent;
  if (!parent) return;
  wdf_hdr *p = hdr_of(ctx, parent);
  child->next_sibling = p->first_child;
  if (p->first_child) hdr_of(ctx, p->first_child)->prev_sibling = child->self;
  p->first_child = child->self;
}

static void unlink_child(nt_ctx *ctx, wdf_hdr *h) {
  if (h->prev_sibling) hdr_of(ctx, h->prev_sibling)->next_sibling = h->next_sibling;
  else if (h->parent) hdr_of(ctx, h->parent)->first_child = h->next_sibling;
  if (h->next_sibling) hdr_of(ctx, h->next_sibling)->prev_sibling = h->prev_sibling;
  h->parent = h->prev_sibling = h->next_sibling = 0;
}

/* Deletes root and every descendant, leaves first; iterative so deep parent chains cannot
 * exhaust the stack. */
static void delete_tree(nt_ctx *ctx, nt_id root) {
  nt_id cur = root;
  for (;;) {
    wdf_hdr *h = hdr_of(ctx, cur);
    if (h->first_child) { cur = h->first_child; continue; }
    nt_id parent = h->parent;
    unlink_child(ctx, h);
    nt_handle_free(ctx, cur);
    if (cur == root) return;
    cur = parent;
  }
}

/* Parent resolution comes first in every Create [SRC WDF-API]: a bad ParentObject bug checks. */
static uint32_t check_parent(nt_ctx *ctx, nt_id parent) {
  if (parent && !hdr_of(ctx, parent)) return bad_handle(ctx, parent, FX_TYPE_OBJECT);
  return STATUS_SUCCESS;
}

static uint32_t new_memory(nt_ctx *ctx, uint32_t type, nt_id parent, uint32_t slot, int owns_slot,
                           uint64_t size, uint32_t flags, nt_id *out) {
  nt_id id;
  wdf_mem *m = (wdf_mem *)nt_obj_new(ctx, type, sizeof *m, &id);
  if (!m) return STATUS_INSUFFICIENT_RESOURCES;
  m->h.self = id;
  m->slot = slot;
  m->has_view = 1;
  m->owns_slot = owns_slot;
  m->size = size;
  m->flags = flags;
  link_child(ctx, parent, &m->h);
  *out = m->h.self;
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_create(nt_ctx *ctx, nt_id parent, uint32_t pool_type, uint32_t pool_tag,
                              uint64_t size, nt_id *memory) {
  uint32_t st = check_parent(ctx, parent);
  if (st != STATUS_SUCCESS) return st;
  if (size == 0) return STATUS_INVALID_PARAMETER; /* *Memory not written in this case */
  *memory = 0;
  uint32_t slot;
  if (ctx->ops.alloc(ctx->ops.ud, size, &slot) != 0) return STATUS_INSUFFICIENT_RESOURCES;
  nt_id id;
  st = new_memory(ctx, NT_T_WDF_MEMORY, parent, slot, 1, size, 0, &id);
  if (st != STATUS_SUCCESS) {
    ctx->ops.release(ctx->ops.ud, slot);
    return st;
  }
  wdf_mem *m = mem_of(ctx, id);
  m->pool_type = pool_type;
  m->pool_tag = pool_tag ? pool_tag : DRIVER_POOL_TAG;
  *memory = id;
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_create_preallocated(nt_ctx *ctx, nt_id parent, int has_buffer, uint32_t slot,
                                           uint64_t size, nt_id *memory) {
  uint32_t st = check_parent(ctx, parent);
  if (st == STATUS_SUCCESS && !has_buffer) st = null_param(ctx); /* S7.4: whatever `size` says */
  if (st == STATUS_SUCCESS) {
    *memory = 0; /* written before the size check, unlike WdfMemoryCreate [SRC WDF-PRE] */
    if (size == 0) st = STATUS_INVALID_PARAMETER;
    else st = new_memory(ctx, NT_T_WDF_MEMORY_PRE, parent, slot, 1, size, 0, memory);
  }
  if (st != STATUS_SUCCESS && has_buffer) ctx->ops.release(ctx->ops.ud, slot);
  return st;
}

uint32_t nt_wdf_memory_assign_buffer(nt_ctx *ctx, nt_id memory, int has_buffer, uint32_t slot,
                                     uint64_t size) {
  wdf_mem *m = (wdf_mem *)nt_handle_get_type(ctx, memory, NT_T_WDF_MEMORY_PRE);
  uint32_t st = STATUS_SUCCESS;
  if (!m) st = bad_handle(ctx, memory, FX_TYPE_MEMORY_PREALLOCATED);
  else if (!has_buffer) st = null_param(ctx); /* S7.4: whatever `size` says */
  else if (size == 0) st = STATUS_INVALID_PARAMETER; /* object unchanged */
  if (st != STATUS_SUCCESS) {
    if (has_buffer) ctx->ops.release(ctx->ops.ud, slot);
    return st;
  }
  if (m->has_view && m->owns_slot) ctx->ops.release(ctx->ops.ud, m->slot);
  m->slot = slot;
  m->has_view = 1;
  m->owns_slot = 1;
  m->size = size;
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_get_buffer(nt_ctx *ctx, nt_id memory, uint32_t *slot, uint64_t *size) {
  wdf_mem *m = mem_of(ctx, memory);
  if (!m) return bad_handle(ctx, memory, IFX_TYPE_MEMORY);
  if (!m->has_view) { *size = 0; return STATUS_INVALID_PARAMETER; }
  nt_span s;
  view(ctx, m->slot, &s);
  /* [DECISION] handing out a pointer to memory that is gone is the driver touching it: 0x50. */
  if (s.len < m->size) return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, s.len, 0, 0, 0);
  *slot = m->slot;
  *size = m->size;
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_copy_from_buffer(nt_ctx *ctx, nt_id dst, uint64_t dst_off, const nt_span *buf,
                                        uint64_t n) {
  wdf_mem *m = mem_of(ctx, dst);
  if (!m) return bad_handle(ctx, dst, IFX_TYPE_MEMORY);               /* W1, W2 */
  if (!buf) return null_param(ctx);                                    /* W3 */
  if (n == 0) return STATUS_INVALID_PARAMETER;                         /* W4 */
  if (m->flags & IFX_MEMORY_FLAG_READ_ONLY) return STATUS_ACCESS_VIOLATION; /* W5 */
  if (dst_off != 0 && dst_off >= m->size) return STATUS_INVALID_BUFFER_SIZE; /* W6 */
  if (n > m->size - dst_off) return STATUS_INVALID_BUFFER_SIZE;        /* W7: subtraction form */
  if (!m->has_view) return STATUS_INVALID_BUFFER_SIZE;                 /* size-0 object: W7 fired */
  nt_span mem;
  view(ctx, m->slot, &mem);
  /* Object memory first, then the caller's view (API.md 7); judged per byte reached. */
  if (mem.len < dst_off + n)
    return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, mem.len > dst_off ? mem.len : dst_off, 1, 0, 0);
  if (buf->len < n) return nt_fault_set(ctx, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, buf->len, 0, 0, 0);
  memmove(mem.ptr + dst_off, buf->ptr, (size_t)n); /* W8; overlap = memmove [DECISION] */
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_copy_to_buffer(nt_ctx *ctx, nt_id src, uint64_t src_off, const nt_span *buf,
                                      uint64_t n) {
  wdf_mem *m = mem_of(ctx, src);
  if (!m) return bad_handle(ctx, src, IFX_TYPE_MEMORY);               /* T1 */
  if (!buf) return null_param(ctx);                                    /* T2 */
  if (n == 0) return STATUS_INVALID_PARAMETER;                         /* T3 */
  if (!m->has_view) return STATUS_INVALID_PARAMETER;                   /* T4 */
  if (src_off != 0 && src_off >= m->size) return STATUS_BUFFER_TOO_SMALL; /* T5 */
  if (n > m->size - src_off) return STATUS_BUFFER_TOO_SMALL;           /* T6; no read-only check */
  nt_span mem;
  view(ctx, m->slot, &mem);
  if (mem.len < src_off + n)
    return nt_fault_set(ctx, PAGE_FAULT_IN_NONPAGED_AREA, mem.len > src_off ? mem.len : src_off, 0, 0, 0);
  if (buf->len < n) return nt_fault_set(ctx, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, buf->len, 1, 0, 0);
  memmove(buf->ptr, mem.ptr + src_off, (size_t)n);                     /* T7 */
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_object_delete(nt_ctx *ctx, nt_id object) {
  uint32_t type;
  wdf_hdr *h = hdr_of(ctx, object);
  if (!h) return bad_handle(ctx, object, FX_TYPE_OBJECT);
  nt_handle_get(ctx, object, &type);
  /* S7.5: request memory is an offset handle into its FxRequest; resolved for FX_TYPE_OBJECT it is the
   * request, which allows the delete DDI: the request goes, and both its memories with it. */
  if (type == NT_T_WDF_MEMORY_REQ) object = h->parent;
  delete_tree(ctx, object);
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_request_create(nt_ctx *ctx, uint32_t major, uint32_t ioctl, uint32_t requestor_mode, int has_in,
                               uint32_t in_slot, int has_out, uint32_t out_slot, nt_id *request) {
  nt_id id;
  wdf_req *r = (wdf_req *)nt_obj_new(ctx, NT_T_WDF_REQUEST, sizeof *r, &id);
  if (!r) {
    if (has_in) ctx->ops.release(ctx->ops.ud, in_slot);
    if (has_out) ctx->ops.release(ctx->ops.ud, out_slot);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  r->h.self = id;
  r->major = major;
  r->ioctl = ioctl;
  r->requestor_mode = requestor_mode;
  r->has_in = has_in;
  r->has_out = has_out;
  r->in_slot = in_slot;
  r->out_slot = out_slot;
  nt_span s;
  if (has_in) { view(ctx, in_slot, &s); r->in_len = s.len; }   /* the IRP's lengths are fixed here */
  if (has_out) { view(ctx, out_slot, &s); r->out_len = s.len; }
  *request = r->h.self;
  return STATUS_SUCCESS;
}

/* Read-only per SEMANTICS 1.1: IRP_MJ_WRITE input; IOCTL input for IN/OUT_DIRECT; IOCTL output for
 * IN_DIRECT. METHOD_NEITHER buffers, where they are handed out (S7.6), are writable. */
static int request_memory_read_only(const wdf_req *r, int output) {
  int ioctl = r->major == IRP_MJ_DEVICE_CONTROL || r->major == IRP_MJ_INTERNAL_DEVICE_CONTROL;
  uint32_t method = r->ioctl & 3u;
  if (!output) return r->major == IRP_MJ_WRITE || (ioctl && (method == METHOD_IN_DIRECT || method == METHOD_OUT_DIRECT));
  return ioctl && method == METHOD_IN_DIRECT;
}

uint32_t nt_wdf_request_retrieve_memory(nt_ctx *ctx, nt_id request, int output, nt_id *memory) {
  wdf_req *r = (wdf_req *)nt_handle_get_type(ctx, request, NT_T_WDF_REQUEST);
  if (!r) return bad_handle(ctx, request, FX_TYPE_REQUEST);
  *memory = 0;
  /* SEMANTICS 6.2: the direction the request lacks. */
  if ((!output && r->major == IRP_MJ_READ) || (output && r->major == IRP_MJ_WRITE))
    return STATUS_INVALID_DEVICE_REQUEST;
  int has = output ? r->has_out : r->has_in;
  uint64_t len = output ? r->out_len : r->in_len;
  if (!has || len == 0) return STATUS_BUFFER_TOO_SMALL; /* 6.2; S7.6: before the transfer method */
  /* S7.6 [SRC fxrequest.cpp GetMemoryObject, GetDeviceControlOutputMemoryObject]: METHOD_NEITHER buffers
   * are refused only for a user-mode IRP_MJ_DEVICE_CONTROL; internal IOCTLs and kernel-mode requestors
   * get them (Type3InputBuffer / UserBuffer), writable. */
  if (r->major == IRP_MJ_DEVICE_CONTROL && (r->ioctl & 3u) == METHOD_NEITHER && r->requestor_mode != KernelMode)
    return STATUS_INVALID_DEVICE_REQUEST;
  nt_id *cached = output ? &r->out_mem : &r->in_mem;
  if (!*cached) {
    uint32_t flags = request_memory_read_only(r, output) ? IFX_MEMORY_FLAG_READ_ONLY : 0;
    uint32_t st = new_memory(ctx, NT_T_WDF_MEMORY_REQ, request, output ? r->out_slot : r->in_slot, 0, len,
                             flags, cached);
    if (st != STATUS_SUCCESS) return st;
  }
  *memory = *cached;
  return STATUS_SUCCESS;
}

uint32_t nt_wdf_memory_flags(const nt_ctx *ctx, nt_id memory) {
  uint32_t type;
  const wdf_mem *m = (const wdf_mem *)nt_handle_get(ctx, memory, &type);
  if (!m || (type != NT_T_WDF_MEMORY && type != NT_T_WDF_MEMORY_PRE && type != NT_T_WDF_MEMORY_REQ)) return 0;
  return m->flags;
}

void nt_wdf_obj_free(nt_ctx *ctx, uint32_t type, void *obj) {
  if (type == NT_T_WDF_REQUEST) {
    wdf_req *r = (wdf_req *)obj;
    if (r->has_in) ctx->ops.release(ctx->ops.ud, r->in_slot);
    if (r->has_out) ctx->ops.release(ctx->ops.ud, r->out_slot);
  } else {
    wdf_mem *m = (wdf_mem *)obj;
    if (m->has_view && m->owns_slot) ctx->ops.release(ctx->ops.ud, m->slot);
  }
  free(obj);
}
