// Thin binding: unpack JS arguments, call the core, return a number. No Windows rule lives here.
#ifndef NTCOPY_ADDON_H
#define NTCOPY_ADDON_H

#define NAPI_CPP_EXCEPTIONS
#include <napi.h>
#include <node_api.h>
#include <v8.h>
#include <cstring>
#include <unordered_map>
#include <vector>
#include "nt_core.h"
#include "nt_ndis.h"

namespace ntcopy {

// A registered view (views.cc). Its bytes are re-derived at every native call that touches them:
// through its ArrayBuffer, checked once per call however many views share it (detach -> 0 bytes);
// SharedArrayBuffer views are fixed for life; views over resizable or growable buffers are re-read
// from the view itself (Node-API cannot tell a length-tracking view from a fixed one).
struct ViewEntry {
  napi_ref ref = nullptr;   // keeps the view (and so its buffer) alive
  enum Mode : uint8_t { kArrayBuffer, kShared, kDynamic } mode = kDynamic;
  uint32_t ab = 0;          // kArrayBuffer: index into Env::abs
  size_t offset = 0, length = 0;
  uint8_t *ptr = nullptr;   // kShared: fixed pointer
};
struct AbEntry {
  v8::Global<v8::ArrayBuffer> ab;  // strong: keeps the buffer alive; Reset before the isolate goes
  uint32_t users = 0;
  uint64_t epoch = 0;       // the call whose check `data`/`length` hold
  uint8_t *data = nullptr;
  size_t length = 0;
  void *key = nullptr;      // data pointer at registration (dedupe key)
  size_t key_length = 0;    // and its byteLength then
};

// Per-environment state (instance data): each worker thread gets its own core context.
struct Env {
  napi_env env = nullptr;
  v8::Isolate *isolate = nullptr;
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
};

// Hot-path reads of views and ArrayBuffers go through V8's own API: a Node-API read costs ~7 ns more
// per view or buffer (napi_get_reference_value + napi_get_arraybuffer_info ~7.5 ns against ~1 ns),
// which is most of a small copy. Node's napi_value is a v8::Local's slot pointer (checked at load).
inline v8::Local<v8::Value> ToV8(napi_value v) {
  static_assert(sizeof(v8::Local<v8::Value>) == sizeof(napi_value), "napi_value is a v8::Local");
  v8::Local<v8::Value> l;
  std::memcpy(static_cast<void *>(&l), &v, sizeof v);
  return l;
}
// A strong Global's slot read as a Local (as Node's PersistentToLocal::Strong): no handle is created.
template <class T>
inline v8::Local<T> Strong(const v8::Global<T> &g) {
  return *reinterpret_cast<const v8::Local<T> *>(&g);
}

// Every native entry point starts here (GetEnv for node-addon-api ones, Args for raw ones): it
// bumps the epoch so no buffer check outlives the call that made it.
Env *GetEnv(napi_env env);
inline Env *Args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  void *data = nullptr;
  napi_get_cb_info(env, info, &n, argv, nullptr, &data);
  Env *e = static_cast<Env *>(data);
  e->epoch++;
  return e;
}

// Views (views.cc). A registered view is re-read at every use (DESIGN.md 3).
uint32_t RegisterView(Env *e, napi_value view);
napi_value ViewValue(Env *e, uint32_t slot);
// Reads any ArrayBufferView byte-wise; false if `v` is not one.
bool SpanOf(napi_env env, napi_value v, nt_span *out);
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
