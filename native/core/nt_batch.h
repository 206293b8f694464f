/* CopyBatch runner (API.md section 8): runs queued calls of the five copy routines in one native call,
 * exactly as if they were made one after another. Each op goes to the family's own single-call entry
 * (nt_wdf_memory_copy_*, nt_ndis_copy, nt_lsa_copy_*), so every status, bug check and byte is theirs. */
#ifndef NT_BATCH_H
#define NT_BATCH_H
#include "nt_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One queued op: six 64-bit words that lib/ writes through a Float64Array (and, for a size_t beyond
 * 2^53, a BigUint64Array over the same bytes). Word 0 = kind | raw flags; the others hold numbers as
 * doubles unless their raw flag says they hold a uint64:
 *   WDF from/to: [kind, memory id, offset, n, view]        LSA from/to: [kind, request id, Length, address, view]
 *   NDIS:        [kind, dst id, dst offset, BytesToCopy, src id, src offset]
 * `view` is an index into the slot table given to nt_batch_run, or negative for NULL. */
typedef union nt_batch_word {
  double d;
  uint64_t u;
} nt_batch_word;
#define NT_BATCH_WORDS 6
typedef struct nt_batch_op {
  nt_batch_word w[NT_BATCH_WORDS];
} nt_batch_op;

enum {
  NT_BATCH_WDF_FROM = 1, /* WdfMemoryCopyFromBuffer */
  NT_BATCH_WDF_TO,       /* WdfMemoryCopyToBuffer */
  NT_BATCH_NDIS,         /* NdisCopyFromNetBufferToNetBuffer */
  NT_BATCH_LSA_FROM,     /* CopyFromClientBuffer */
  NT_BATCH_LSA_TO        /* CopyToClientBuffer */
};
#define NT_BATCH_KIND_MASK 0xFu
#define NT_BATCH_RAW2 0x10u /* word 2 holds a uint64 */
#define NT_BATCH_RAW3 0x20u /* word 3 holds a uint64 */
#define NT_BATCH_NO_SLOT UINT32_MAX

/* A malformed op (unknown kind, view index with no slot): nothing of it ran. Never from lib/'s ops. */
#define NT_BATCH_BAD 0xFFFFFFFDu

/* The views a batch's ops name: view index i is slots[i] (NT_BATCH_NO_SLOT: none). span / seen (n entries
 * each, owned by the caller) cache each view's bytes for one run: a run resolves a view at its first op
 * and reuses that for the rest of the run (nothing inside a run can detach or resize a buffer), and
 * never trusts it in another run (serial, bumped by each run). */
typedef struct nt_batch_views {
  const uint32_t *slots;
  uint32_t n;
  nt_span *span;
  uint64_t *seen;
  uint64_t serial;
} nt_batch_views;

/* Runs ops[0 .. count) in order. status[i] / bytes_copied[i] get op i's status and (NDIS) BytesCopied,
 * 0 for the other kinds. Returns STATUS_SUCCESS with *ran = count; NT_FAULTED when op *ran bug checked
 * (ctx->fault filled; ops before it took effect, it wrote nothing, status[*ran] unwritten); NT_BATCH_BAD
 * when op *ran is malformed (nothing of it ran). Allocates nothing. */
uint32_t nt_batch_run(nt_ctx *ctx, const nt_batch_op *ops, uint32_t count, nt_batch_views *views,
                      uint32_t *status, uint32_t *bytes_copied, uint32_t *ran);

#ifdef __cplusplus
}
#endif
#endif
