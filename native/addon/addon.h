// Thin binding: unpack JS arguments, call the core, return a number. No Windows rule lives here.
#ifndef NTCOPY_ADDON_H
#define NTCOPY_ADDON_H

#define NAPI_CPP_EXCEPTIONS
#include <napi.h>
#include <node_api.h>
#include <cstring>
#include <unordered_map>
#include <vector>
#include "nt_core.h"
#include "nt_ndis.h"

namespace ntcopy {

// A registered view (views.cc). Node-API only (DESIGN.md 1b): its bytes are re-derived at every native
// call that touches them. A view over a fixed-length ArrayBuffer keeps its registered offset and length
// (they change only by detach) and checks its buffer once per call however many views share it; views
// over a non-growable SharedArrayBuffer are fixed for life (never detached); views over resizable or
// growable buffers, or of unknown kind, are re-read from the view itself (napi_get_buffer_info).
struct ViewEntry {
  napi_ref ref = nullptr;   // keeps the view (and so its buffer) alive
  enum Mode : uint8_t { kArrayBuffer, kShared, kDynamic } mode = kDynamic;
  uint32_t ab = 0;          // kArrayBuffer: index into Env::abs
  size_t offset = 0, length = 0;
  uint8_t *ptr = nullptr;   // kShared: fixed pointer
};
struct AbEntry {
  napi_ref ref = nullptr;   // strong: keeps the buffer alive
  uint32_t users = 0;
  uint64_t epoch = 0;       // the call whose check `data`/`length` hold
  uint8_t *data = nullptr;
  size_t length = 0;
  void *key = nullptr;      // data pointer at registration (dedupe key): fixed until detached
  size_t key_length = 0;    // and its byteLength, fixed likewise
};

// Per-environment state (instance data): each worker thread gets its own core context.
struct Env {
  napi_env env = nullptr;
  nt_ctx *ctx = nullptr;
  uint64_t epoch = 1;       // bumped at every native entry: buffer checks are valid for one call only
  // Argument block: a library-private Float64Array that hot JS wrappers fill before a native call
  // without (numeric) arguments, saving a Node-API read per number; results come back in it too.
  double *args = nullptr;
  napi_ref args_ref = nullptr;
  std::vector<ViewEntry> views;
  std::vector<uint32_t> free_slots;
  std::vector<AbEntry> abs;
  std::vector<uint32_t> free_abs;
  std::unordered_multimap<void *, uint32_t> ab_index;
  // ArrayBuffer.prototype `resizable` / SharedArrayBuffer.prototype `growable` getters, captured by
  // lib/native.ts at load (a caller can redefine the properties on a buffer, not these functions).
  // Unset (not given yet): every buffer is taken for resizable, re-read at every use.
  napi_ref resizable_get = nullptr, growable_get = nullptr;
  bool kinds_known = false;
};

// Every native entry point starts here (GetEnv for node-addon-api ones, Args for raw ones): it
// bumps the epoch so no buffer check outlives the call that made it.
Env *GetEnv(napi_env env);
inline Env *Args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, size_t *argc = nullptr) {
  void *data = nullptr;
  napi_get_cb_info(env, info, &n, argv, nullptr, &data);
  if (argc) *argc = n;  // how many were passed
  Env *e = static_cast<Env *>(data);
  e->epoch++;
  return e;
}

// Views (views.cc). A registered view is re-read at every use (DESIGN.md 3).
uint32_t RegisterView(Env *e, napi_value view);
napi_value ViewValue(Env *e, uint32_t slot);
// Reads any ArrayBufferView byte-wise; false if `v` is not one.
bool SpanOf(napi_env env, napi_value v, nt_span *out);
// The same for a value lib/ has checked is an ArrayBufferView (no type test: hot paths).
void ViewSpan(napi_env env, napi_value view, nt_span *out);
// A hot entry's optional caller view: lib/ passes it only when it is not null (argc 0 = NULL).
inline const nt_span *OptView(napi_env env, size_t argc, napi_value v, nt_span *span) {
  if (argc == 0) return nullptr;
  ViewSpan(env, v, span);
  return span;
}
void InitViewOps(Env *e, nt_view_ops *ops);
void InitGroupOps(nt_ndis_group_ops *ops);

// Argument block slots (lib/native.ts mirrors them).
enum ArgSlot { kArg0 = 0, kArg1, kArg2, kArg3, kArg4, kArg5, kResult0 = 6, kStatus = 7, kArgSlots = 8 };

// Argument helpers: lib/ has already checked types and ranges, these only convert.
uint64_t U64(napi_env env, napi_value v);   // number or bigint
bool IsNullish(napi_env env, napi_value v);
// Returns the status as an int32 (statuses are unsigned 32-bit; lib/ applies >>> 0); NT_FAULTED is -1.
napi_value StatusValue(napi_env env, uint32_t status);
Napi::Value Id(Napi::Env env, nt_id id);

// Exports a raw Node-API function whose data is this environment's Env (read back by Args()).
void ExportRaw(Napi::Env env, Napi::Object exports, const char *name, napi_callback cb);

void InitWdf(Napi::Env env, Napi::Object exports);
void InitNdis(Napi::Env env, Napi::Object exports);
void InitLsa(Napi::Env env, Napi::Object exports);
void InitBench(Napi::Env env, Napi::Object exports);
void InitBatch(Napi::Env env, Napi::Object exports);  // batch.cc (CopyBatch)

}  // namespace ntcopy
#endif
