/* NDIS family core API: MDLs, NET_BUFFERs, NET_BUFFER_LISTs, NdisCopyFromNetBufferToNetBuffer and its
 * companions (SEMANTICS.md section 2 and 6, API.md sections 4 and 7). Every routine returns a status
 * or NT_FAULTED (ctx->fault filled, nothing written), or NT_NDIS_ARG_ERROR when the JS layer must
 * throw a RangeError that only the object's state can decide (ByteCount over the described length,
 * DataLength + Delta over 0xFFFFFFFF). JS callbacks never run inside the core: the handler-driven
 * companions are split into steps that lib/ sequences around the handler call. */
#ifndef NT_NDIS_H
#define NT_NDIS_H
#include "nt_core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NT_NDIS_ARG_ERROR 0xFFFFFFFEu

/* MDL flags [SRC WDM], SEMANTICS 0.2. */
#define MDL_MAPPED_TO_SYSTEM_VA     0x0001u
#define MDL_PAGES_LOCKED            0x0002u
#define MDL_SOURCE_IS_NONPAGED_POOL 0x0004u
#define MDL_ALLOCATED_FIXED_SIZE    0x0008u
#define MDL_PARTIAL                 0x0010u
#define MDL_PARTIAL_HAS_BEEN_MAPPED 0x0020u
#define MDL_IO_PAGE_READ            0x0040u
#define MDL_WRITE_OPERATION         0x0080u
#define MDL_PARENT_MAPPED_SYSTEM_VA 0x0100u
#define MDL_LOCKED_PAGE_TABLES      0x0100u
#define MDL_FREE_EXTRA_PTES         0x0200u
#define MDL_DESCRIBES_AWE           0x0400u
#define MDL_IO_SPACE                0x0800u
#define MDL_NETWORK_HEADER          0x1000u
#define MDL_MAPPING_CAN_FAIL        0x2000u
#define MDL_ALLOCATED_MUST_SUCCEED  0x4000u
#define MDL_PAGE_CONTENTS_INVARIANT 0x4000u
#define MDL_INTERNAL                0x8000u

/* ---- MDLs ---- */
/* IoAllocateMdl (nonpaged 0) / NdisAllocateMdl (nonpaged 1) over view `slot` (taken over by the core):
 * `length` bytes from its start; `byte_offset` = the view's byteOffset in its ArrayBuffer (alignment
 * of NdisGetDataBuffer). The caller has checked length <= the view's byteLength. */
uint32_t nt_ndis_mdl_alloc(nt_ctx *ctx, uint32_t slot, uint32_t length, uint64_t byte_offset, int nonpaged,
                           nt_id *mdl);
uint32_t nt_ndis_mdl_free(nt_ctx *ctx, nt_id mdl);                 /* IoFreeMdl / NdisFreeMdl */
uint32_t nt_ndis_mdl_build_nonpaged(nt_ctx *ctx, nt_id mdl);       /* MmBuildMdlForNonPagedPool */

typedef struct nt_mdl_info {
  nt_id next;
  uint32_t byte_count, described, flags;
  int mapped_va;        /* MappedSystemVa is set */
  uint32_t slot;        /* the view the MDL describes */
  uint64_t byte_offset;
} nt_mdl_info;
uint32_t nt_ndis_mdl_get(nt_ctx *ctx, nt_id mdl, nt_mdl_info *out);
uint32_t nt_ndis_mdl_set_next(nt_ctx *ctx, nt_id mdl, nt_id next);
uint32_t nt_ndis_mdl_set_byte_count(nt_ctx *ctx, nt_id mdl, uint32_t byte_count);
/* The ByteCount described bytes as a view: map 0 = MmGetMdlVirtualAddress, 1 =
 * MmGetSystemAddressForMdlSafe (NDIS_STATUS_RESOURCES = it returned NULL), 2 = MappedSystemVa
 * (NDIS_STATUS_RESOURCES = NULL: not mapped). 0x50 when the view no longer holds those bytes. */
uint32_t nt_ndis_mdl_address(nt_ctx *ctx, nt_id mdl, int map, uint32_t *slot, uint32_t *len);
uint32_t nt_ndis_mdl_set_mapping_fails(nt_ctx *ctx, nt_id mdl, int fails); /* Sim.setMdlMappingFails */

/* ---- pools ---- */
uint32_t nt_ndis_pool_alloc(nt_ctx *ctx, int nbl_pool, nt_id *pool);
uint32_t nt_ndis_pool_free(nt_ctx *ctx, int nbl_pool, nt_id pool);

/* ---- NET_BUFFERs ---- */
enum { NT_NB_NEXT, NT_NB_CURRENT_MDL, NT_NB_CURRENT_MDL_OFFSET, NT_NB_DATA_LENGTH, NT_NB_DATA_OFFSET,
       NT_NB_MDL_CHAIN, NT_NB_FIELD_COUNT };
uint32_t nt_ndis_nb_alloc(nt_ctx *ctx, nt_id pool, nt_id mdl_chain, uint32_t data_offset, uint32_t data_length,
                          nt_id *nb);
uint32_t nt_ndis_nb_free(nt_ctx *ctx, nt_id nb);
uint32_t nt_ndis_nb_get(nt_ctx *ctx, nt_id nb, int field, uint64_t *value);
uint32_t nt_ndis_nb_set(nt_ctx *ctx, nt_id nb, int field, uint64_t value);

/* ---- NET_BUFFER_LISTs ---- */
enum { NT_NBL_NEXT, NT_NBL_FIRST_NB };
/* with_nb: NdisAllocateNetBufferAndNetBufferList (the NB is freed with the list). */
uint32_t nt_ndis_nbl_alloc(nt_ctx *ctx, nt_id pool, int with_nb, nt_id mdl_chain, uint32_t data_offset,
                           uint32_t data_length, nt_id *nbl);
uint32_t nt_ndis_nbl_free(nt_ctx *ctx, nt_id nbl);
uint32_t nt_ndis_nbl_get(nt_ctx *ctx, nt_id nbl, int field, nt_id *value);
uint32_t nt_ndis_nbl_set(nt_ctx *ctx, nt_id nbl, int field, nt_id value);

/* ---- NdisCopyFromNetBufferToNetBuffer (SEMANTICS 2.3) ---- */
/* bytes_copied NULL = a NULL BytesCopied (0x1E). Written only when no bug check. */
uint32_t nt_ndis_copy(nt_ctx *ctx, nt_id dst, uint32_t dst_off, uint32_t n, nt_id src, uint32_t src_off,
                      uint32_t *bytes_copied);

/* ---- companions (SEMANTICS 2.5, 6.3-6.5, API.md 7) ---- */
/* NdisAdvanceNetBufferDataStart. free_mdl: the Retreat-allocated head MDLs wholly before the new start
 * are unlinked and freed here; with a FreeMdlHandler lib passes free_mdl 0 and then calls
 * nt_ndis_advance_unlink_head once per MDL, handing each to the handler. */
uint32_t nt_ndis_advance(nt_ctx *ctx, nt_id nb, uint32_t delta, int free_mdl);
uint32_t nt_ndis_advance_unlink_head(nt_ctx *ctx, nt_id nb, nt_id *mdl); /* *mdl 0: none left */
/* NdisRetreatNetBufferDataStart. In place when DataOffset >= Delta (*need 0). Else, lib_alloc 1: the
 * library allocates the MDL; lib_alloc 0: nothing changes and *need = the Size to ask the handler for,
 * then nt_ndis_retreat_link links the handler's MDL (0 = it returned NULL: NDIS_STATUS_RESOURCES). */
uint32_t nt_ndis_retreat(nt_ctx *ctx, nt_id nb, uint32_t delta, uint32_t backfill, int lib_alloc, uint64_t *need);
uint32_t nt_ndis_retreat_link(nt_ctx *ctx, nt_id nb, uint32_t delta, uint32_t backfill, nt_id mdl);

/* NdisGetDataBuffer. align_multiple is a power of two, align_offset < align_multiple (lib checks). */
typedef struct nt_ndis_gdb {
  int kind;            /* 0 NULL, 1 a view into an MDL (slot, offset), 2 the Storage */
  uint32_t slot;
  uint64_t offset;
} nt_ndis_gdb;
uint32_t nt_ndis_get_data_buffer(nt_ctx *ctx, nt_id nb, uint32_t needed, const nt_span *storage,
                                 uint32_t align_multiple, uint32_t align_offset, nt_ndis_gdb *out);

/* Optional buffer groups (the binding: views over one ArrayBuffer). group(ud, slot, &g, &off, &len) -> 1
 * when the slot's bytes are always bytes [off, off + len) of group g's current bytes when those reach
 * that far, else none (a detached or shrunk buffer); 0 when the slot must go through ops.resolve.
 * resolve_group(ud, g): the group's current bytes ({NULL, 0}: none), asked once per group and call. The
 * copy then checks each buffer once per call instead of each MDL. Results are identical to resolving
 * every slot. Set once, before any MDL is allocated. */
typedef struct nt_ndis_group_ops {
  int (*group)(void *ud, uint32_t slot, uint32_t *group, uint64_t *off, uint64_t *len);
  nt_span (*resolve_group)(void *ud, uint32_t group);
} nt_ndis_group_ops;
void nt_ndis_set_group_ops(nt_ctx *ctx, const nt_ndis_group_ops *ops);

/* Seek strategy: 1 (default) per-NET_BUFFER prefix-sum index and the copy's one-pass stream, 0 the reference
 * walks only (linear seeks, every segment through copy_walk). Results are identical. */
void nt_ndis_set_index_enabled(nt_ctx *ctx, int enabled);

#ifdef __cplusplus
}
#endif
#endif
