#include "addon.h"

namespace ntcopy {

static size_t ElementSize(napi_typedarray_type t) {
  switch (t) {
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
    default: return 1;
  }
}

bool SpanOf(napi_env env, napi_value v, nt_span *out) {
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) == napi_ok) {
    out->len = length * ElementSize(type);
  } else if (napi_get_dataview_info(env, v, &length, &data, nullptr, nullptr) == napi_ok) {
    out->len = length;
  } else {
    return false;
  }
  out->ptr = static_cast<uint8_t *>(data);
  if (!out->ptr) out->len = 0;  // detached: no bytes at all
  return true;
}

uint32_t RegisterView(Env *e, napi_value view) {
  napi_ref ref;
  if (napi_create_reference(e->env, view, 1, &ref) != napi_ok) throw Napi::Error::New(e->env, "ntcopy: cannot reference view");
  if (!e->free_slots.empty()) {
    uint32_t slot = e->free_slots.back();
    e->free_slots.pop_back();
    e->views[slot] = ref;
    return slot;
  }
  e->views.push_back(ref);
  return static_cast<uint32_t>(e->views.size() - 1);
}

napi_value ViewValue(Env *e, uint32_t slot) {
  napi_value v = nullptr;
  napi_get_reference_value(e->env, e->views[slot], &v);
  return v;
}

static void Resolve(void *ud, uint32_t slot, nt_span *out) {
  Env *e = static_cast<Env *>(ud);
  napi_value v = ViewValue(e, slot);
  if (!v || !SpanOf(e->env, v, out)) *out = nt_span{nullptr, 0};
}

static void Release(void *ud, uint32_t slot) {
  Env *e = static_cast<Env *>(ud);
  // Also at environment teardown: Node finalizes userland references then but leaves deleting
  // them to us (valgrind showed them definitely lost otherwise).
  napi_delete_reference(e->env, e->views[slot]);
  e->views[slot] = nullptr;
  e->free_slots.push_back(slot);
}

static int Alloc(void *ud, uint64_t size, uint32_t *slot) {
  Env *e = static_cast<Env *>(ud);
  if (size > SIZE_MAX) return -1;
  void *data;
  napi_value buf;
  if (napi_create_buffer(e->env, static_cast<size_t>(size), &data, &buf) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(e->env, &pending);
    if (pending) {
      napi_value ex;
      napi_get_and_clear_last_exception(e->env, &ex);
    }
    return -1;
  }
  memset(data, 0, static_cast<size_t>(size));
  *slot = RegisterView(e, buf);
  return 0;
}

void InitViewOps(Env *e, nt_view_ops *ops) {
  ops->ud = e;
  ops->resolve = Resolve;
  ops->release = Release;
  ops->alloc = Alloc;
}

uint64_t U64(napi_env env, napi_value v) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok) return static_cast<uint64_t>(d);
  uint64_t u = 0;
  bool lossless;
  napi_get_value_bigint_uint64(env, v, &u, &lossless);
  return u;
}

bool IsNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_null || t == napi_undefined;
}

napi_value StatusValue(napi_env env, uint32_t status) {
  napi_value r;
  napi_create_int32(env, static_cast<int32_t>(status), &r);
  return r;
}

Napi::Value Id(Napi::Env env, nt_id id) { return Napi::Number::New(env, static_cast<double>(id)); }

}  // namespace ntcopy
