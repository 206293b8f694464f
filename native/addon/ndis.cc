// NDIS entry points. Setup calls return [status, out...]; the copy and the field getters are raw
// Node-API functions (Env* as function data, numeric ids, no allocation: DESIGN.md 2).
// Status -2 (NT_NDIS_ARG_ERROR) tells lib/ to throw the JS argument error the core decided.
#include "addon.h"

namespace ntcopy {

static Env *E(const Napi::CallbackInfo &info) { return GetEnv(info.Env()); }
static uint64_t Arg(const Napi::CallbackInfo &info, size_t i) { return U64(info.Env(), info[i]); }
static uint32_t Arg32(const Napi::CallbackInfo &info, size_t i) { return static_cast<uint32_t>(U64(info.Env(), info[i])); }
static Napi::Value St(Napi::Env env, uint32_t st) { return Napi::Value(env, StatusValue(env, st)); }

static Napi::Value Pair(Napi::Env env, uint32_t st, double v) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, St(env, st));
  a.Set(1u, Napi::Number::New(env, v));
  return a;
}

// The byteOffset of a view in its ArrayBuffer (NdisGetDataBuffer alignment, API.md 7).
static uint64_t ByteOffset(napi_env env, napi_value v) {
  size_t off = 0, len;
  napi_typedarray_type t;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &t, &len, &data, &ab, &off) != napi_ok)
    napi_get_dataview_info(env, v, &len, &data, &ab, &off);
  return off;
}

// (view, length, nonpaged) -> [status, mdlId]; lib checked length <= byteLength.
static Napi::Value MdlAlloc(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  uint32_t slot = RegisterView(e, info[0]);
  nt_id id = 0;
  uint32_t st = nt_ndis_mdl_alloc(e->ctx, slot, Arg32(info, 1), ByteOffset(info.Env(), info[0]),
                                  info[2].ToBoolean().Value(), &id);
  return Pair(info.Env(), st, static_cast<double>(id));
}

static Napi::Value MdlFree(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_mdl_free(E(info)->ctx, Arg(info, 0)));
}
static Napi::Value MdlBuildNonPaged(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_mdl_build_nonpaged(E(info)->ctx, Arg(info, 0)));
}
static Napi::Value MdlSetNext(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_mdl_set_next(E(info)->ctx, Arg(info, 0), Arg(info, 1)));
}
static Napi::Value MdlSetByteCount(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_mdl_set_byte_count(E(info)->ctx, Arg(info, 0), Arg32(info, 1)));
}
static Napi::Value MdlSetMappingFails(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_mdl_set_mapping_fails(E(info)->ctx, Arg(info, 0), info[1].ToBoolean().Value()));
}

// Raw field getters: (id, field) -> value, or -1 after a bug check (values are never negative).
using FieldFn = bool (*)(nt_ctx *ctx, nt_id id, uint32_t field, double *value);

template <FieldFn F>
static napi_value FieldGetter(napi_env env, napi_callback_info cbi) {
  napi_value a[2];
  Env *e = Args(env, cbi, 2, a);
  uint32_t field = 0;
  napi_get_value_uint32(env, a[1], &field);
  double v;
  if (!F(e->ctx, U64(env, a[0]), field, &v)) v = -1;
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

// MDL fields: 0 Next, 1 ByteCount, 2 MdlFlags, 3 described length, 4 MappedSystemVa set (0/1).
static bool MdlField(nt_ctx *ctx, nt_id id, uint32_t field, double *v) {
  nt_mdl_info mi;
  if (nt_ndis_mdl_get(ctx, id, &mi) != STATUS_SUCCESS) return false;
  const double values[] = {static_cast<double>(mi.next), double(mi.byte_count), double(mi.flags), double(mi.described),
                           double(mi.mapped_va)};
  *v = values[field < 5 ? field : 4];
  return true;
}
static bool NbField(nt_ctx *ctx, nt_id id, uint32_t field, double *v) {
  uint64_t x = 0;
  if (nt_ndis_nb_get(ctx, id, static_cast<int>(field), &x) != STATUS_SUCCESS) return false;
  *v = static_cast<double>(x);
  return true;
}
static bool NblField(nt_ctx *ctx, nt_id id, uint32_t field, double *v) {
  nt_id x = 0;
  if (nt_ndis_nbl_get(ctx, id, static_cast<int>(field), &x) != STATUS_SUCCESS) return false;
  *v = static_cast<double>(x);
  return true;
}

// (mdlId, mode) -> [status, view, length]; mode per nt_ndis_mdl_address.
static Napi::Value MdlAddress(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  uint32_t slot = 0, len = 0;
  uint32_t st = nt_ndis_mdl_address(e->ctx, Arg(info, 0), static_cast<int>(Arg(info, 1)), &slot, &len);
  Napi::Array a = Napi::Array::New(info.Env(), 3);
  a.Set(0u, St(info.Env(), st));
  if (st == STATUS_SUCCESS) {
    a.Set(1u, Napi::Value(info.Env(), ViewValue(e, slot)));
    a.Set(2u, Napi::Number::New(info.Env(), len));
  }
  return a;
}

// (nblPool: boolean) -> [status, poolId]
static Napi::Value PoolAlloc(const Napi::CallbackInfo &info) {
  nt_id id = 0;
  uint32_t st = nt_ndis_pool_alloc(E(info)->ctx, info[0].ToBoolean().Value(), &id);
  return Pair(info.Env(), st, static_cast<double>(id));
}
static Napi::Value PoolFree(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_pool_free(E(info)->ctx, info[0].ToBoolean().Value(), Arg(info, 1)));
}

// (poolId, mdlChainId, dataOffset, dataLength) -> [status, nbId]
static Napi::Value NbAlloc(const Napi::CallbackInfo &info) {
  nt_id id = 0;
  uint32_t st = nt_ndis_nb_alloc(E(info)->ctx, Arg(info, 0), Arg(info, 1), Arg32(info, 2), Arg32(info, 3), &id);
  return Pair(info.Env(), st, static_cast<double>(id));
}
static Napi::Value NbFree(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_nb_free(E(info)->ctx, Arg(info, 0)));
}

static Napi::Value NbSet(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_nb_set(E(info)->ctx, Arg(info, 0), static_cast<int>(Arg(info, 1)), Arg(info, 2)));
}

// (poolId, withNb, mdlChainId, dataOffset, dataLength) -> [status, nblId]
static Napi::Value NblAlloc(const Napi::CallbackInfo &info) {
  nt_id id = 0;
  uint32_t st = nt_ndis_nbl_alloc(E(info)->ctx, Arg(info, 0), info[1].ToBoolean().Value(), Arg(info, 2),
                                  Arg32(info, 3), Arg32(info, 4), &id);
  return Pair(info.Env(), st, static_cast<double>(id));
}
static Napi::Value NblFree(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_nbl_free(E(info)->ctx, Arg(info, 0)));
}
static Napi::Value NblSet(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_nbl_set(E(info)->ctx, Arg(info, 0), static_cast<int>(Arg(info, 1)), Arg(info, 2)));
}

// Hot path, no Node-API arguments: the argument block holds dstId, dstOff, n, srcId, srcOff and
// whether BytesCopied is given (lib/ has checked it is a non-empty Uint32Array); the count comes
// back in kResult0 (lib/ stores it into BytesCopied unless the call bug checked), the status in kStatus
// (returning it would cost a JS number per call).
static napi_value Copy(napi_env env, napi_callback_info cbi) {
  Env *e = Args(env, cbi, 0, nullptr);
  const double *A = e->args;
  uint32_t copied = 0;
  uint32_t st = nt_ndis_copy(e->ctx, static_cast<nt_id>(A[kArg0]), static_cast<uint32_t>(A[kArg1]),
                             static_cast<uint32_t>(A[kArg2]), static_cast<nt_id>(A[kArg3]),
                             static_cast<uint32_t>(A[kArg4]), A[kArg5] != 0 ? &copied : nullptr);
  e->args[kResult0] = copied;
  e->args[kStatus] = static_cast<int32_t>(st);  // as StatusValue, without creating a JS number
  return nullptr;
}

// (nbId, delta, freeMdl) -> status
static Napi::Value Advance(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_advance(E(info)->ctx, Arg(info, 0), Arg32(info, 1), info[2].ToBoolean().Value()));
}
// (nbId) -> [status, mdlId|0]
static Napi::Value AdvanceUnlinkHead(const Napi::CallbackInfo &info) {
  nt_id id = 0;
  uint32_t st = nt_ndis_advance_unlink_head(E(info)->ctx, Arg(info, 0), &id);
  return Pair(info.Env(), st, static_cast<double>(id));
}
// (nbId, delta, backfill, libAlloc) -> [status, need]
static Napi::Value Retreat(const Napi::CallbackInfo &info) {
  uint64_t need = 0;
  uint32_t st = nt_ndis_retreat(E(info)->ctx, Arg(info, 0), Arg32(info, 1), Arg32(info, 2),
                                info[3].ToBoolean().Value(), &need);
  return Pair(info.Env(), st, static_cast<double>(need));
}
// (nbId, delta, backfill, mdlId) -> status
static Napi::Value RetreatLink(const Napi::CallbackInfo &info) {
  return St(info.Env(), nt_ndis_retreat_link(E(info)->ctx, Arg(info, 0), Arg32(info, 1), Arg32(info, 2), Arg(info, 3)));
}

// (nbId, needed, storage|null, alignMultiple, alignOffset) -> [status, kind, view, offset]
static Napi::Value GetDataBuffer(const Napi::CallbackInfo &info) {
  Env *e = E(info);
  nt_span span;
  const nt_span *storage = SpanOf(info.Env(), info[2], &span) ? &span : nullptr;
  nt_ndis_gdb g;
  uint32_t st = nt_ndis_get_data_buffer(e->ctx, Arg(info, 0), Arg32(info, 1), storage, Arg32(info, 3),
                                        Arg32(info, 4), &g);
  Napi::Array a = Napi::Array::New(info.Env(), 4);
  a.Set(0u, St(info.Env(), st));
  a.Set(1u, Napi::Number::New(info.Env(), st == STATUS_SUCCESS ? g.kind : 0));
  if (st == STATUS_SUCCESS && g.kind == 1) {
    a.Set(2u, Napi::Value(info.Env(), ViewValue(e, g.slot)));
    a.Set(3u, Napi::Number::New(info.Env(), static_cast<double>(g.offset)));
  }
  return a;
}

// Test hook: index (true, default) or linear seeks.
static Napi::Value SetIndexEnabled(const Napi::CallbackInfo &info) {
  nt_ndis_set_index_enabled(E(info)->ctx, info[0].ToBoolean().Value());
  return info.Env().Undefined();
}

void InitNdis(Napi::Env env, Napi::Object exports) {
  exports.Set("ndisMdlAlloc", Napi::Function::New(env, MdlAlloc));
  exports.Set("ndisMdlFree", Napi::Function::New(env, MdlFree));
  exports.Set("ndisMdlBuildNonPaged", Napi::Function::New(env, MdlBuildNonPaged));
  exports.Set("ndisMdlSetNext", Napi::Function::New(env, MdlSetNext));
  exports.Set("ndisMdlSetByteCount", Napi::Function::New(env, MdlSetByteCount));
  exports.Set("ndisMdlSetMappingFails", Napi::Function::New(env, MdlSetMappingFails));
  exports.Set("ndisMdlAddress", Napi::Function::New(env, MdlAddress));
  exports.Set("ndisPoolAlloc", Napi::Function::New(env, PoolAlloc));
  exports.Set("ndisPoolFree", Napi::Function::New(env, PoolFree));
  exports.Set("ndisNbAlloc", Napi::Function::New(env, NbAlloc));
  exports.Set("ndisNbFree", Napi::Function::New(env, NbFree));
  exports.Set("ndisNbSet", Napi::Function::New(env, NbSet));
  exports.Set("ndisNblAlloc", Napi::Function::New(env, NblAlloc));
  exports.Set("ndisNblFree", Napi::Function::New(env, NblFree));
  exports.Set("ndisNblSet", Napi::Function::New(env, NblSet));
  exports.Set("ndisAdvance", Napi::Function::New(env, Advance));
  exports.Set("ndisAdvanceUnlinkHead", Napi::Function::New(env, AdvanceUnlinkHead));
  exports.Set("ndisRetreat", Napi::Function::New(env, Retreat));
  exports.Set("ndisRetreatLink", Napi::Function::New(env, RetreatLink));
  exports.Set("ndisGetDataBuffer", Napi::Function::New(env, GetDataBuffer));
  exports.Set("ndisSetIndexEnabled", Napi::Function::New(env, SetIndexEnabled));
  ExportRaw(env, exports, "ndisMdlField", FieldGetter<MdlField>);
  ExportRaw(env, exports, "ndisNbGet", FieldGetter<NbField>);
  ExportRaw(env, exports, "ndisNblGet", FieldGetter<NblField>);
  ExportRaw(env, exports, "ndisCopy", Copy);
}

}  // namespace ntcopy
