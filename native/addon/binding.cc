// Module entry: per-environment core context, the fault record, and view access for lib/.
#include "addon.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ntcopy {

Env *GetEnv(napi_env env) {
  void *data = nullptr;
  napi_get_instance_data(env, &data);
  Env *e = static_cast<Env *>(data);
  e->epoch++;
  return e;
}

void ExportRaw(Napi::Env env, Napi::Object exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, GetEnv(env), &fn);
  exports.Set(name, Napi::Value(env, fn));
}

static void FreeEnv(napi_env env, void *data, void *) {
  Env *e = static_cast<Env *>(data);
  nt_ctx_free(e->ctx);
  if (e->args_ref) napi_delete_reference(env, e->args_ref);
  if (e->resizable_get) napi_delete_reference(env, e->resizable_get);
  if (e->growable_get) napi_delete_reference(env, e->growable_get);
  delete e;
}

// [code, p1, p2, p3, p4] of the last bug check (read by lib/ only after a call returned -1).
static Napi::Value LastFault(const Napi::CallbackInfo &info) {
  Env *e = GetEnv(info.Env());
  Napi::Array a = Napi::Array::New(info.Env(), 5);
  a.Set(0u, Napi::Number::New(info.Env(), e->ctx->fault.code));
  for (uint32_t i = 0; i < 4; i++) a.Set(i + 1, Napi::BigInt::New(info.Env(), e->ctx->fault.p[i]));
  return a;
}

// Number of live core objects: lets tests see that frees really free.
static Napi::Value LiveObjects(const Napi::CallbackInfo &info) {
  Env *e = GetEnv(info.Env());
  return Napi::Number::New(info.Env(), e->ctx->live);
}

// Bytes the C heap has handed out and not got back (glibc >= 2.33), or -1: lets the lifetime test see
// a native leak directly, where RSS moves by tens of MiB with the host's page reclaim.
static Napi::Value MallocInUse(const Napi::CallbackInfo &info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 mi = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(mi.uordblks + mi.hblkhd));
#else
  return Napi::Number::New(info.Env(), -1);
#endif
}

// (resizableGetter|undefined, growableGetter|undefined): the prototype getters lib/native.ts took at
// load. Only the first call counts, so nothing later can swap them (views.cc Resizable).
static Napi::Value SetBufferKinds(const Napi::CallbackInfo &info) {
  Env *e = GetEnv(info.Env());
  if (e->kinds_known) return info.Env().Undefined();
  napi_ref *refs[2] = {&e->resizable_get, &e->growable_get};
  for (size_t i = 0; i < 2; i++)
    if (info[i].IsFunction() && napi_create_reference(info.Env(), info[i], 1, refs[i]) != napi_ok)
      throw Napi::Error::New(info.Env(), "ntcopy: cannot reference a buffer getter");
  e->kinds_known = true;
  return info.Env().Undefined();
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Env *e = new Env();
  e->env = env;
  nt_view_ops ops;
  InitViewOps(e, &ops);
  e->ctx = nt_ctx_new(&ops);
  if (!e->ctx) {
    delete e;
    throw Napi::Error::New(env, "ntcopy: out of memory");
  }
  nt_ndis_group_ops gops;
  InitGroupOps(&gops);
  nt_ndis_set_group_ops(e->ctx, &gops);
  napi_set_instance_data(env, e, FreeEnv, nullptr);
  // The argument block's ArrayBuffer: never handed to users, so never detached; its pointer is stable.
  void *block = nullptr;
  napi_value ab;
  if (napi_create_arraybuffer(env, kArgSlots * sizeof(double), &block, &ab) != napi_ok ||
      napi_create_reference(env, ab, 1, &e->args_ref) != napi_ok)
    throw Napi::Error::New(env, "ntcopy: cannot create the argument block");
  e->args = static_cast<double *>(block);
  exports.Set("argBlock", Napi::Value(env, ab));
  exports.Set("setBufferKinds", Napi::Function::New(env, SetBufferKinds, "setBufferKinds"));
  exports.Set("lastFault", Napi::Function::New(env, LastFault, "lastFault"));
  exports.Set("liveObjects", Napi::Function::New(env, LiveObjects, "liveObjects"));
  exports.Set("mallocInUse", Napi::Function::New(env, MallocInUse, "mallocInUse"));
  InitWdf(env, exports);
  InitNdis(env, exports);
  InitLsa(env, exports);
  InitBench(env, exports);
  InitBatch(env, exports);
  return exports;
}

}  // namespace ntcopy

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return ntcopy::Init(env, exports); }
NODE_API_MODULE(ntcopy, InitModule)
