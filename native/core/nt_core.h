/* ntcopy portable core: the one place where Windows semantics live.
 * C11, no Node headers, no allocation on copy paths. Every entry point returns a status, or
 * NT_FAULTED after filling ctx->fault (a bug check): then nothing was written (SEMANTICS 0.3). */
#ifndef NT_CORE_H
#define NT_CORE_H

#include <stddef.h>
#include <stdint.h>
#include "nt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NT_FAULTED 0xFFFFFFFFu /* not a status any routine returns */

typedef struct nt_fault {
  uint32_t code;
  uint64_t p[4];
} nt_fault;

/* Bytes of caller memory, valid for the current call only (DESIGN.md 3). A NULL C pointer is
 * passed as a NULL nt_span*, never as a span; a span's ptr may be NULL only when len is 0. */
typedef struct nt_span {
  uint8_t *ptr;
  size_t len;
} nt_span;

/* Handle ids: 0 is NULL; low 24 bits = table index + 1, the rest = generation (never reused, so a
 * stale or forged id is detected, never dereferenced). Ids stay below 2^53 (exact in a JS number). */
typedef uint64_t nt_id;
#define NT_ID_INDEX_BITS 24
#define NT_ID_INDEX_MASK ((1u << NT_ID_INDEX_BITS) - 1u)
#define NT_ID_MAX_GEN ((UINT64_C(1) << 29) - 1u)

typedef enum nt_type {
  NT_T_FREE = 0,
  NT_T_WDF_MEMORY,      /* WdfMemoryCreate */
  NT_T_WDF_MEMORY_PRE,  /* WdfMemoryCreatePreallocated (FX_TYPE_MEMORY_PREALLOCATED) */
  NT_T_WDF_MEMORY_REQ,  /* retrieved from a request */
  NT_T_WDF_REQUEST,
  NT_T_MDL,
  NT_T_NET_BUFFER,
  NT_T_NET_BUFFER_LIST,
  NT_T_NB_POOL,
  NT_T_NBL_POOL,
  NT_T_LSA_REQUEST,
  NT_T_COUNT
} nt_type;

/* How the core reaches caller memory it does not own. Implemented by the binding over JS views
 * (re-derived at every call: a view may have been detached or shrunk since), and by the C tests. */
typedef struct nt_view_ops {
  void *ud;
  /* Current bytes behind a registered view; {NULL, 0} when it was detached. */
  void (*resolve)(void *ud, uint32_t slot, nt_span *out);
  /* The core no longer needs the view. */
  void (*release)(void *ud, uint32_t slot);
  /* A new zero-filled view of `size` bytes owned by the core's object; 0 on success. */
  int (*alloc)(void *ud, uint64_t size, uint32_t *slot);
} nt_view_ops;

typedef struct nt_entry {
  uint32_t type;
  uint32_t next_free;  /* index + 1 of the next free entry, 0 = none */
  uint64_t gen;
  void *obj;
} nt_entry;

typedef struct nt_ctx {
  nt_view_ops ops;
  nt_entry *tab;
  uint32_t cap, used;
  uint32_t free_head, free_tail; /* FIFO of free indices + 1: a slot is reused as late as possible */
  uint32_t live;
  nt_fault fault;
  uint64_t chain_epoch;          /* bumped by every write that can change an MDL chain walk */
  void *ndis;                    /* family-private state */
  void *lsa;
} nt_ctx;

nt_ctx *nt_ctx_new(const nt_view_ops *ops);
void nt_ctx_free(nt_ctx *ctx);

/* Handle table (nt_handle.c). */
void *nt_handle_get(const nt_ctx *ctx, nt_id id, uint32_t *type_out);
void nt_handle_free(nt_ctx *ctx, nt_id id);
/* A zeroed object of `size` bytes registered under a new id, or NULL (out of memory or ids). */
void *nt_obj_new(nt_ctx *ctx, uint32_t type, size_t size, nt_id *id);

/* Inline: chain walks look up every MDL they step to. */
static inline void *nt_handle_get_type(const nt_ctx *ctx, nt_id id, uint32_t type) {
  uint64_t idx1 = id & NT_ID_INDEX_MASK;
  if (idx1 == 0 || idx1 > ctx->used) return NULL;
  const nt_entry *e = &ctx->tab[idx1 - 1];
  return (e->type == type && e->gen == (id >> NT_ID_INDEX_BITS)) ? e->obj : NULL;
}
uint32_t nt_fault_set(nt_ctx *ctx, uint32_t code, uint64_t p1, uint64_t p2, uint64_t p3, uint64_t p4);

/* ---- WDF (nt_wdf.c, SEMANTICS section 1) ---- */
#define NT_NONPAGED_POOL 0u
#define NT_PAGED_POOL 1u
#define NT_NONPAGED_POOL_NX 512u

/* Each returns a status or NT_FAULTED. `parent` 0 = no ParentObject. Out ids are written only
 * where the C routine writes its out pointer. */
uint32_t nt_wdf_memory_create(nt_ctx *ctx, nt_id parent, uint32_t pool_type, uint32_t pool_tag,
                              uint64_t size, nt_id *memory);
/* `slot` is a view registered by the caller; the core takes it over (releases it on failure). */
uint32_t nt_wdf_memory_create_preallocated(nt_ctx *ctx, nt_id parent, int has_buffer, uint32_t slot,
                                           uint64_t size, nt_id *memory);
uint32_t nt_wdf_memory_assign_buffer(nt_ctx *ctx, nt_id memory, int has_buffer, uint32_t slot,
                                     uint64_t size);
/* WdfMemoryGetBuffer: the view slot and size; faults 0x10D for a bad handle, 0x50 when the view no
 * longer holds `size` bytes. */
uint32_t nt_wdf_memory_get_buffer(nt_ctx *ctx, nt_id memory, uint32_t *slot, uint64_t *size);
uint32_t nt_wdf_memory_copy_from_buffer(nt_ctx *ctx, nt_id dst, uint64_t dst_off, const nt_span *buf,
                                        uint64_t n);
uint32_t nt_wdf_memory_copy_to_buffer(nt_ctx *ctx, nt_id src, uint64_t src_off, const nt_span *buf,
                                      uint64_t n);
uint32_t nt_wdf_object_delete(nt_ctx *ctx, nt_id object);
/* Sim.createRequest: in/out slots are taken over (has_* 0 = no buffer). requestor_mode is the IRP's
 * RequestorMode, KernelMode (0) or UserMode (1); the binding passes nothing else. */
uint32_t nt_wdf_request_create(nt_ctx *ctx, uint32_t major, uint32_t ioctl, uint32_t requestor_mode, int has_in,
                               uint32_t in_slot, int has_out, uint32_t out_slot, nt_id *request);
uint32_t nt_wdf_request_retrieve_memory(nt_ctx *ctx, nt_id request, int output, nt_id *memory);
/* Introspection for tests and the binding: object's type flags (read-only bit), 0 if not memory. */
uint32_t nt_wdf_memory_flags(const nt_ctx *ctx, nt_id memory);

#ifdef __cplusplus
}
#endif
#endif
#include "nt_ndis.h"
