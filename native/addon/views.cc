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

// Any ArrayBufferView (typed array or DataView) byte-wise, read as napi_get_buffer_info does (data of
// its buffer + byteOffset, byteLength; 0 when detached or out of bounds) but through V8 directly.
// A zero-length view is left unmaterialized: its pointer is NULL.
bool SpanOf(napi_env, napi_value v, nt_span *out) {
  v8::Local<v8::Value> l = ToV8(v);
  if (l.IsEmpty() || !l->IsArrayBufferView()) return false;
  v8::Local<v8::ArrayBufferView> view = l.As<v8::ArrayBufferView>();
  size_t length = view->ByteLength();
  uint8_t *data = length ? static_cast<uint8_t *>(view->Buffer()->Data()) : nullptr;
  out->ptr = data ? data + view->ByteOffset() : nullptr;
  out->len = data ? length : 0;
  return true;
}

// Resizable / growable as V8 knows it: the JS `resizable` / `growable` properties can be redefined by
// the caller, and a buffer taken for fixed-length is trusted to keep its length until detached.
static bool Resizable(napi_value ab) {
  v8::Local<v8::Value> l = ToV8(ab);
  if (l->IsArrayBuffer()) return l.As<v8::ArrayBuffer>()->GetBackingStore()->IsResizableByUserJavaScript();
  if (l->IsSharedArrayBuffer()) return l.As<v8::SharedArrayBuffer>()->GetBackingStore()->IsResizableByUserJavaScript();
  return true;  // neither: re-read from the view at every use
}

// The ArrayBuffer entry for `ab` (whose data pointer is `key`), shared by every view over it.
static uint32_t AbFor(Env *e, napi_value ab, void *key) {
  v8::Local<v8::ArrayBuffer> buf = ToV8(ab).As<v8::ArrayBuffer>();
  auto range = e->ab_index.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    if (e->abs[it->second].ab == buf) {
      e->abs[it->second].users++;
      return it->second;
    }
  }
  uint32_t i;
  if (!e->free_abs.empty()) {
    i = e->free_abs.back();
    e->free_abs.pop_back();
  } else {
    i = static_cast<uint32_t>(e->abs.size());
    e->abs.emplace_back();
  }
  AbEntry &a = e->abs[i];
  a = AbEntry();
  a.ab.Reset(e->isolate, buf);
  a.users = 1;
  a.key = key;
  a.key_length = buf->ByteLength();
  e->ab_index.emplace(key, i);
  return i;
}

uint32_t RegisterView(Env *e, napi_value view) {
  napi_env env = e->env;
  ViewEntry v;
  if (napi_create_reference(env, view, 1, &v.ref) != napi_ok) throw Napi::Error::New(env, "ntcopy: cannot reference view");
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *data = nullptr;
  napi_value ab = nullptr;
  bool ok = napi_get_typedarray_info(env, view, &type, &length, &data, &ab, &offset) == napi_ok;
  if (ok) length *= ElementSize(type);
  else ok = napi_get_dataview_info(env, view, &length, &data, &ab, &offset) == napi_ok;
  bool is_ab = false;
  if (ok && ab && data) napi_is_arraybuffer(env, ab, &is_ab);
  if (ok && ab && data) {
    if (!is_ab) {  // SharedArrayBuffer: never detached; only a growable one changes
      if (!Resizable(ab)) {
        v.mode = ViewEntry::kShared;
        v.ptr = static_cast<uint8_t *>(data);
        v.length = length;
      }
    } else if (!Resizable(ab)) {
      v.mode = ViewEntry::kArrayBuffer;
      v.offset = offset;
      v.length = length;
      v.ab = AbFor(e, ab, static_cast<uint8_t *>(data) - offset);
    }
  }
  uint32_t slot;
  if (!e->free_slots.empty()) {
    slot = e->free_slots.back();
    e->free_slots.pop_back();
    e->views[slot] = v;
  } else {
    slot = static_cast<uint32_t>(e->views.size());
    e->views.push_back(v);
  }
  return slot;
}

napi_value ViewValue(Env *e, uint32_t slot) {
  napi_value v = nullptr;
  napi_get_reference_value(e->env, e->views[slot].ref, &v);
  return v;
}

// The (non-resizable) ArrayBuffer's bytes now: those it was registered with until it is detached,
// then none (Data() null). One V8 read.
static nt_span AbBytes(const AbEntry &a) {
  uint8_t *data = static_cast<uint8_t *>(Strong(a.ab)->Data());
  return data ? nt_span{data, data == a.key ? a.key_length : Strong(a.ab)->ByteLength()} : nt_span{nullptr, 0};
}

// The ArrayBuffer's current bytes, checked once per call (first use in this call: still attached?).
static AbEntry &CheckAb(Env *e, uint32_t i) {
  AbEntry &a = e->abs[i];
  if (a.epoch != e->epoch) {
    nt_span b = AbBytes(a);
    a.data = b.ptr;
    a.length = b.len;
    a.epoch = e->epoch;
  }
  return a;
}

static void Resolve(void *ud, uint32_t slot, nt_span *out) {
  Env *e = static_cast<Env *>(ud);
  const ViewEntry &v = e->views[slot];
  switch (v.mode) {
    case ViewEntry::kShared:
      *out = nt_span{v.ptr, v.length};
      return;
    case ViewEntry::kArrayBuffer: {
      AbEntry &a = CheckAb(e, v.ab);
      // A fixed-length view over a non-resizable buffer: all of it, or (detached) nothing.
      if (a.length >= v.offset + v.length && a.data) *out = nt_span{a.data + v.offset, v.length};
      else *out = nt_span{nullptr, 0};
      return;
    }
    default: {
      napi_value view = ViewValue(e, slot);
      if (!view || !SpanOf(e->env, view, out)) *out = nt_span{nullptr, 0};
      return;
    }
  }
}

static void Release(void *ud, uint32_t slot) {
  Env *e = static_cast<Env *>(ud);
  ViewEntry &v = e->views[slot];
  // Also at environment teardown: Node finalizes userland references then but leaves deleting
  // them to us (valgrind showed them definitely lost otherwise).
  napi_delete_reference(e->env, v.ref);
  if (v.mode == ViewEntry::kArrayBuffer && --e->abs[v.ab].users == 0) {
    AbEntry &a = e->abs[v.ab];
    a.ab.Reset();
    auto range = e->ab_index.equal_range(a.key);
    for (auto it = range.first; it != range.second; ++it)
      if (it->second == v.ab) { e->ab_index.erase(it); break; }
    a = AbEntry();
    e->free_abs.push_back(v.ab);
  }
  v = ViewEntry();
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

// NDIS buffer groups (nt_ndis.h): a view over a fixed-length ArrayBuffer is a fixed window of it, and
// resolves exactly as Resolve does: all of the window when the buffer reaches that far, else nothing.
static int Group(void *ud, uint32_t slot, uint32_t *group, uint64_t *off, uint64_t *len) {
  Env *e = static_cast<Env *>(ud);
  const ViewEntry &v = e->views[slot];
  if (v.mode != ViewEntry::kArrayBuffer) return 0;
  *group = v.ab;
  *off = v.offset;
  *len = v.length;
  return 1;
}

// The core asks once per group and call (and caches the answer for the call): no epoch cache here.
static nt_span ResolveGroup(void *ud, uint32_t group) { return AbBytes(static_cast<Env *>(ud)->abs[group]); }

void InitGroupOps(nt_ndis_group_ops *ops) {
  ops->group = Group;
  ops->resolve_group = ResolveGroup;
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
