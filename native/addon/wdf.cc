// WDF entry points. Setup calls return [status, out...]; the copy calls are raw Node-API
// functions returning the status alone (one call, no allocation, no unwrap: DESIGN.md 2).
#include "addon.h"

namespace ntcopy {

static Env *E(const Napi::CallbackInfo &info) { return GetEnv(info.Env()); }
static nt_id ArgId(const Napi::CallbackInfo &info, size_t i) { return U64(info.Env(), info[i]); }
static uint64_t ArgU64(const Napi::CallbackInfo &info, size_t i) { return U64(info.Env(), info[i]); }

static Napi::Value Pair(Napi::Env env, uint32_t st, nt_id id) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Value(env, StatusValue(env, st)));
  a.Set(1u, Id(env, id));
  return a;
}

// (parentId, poolType, poolTag, size) -> [status, memoryId, buffer|null]
static Napi::Value MemoryCreate(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  nt_id mem = 0;
  uint32_t st = nt_wdf_memory_create(e->ctx, ArgId(info, 0), static_cast<uint32_t>(ArgU64(info, 1)),
                                     static_cast<uint32_t>(ArgU64(info, 2)), ArgU64(info, 3), &mem);
  Napi::Array a = Pair(info.Env(), st, mem).As<Napi::Array>();
  uint32_t slot;
  uint64_t size;
  if (st == STATUS_SUCCESS && nt_wdf_memory_get_buffer(e->ctx, mem, &slot, &size) == STATUS_SUCCESS)
    a.Set(2u, Napi::Value(info.Env(), ViewValue(e, slot)));
  return a;
}

// (parentId, view|null, size) -> [status, memoryId]
static Napi::Value MemoryCreatePreallocated(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  bool has = !IsNullish(info.Env(), info[1]);
  uint32_t slot = has ? RegisterView(e, info[1]) : 0;
  nt_id mem = 0;
  uint32_t st = nt_wdf_memory_create_preallocated(e->ctx, ArgId(info, 0), has, slot, ArgU64(info, 2), &mem);
  return Pair(info.Env(), st, mem);
}

// (memoryId, view|null, size) -> status
static Napi::Value MemoryAssignBuffer(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  bool has = !IsNullish(info.Env(), info[1]);
  uint32_t slot = has ? RegisterView(e, info[1]) : 0;
  return Napi::Value(info.Env(), StatusValue(info.Env(), nt_wdf_memory_assign_buffer(e->ctx, ArgId(info, 0), has,
                                                                                     slot, ArgU64(info, 2))));
}

// (memoryId) -> [status, view, size]
static Napi::Value MemoryGetBuffer(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  uint32_t slot = 0;
  uint64_t size = 0;
  uint32_t st = nt_wdf_memory_get_buffer(e->ctx, ArgId(info, 0), &slot, &size);
  Napi::Array a = Napi::Array::New(info.Env(), 3);
  a.Set(0u, Napi::Value(info.Env(), StatusValue(info.Env(), st)));
  if (st == STATUS_SUCCESS) {
    a.Set(1u, Napi::Value(info.Env(), ViewValue(e, slot)));
    a.Set(2u, Napi::Number::New(info.Env(), static_cast<double>(size)));
  }
  return a;
}

static Napi::Value ObjectDelete(const Napi::CallbackInfo &info) {
  return Napi::Value(info.Env(), StatusValue(info.Env(), nt_wdf_object_delete(E(info)->ctx, ArgId(info, 0))));
}

// (major, ioctl, in|null, out|null, requestorMode) -> [status, requestId]
static Napi::Value RequestCreate(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  bool has_in = !IsNullish(info.Env(), info[2]), has_out = !IsNullish(info.Env(), info[3]);
  uint32_t in_slot = has_in ? RegisterView(e, info[2]) : 0;
  uint32_t out_slot = has_out ? RegisterView(e, info[3]) : 0;
  nt_id req = 0;
  uint32_t st = nt_wdf_request_create(e->ctx, static_cast<uint32_t>(ArgU64(info, 0)),
                                      static_cast<uint32_t>(ArgU64(info, 1)),
                                      static_cast<uint32_t>(ArgU64(info, 4)),  // v1.3 RequestorMode
                                      has_in, in_slot, has_out, out_slot, &req);
  return Pair(info.Env(), st, req);
}

// (requestId, output: boolean) -> [status, memoryId]
static Napi::Value RequestRetrieveMemory(const Napi::CallbackInfo &info) {
  nt_id mem = 0;
  uint32_t st = nt_wdf_request_retrieve_memory(E(info)->ctx, ArgId(info, 0), info[1].ToBoolean().Value(), &mem);
  return Pair(info.Env(), st, mem);
}

// Hot paths. Both copies share one shape: (memory, offset, caller view, n) -> status.
using WdfCopy = uint32_t (*)(nt_ctx *, nt_id, uint64_t, const nt_span *, uint64_t);

// (memoryId, offset, view|null, n): numbers or bigints as Node-API arguments.
template <WdfCopy F>
static napi_value CopyArgs(napi_env env, napi_callback_info info) {
  napi_value a[4];
  Env *e = Args(env, info, 4, a);
  nt_span span;
  const nt_span *buf = SpanOf(env, a[2], &span) ? &span : nullptr;
  return StatusValue(env, F(e->ctx, U64(env, a[0]), U64(env, a[1]), buf, U64(env, a[3])));
}

// (view), or () for NULL, with id, offset and n in the argument block (numbers only; bigints take
// CopyArgs). The status comes back in kStatus (as StatusValue would give it): making a JS number costs ~7 ns.
template <WdfCopy F>
static napi_value CopyBlock(napi_env env, napi_callback_info info) {
  napi_value a[1];
  size_t argc;
  Env *e = Args(env, info, 1, a, &argc);
  nt_span span;
  const nt_span *buf = OptView(env, argc, a[0], &span);
  double *A = e->args;
  A[kStatus] = static_cast<int32_t>(F(e->ctx, static_cast<nt_id>(A[kArg0]), static_cast<uint64_t>(A[kArg1]), buf,
                                      static_cast<uint64_t>(A[kArg2])));
  return nullptr;
}

void InitWdf(Napi::Env env, Napi::Object exports) {
  exports.Set("wdfMemoryCreate", Napi::Function::New(env, MemoryCreate));
  exports.Set("wdfMemoryCreatePreallocated", Napi::Function::New(env, MemoryCreatePreallocated));
  exports.Set("wdfMemoryAssignBuffer", Napi::Function::New(env, MemoryAssignBuffer));
  exports.Set("wdfMemoryGetBuffer", Napi::Function::New(env, MemoryGetBuffer));
  exports.Set("wdfObjectDelete", Napi::Function::New(env, ObjectDelete));
  exports.Set("wdfRequestCreate", Napi::Function::New(env, RequestCreate));
  exports.Set("wdfRequestRetrieveMemory", Napi::Function::New(env, RequestRetrieveMemory));
  ExportRaw(env, exports, "wdfMemoryCopyFromBuffer", CopyArgs<nt_wdf_memory_copy_from_buffer>);
  ExportRaw(env, exports, "wdfMemoryCopyToBuffer", CopyArgs<nt_wdf_memory_copy_to_buffer>);
  ExportRaw(env, exports, "wdfMemoryCopyFromBufferFast", CopyBlock<nt_wdf_memory_copy_from_buffer>);
  ExportRaw(env, exports, "wdfMemoryCopyToBufferFast", CopyBlock<nt_wdf_memory_copy_to_buffer>);
}

}  // namespace ntcopy
