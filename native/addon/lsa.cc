// LSA entry points. Host controls and setup use node-addon-api; the four function-table routines
// are raw Node-API functions with the Env as function data (one call, no allocation: DESIGN.md 2).
// Local views are re-derived at every call (SpanOf), so a detached buffer simply has capacity 0.
#include "addon.h"
#include "nt_lsa.h"

namespace ntcopy {

static Env *E(const Napi::CallbackInfo &info) { return GetEnv(info.Env()); }
static uint64_t Arg(const Napi::CallbackInfo &info, size_t i) { return U64(info.Env(), info[i]); }
static Napi::Value Int(Napi::Env env, int v) { return Napi::Number::New(env, v); }

// (highestUserAddress) -> [status, requestId]
static Napi::Value ClientCreate(const Napi::CallbackInfo &info) {
  nt_id id = 0;
  uint32_t st = nt_lsa_client_create(E(info)->ctx, Arg(info, 0), &id);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Napi::Value(info.Env(), StatusValue(info.Env(), st)));
  a.Set(1u, Id(info.Env(), id));
  return a;
}

// (requestId): the JS handle object is gone.
static Napi::Value ClientFree(const Napi::CallbackInfo &info) {
  nt_lsa_client_free(E(info)->ctx, Arg(info, 0)); // from a FinalizationRegistry callback: JS is running
  return info.Env().Undefined();
}

// (id, base, size, view|null, protect) -> NT_LSA_* code. The data is copied in during this call.
static Napi::Value Map(const Napi::CallbackInfo &info) {
  nt_span s = {nullptr, 0};
  bool has = !IsNullish(info.Env(), info[3]) && SpanOf(info.Env(), info[3], &s);
  return Int(info.Env(), nt_lsa_map(E(info)->ctx, Arg(info, 0), Arg(info, 1), Arg(info, 2), has ? s.ptr : nullptr,
                                    has ? s.len : 0, static_cast<uint32_t>(Arg(info, 4))));
}

static Napi::Value Protect(const Napi::CallbackInfo &info) {
  return Int(info.Env(), nt_lsa_protect(E(info)->ctx, Arg(info, 0), Arg(info, 1), Arg(info, 2),
                                        static_cast<uint32_t>(Arg(info, 3))));
}

static Napi::Value Unmap(const Napi::CallbackInfo &info) {
  return Int(info.Env(), nt_lsa_unmap(E(info)->ctx, Arg(info, 0), Arg(info, 1)));
}

// (id, addr, len) -> Buffer with a copy of the client bytes, or an NT_LSA_E_* code.
static Napi::Value Peek(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  nt_id id = Arg(info, 0);
  uint64_t addr = Arg(info, 1), len = Arg(info, 2);
  if (len > SIZE_MAX) return Int(info.Env(), NT_LSA_E_UNMAPPED);
  int rc = nt_lsa_peek(e->ctx, id, addr, nullptr, static_cast<size_t>(len));  // check before allocating
  if (rc != NT_LSA_OK) return Int(info.Env(), rc);
  Napi::Buffer<uint8_t> b = Napi::Buffer<uint8_t>::New(info.Env(), static_cast<size_t>(len));
  nt_lsa_peek(e->ctx, id, addr, b.Data(), static_cast<size_t>(len));
  return b;
}

// (id, addr, view) -> code. The data is copied in during this call.
static Napi::Value Poke(const Napi::CallbackInfo &info) {
  nt_span s = {nullptr, 0};
  SpanOf(info.Env(), info[2], &s);
  return Int(info.Env(), nt_lsa_poke(E(info)->ctx, Arg(info, 0), Arg(info, 1), s.ptr, s.len));
}

// (id, switch, value, k) -> code
static Napi::Value Set(const Napi::CallbackInfo &info) {
  return Int(info.Env(), nt_lsa_set(E(info)->ctx, Arg(info, 0), static_cast<nt_lsa_switch>(Arg(info, 1)),
                                    static_cast<uint32_t>(Arg(info, 2)), Arg(info, 3)));
}

// (id) -> [runs, materializedPages] or a code: lets tests see that the address space stays sparse.
static Napi::Value Stats(const Napi::CallbackInfo &info) {
  uint64_t runs = 0, pages = 0;
  int rc = nt_lsa_stats(E(info)->ctx, Arg(info, 0), &runs, &pages);
  if (rc != NT_LSA_OK) return Int(info.Env(), rc);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(runs)));
  a.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(pages)));
  return a;
}

// (id, length) -> [status, base (bigint) | null]
static Napi::Value Allocate(const Napi::CallbackInfo &info) {
  uint64_t base = 0;
  uint32_t st = nt_lsa_allocate_client(E(info)->ctx, Arg(info, 0), static_cast<uint32_t>(Arg(info, 1)), &base);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Napi::Value(info.Env(), StatusValue(info.Env(), st)));
  a.Set(1u, st == STATUS_SUCCESS ? Napi::Value(Napi::BigInt::New(info.Env(), base)) : info.Env().Null());
  return a;
}

// Hot paths. Both copies in one shape: (request, Length, client address, local view) -> status.
using LsaCopy = uint32_t (*)(nt_ctx *, nt_id, uint32_t, uint64_t, const nt_span *);
static uint32_t CopyFromClient(nt_ctx *ctx, nt_id id, uint32_t len, uint64_t client, const nt_span *local) {
  return nt_lsa_copy_from_client(ctx, id, len, local, client);
}

// (id, length, clientAddress, view|null): numbers or bigints as Node-API arguments.
template <LsaCopy F>
static napi_value CopyArgs(napi_env env, napi_callback_info info) {
  napi_value a[4];
  Env *e = Args(env, info, 4, a);
  nt_span span;
  const nt_span *local = SpanOf(env, a[3], &span) ? &span : nullptr;
  return StatusValue(env, F(e->ctx, U64(env, a[0]), static_cast<uint32_t>(U64(env, a[1])), U64(env, a[2]), local));
}

// (view), or () for NULL, with id, Length and a numeric client address in the argument block; the status comes
// back in kStatus (as StatusValue would give it): making a JS number costs ~7 ns.
template <LsaCopy F>
static napi_value CopyBlock(napi_env env, napi_callback_info info) {
  napi_value a[1];
  size_t argc;
  Env *e = Args(env, info, 1, a, &argc);
  nt_span span;
  const nt_span *local = OptView(env, argc, a[0], &span);
  double *A = e->args;
  A[kStatus] = static_cast<int32_t>(F(e->ctx, static_cast<nt_id>(A[kArg0]), static_cast<uint32_t>(A[kArg1]),
                                      static_cast<uint64_t>(A[kArg2]), local));
  return nullptr;
}

// (id, clientAddress) -> status
static napi_value FreeBuffer(napi_env env, napi_callback_info info) {
  napi_value a[2];
  Env *e = Args(env, info, 2, a);
  return StatusValue(env, nt_lsa_free_client(e->ctx, U64(env, a[0]), U64(env, a[1])));
}

void InitLsa(Napi::Env env, Napi::Object exports) {
  exports.Set("lsaClientCreate", Napi::Function::New(env, ClientCreate));
  exports.Set("lsaClientFree", Napi::Function::New(env, ClientFree));
  exports.Set("lsaMap", Napi::Function::New(env, Map));
  exports.Set("lsaProtect", Napi::Function::New(env, Protect));
  exports.Set("lsaUnmap", Napi::Function::New(env, Unmap));
  exports.Set("lsaPeek", Napi::Function::New(env, Peek));
  exports.Set("lsaPoke", Napi::Function::New(env, Poke));
  exports.Set("lsaSet", Napi::Function::New(env, Set));
  exports.Set("lsaStats", Napi::Function::New(env, Stats));
  exports.Set("lsaAllocateClientBuffer", Napi::Function::New(env, Allocate));
  ExportRaw(env, exports, "lsaCopyFromClientBuffer", CopyArgs<CopyFromClient>);
  ExportRaw(env, exports, "lsaCopyToClientBuffer", CopyArgs<nt_lsa_copy_to_client>);
  ExportRaw(env, exports, "lsaFreeClientBuffer", FreeBuffer);
  ExportRaw(env, exports, "lsaCopyFromClientBufferFast", CopyBlock<CopyFromClient>);
  ExportRaw(env, exports, "lsaCopyToClientBufferFast", CopyBlock<nt_lsa_copy_to_client>);
}

}  // namespace ntcopy
