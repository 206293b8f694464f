/* LSA client buffers: SEMANTICS.md section 3 (L0..L6, 3.4 companions), section 6 rules 1, 8, 9, 10;
 * API.md sections 5 and 7. The simulated client process's memory is owned by the core. */
#ifndef NT_LSA_H
#define NT_LSA_H
#include "nt_core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NT_LSA_PAGE_SIZE 0x1000u
#define NT_LSA_PAGE_SHIFT 12u
#define NT_LSA_POOL_MAX 511u          /* L5: WRK MiDoPoolCopy threshold (ReactOS uses 512) */
#define NT_LSA_CHUNK 57344u           /* L6: 14 pages per mapped-path chunk (WRK MiDoMappedCopy) */
#define NT_LSA_DEFAULT_HIGHEST UINT64_C(0x00007FFFFFFEFFFF)
#define NT_LSA_LOWEST_ALLOC UINT64_C(0x10000)  /* MM_LOWEST_USER_ADDRESS */
#define NT_LSA_ALLOC_ALIGN UINT64_C(0x10000)   /* allocation granularity: 64 KiB */

#define PAGE_NOACCESS          0x01u
#define PAGE_READONLY          0x02u
#define PAGE_READWRITE         0x04u
#define PAGE_WRITECOPY         0x08u
#define PAGE_EXECUTE           0x10u
#define PAGE_EXECUTE_READ      0x20u
#define PAGE_EXECUTE_READWRITE 0x40u
#define PAGE_EXECUTE_WRITECOPY 0x80u
#define PAGE_GUARD             0x100u
#define PAGE_NOCACHE           0x200u
#define PAGE_WRITECOMBINE      0x400u

/* Client process handle rights (setAccess): PROCESS_VM_READ, _WRITE, _OPERATION. */
#define NT_LSA_RIGHT_READ      1u
#define NT_LSA_RIGHT_WRITE     2u
#define NT_LSA_RIGHT_OPERATION 4u

/* Host-control results (not Windows statuses: the binding turns them into JS errors). */
#define NT_LSA_OK           0
#define NT_LSA_E_HANDLE    -1  /* not a client request handle */
#define NT_LSA_E_ALIGN     -2  /* base not page-aligned */
#define NT_LSA_E_RANGE     -3  /* outside [0, HighestUserAddress] */
#define NT_LSA_E_OVERLAP   -4  /* map over an existing mapping */
#define NT_LSA_E_UNMAPPED  -5  /* a page of the range is not mapped */
#define NT_LSA_E_PROTECT   -6  /* not a valid PAGE_* combination */
#define NT_LSA_E_NOMEM     -7  /* host out of memory */
#define NT_LSA_E_NOT_BASE  -8  /* unmap: not the base of a mapping */
#define NT_LSA_E_SIZE      -9  /* size 0 */

/* Client state switches (nt_lsa_set). */
typedef enum nt_lsa_switch {
  NT_LSA_CLOSE_HANDLE = 1, /* L3: STATUS_INVALID_HANDLE from now on */
  NT_LSA_SET_ACCESS,       /* k = NT_LSA_RIGHT_* bits to set, value = their new state; others kept */
  NT_LSA_TERMINATE,        /* L4 */
  NT_LSA_MAPPING_FAILS,    /* value: 0 off, 1 every chunk, 2 only chunk `k` (L6b) */
  NT_LSA_COMPLETE          /* L0: the request is stale for LSA calls; host controls keep working */
} nt_lsa_switch;

/* Sim.createClientRequest: an empty address space whose highest user address is `highest`
 * (low 12 bits all set; the binding checks). */
uint32_t nt_lsa_client_create(nt_ctx *ctx, uint64_t highest, nt_id *request);
/* Drops the core object (the JS handle object is gone). */
void nt_lsa_client_free(nt_ctx *ctx, nt_id request);

/* Host controls: NT_LSA_OK or NT_LSA_E_*. They bypass protections and ignore complete(). */
int nt_lsa_protect_valid(uint32_t protect);
int nt_lsa_map(nt_ctx *ctx, nt_id request, uint64_t base, uint64_t size, const uint8_t *data, size_t data_len,
               uint32_t protect);
int nt_lsa_protect(nt_ctx *ctx, nt_id request, uint64_t base, uint64_t size, uint32_t protect);
int nt_lsa_unmap(nt_ctx *ctx, nt_id request, uint64_t base);
int nt_lsa_peek(nt_ctx *ctx, nt_id request, uint64_t addr, uint8_t *out, size_t len); /* out NULL: check only */
int nt_lsa_poke(nt_ctx *ctx, nt_id request, uint64_t addr, const uint8_t *data, size_t len);
int nt_lsa_set(nt_ctx *ctx, nt_id request, nt_lsa_switch what, uint32_t value, uint64_t k);
/* Introspection for tests: regions (runs) and materialized pages of the client. */
int nt_lsa_stats(const nt_ctx *ctx, nt_id request, uint64_t *runs, uint64_t *pages);

/* The LSA_SECPKG_FUNCTION_TABLE routines. Each returns a status or NT_FAULTED (0xEF, L0).
 * `local` NULL = a NULL BufferToCopy (capacity 0). */
uint32_t nt_lsa_copy_from_client(nt_ctx *ctx, nt_id request, uint32_t length, const nt_span *local,
                                 uint64_t client);
uint32_t nt_lsa_copy_to_client(nt_ctx *ctx, nt_id request, uint32_t length, uint64_t client,
                               const nt_span *local);
/* *client_base is written (0 first, the base on success) unless the call faults. */
uint32_t nt_lsa_allocate_client(nt_ctx *ctx, nt_id request, uint32_t length, uint64_t *client_base);
uint32_t nt_lsa_free_client(nt_ctx *ctx, nt_id request, uint64_t client_base);

#ifdef __cplusplus
}
#endif
#endif
