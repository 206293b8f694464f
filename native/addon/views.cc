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

// A view lib/ has checked, byte-wise: its buffer's data + byteOffset and its byteLength, both as they
// are now (0 when detached or out of bounds). A zero-length view gets a NULL pointer (memcpy with NULL
// is UB even for 0 bytes, DESIGN.md 3).
void ViewSpan(napi_env env, napi_value view, nt_span *out) {
  void *data = nullptr;
  size_t length = 0;
  if (napi_get_buffer_info(env, view, &data, &length) != napi_ok || !data) length = 0;
  out->ptr = length ? static_cast<uint8_t *>(data) : nullptr;
  out->len = length;
}

// Any value: only objects reach napi_get_buffer_info (before Node 20.12 it aborted the process on a
// non-view, a CHECK, instead of returning napi_invalid_arg).
bool SpanOf(napi_env env, napi_value v, nt_span *out) {
  napi_valuetype t;
  bool view = false;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) return false;
  if ((napi_is_typedarray(env, v, &view) != napi_ok || !view) && (napi_is_dataview(env, v, &view) != napi_ok || !view))
    return false;
  ViewSpan(env, v, out);
  return true;
}

// Whether a buffer can change length, by the prototype getter lib/ captured at load (the buffer's own
// `resizable` / `growable` property may lie: ndis.safety). Unknown (no getters given, or the getter
// threw) counts as resizable: such views are re-read at every use, which is always safe.
static bool Resizable(Env *e, napi_value buf, bool shared) {
  if (!e->kinds_known) return true;
  napi_ref r = shared ? e->growable_get : e->resizable_get;
  if (!r) return false;  // the runtime has no such buffers (no getter on the prototype)
  napi_value get = nullptr, result = nullptr;
  bool yes = true;
  if (napi_get_reference_value(e->env, r, &get) != napi_ok || !get ||
      napi_call_function(e->env, buf, get, 0, nullptr, &result) != napi_ok ||
      napi_get_value_bool(e->env, result, &yes) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(e->env, &pending);
    if (pending) {
      napi_value ex;
      napi_get_and_clear_last_exception(e->env, &ex);
    }
    return true;
  }
  return yes;
}

static void ReleaseAb(Env *e, uint32_t i) {
  AbEntry &a = e->abs[i];
  if (--a.users) return;
  napi_delete_reference(e->env, a.ref);
  auto range = e->ab_index.equal_range(a.key);
  for (auto it = range.first; it != range.second; ++it)
    if (it->second == i) { e->ab_index.erase(it); break; }
  a = AbEntry();
  e->free_abs.push_back(i);
}

// The ArrayBuffer entry for `ab` (whose data pointer is `key`), shared by every view over it.
static uint32_t AbFor(Env *e, napi_value ab, void *key, size_t key_length) {
  auto range = e->ab_index.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    napi_value known = nullptr;
    bool same = false;
    if (napi_get_reference_value(e->env, e->abs[it->second].ref, &known) == napi_ok && known &&
        napi_strict_equals(e->env, known, ab, &same) == napi_ok && same) {
      e->abs[it->second].users++;
      return it->second;
    }
  }
  napi_ref ref;
  if (napi_create_reference(e->env, ab, 1, &ref) != napi_ok) throw Napi::Error::New(e->env, "ntcopy: cannot reference buffer");
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
  a.ref = ref;
  a.users = 1;
  a.key = key;
  a.key_length = key_length;
  e->ab_index.emplace(key, i);
  return i;
}

// `fixed`: the caller knows the buffer is a fixed-length ArrayBuffer (one napi_create_buffer made).
static uint32_t Register(Env *e, napi_value view, bool fixed) {
  napi_env env = e->env;
  ViewEntry v;
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *data = nullptr;
  napi_value ab = nullptr;
  bool ok = napi_get_typedarray_info(env, view, &type, &length, &data, &ab, &offset) == napi_ok;
  if (ok) length *= ElementSize(type);
  else ok = napi_get_dataview_info(env, view, &length, &data, &ab, &offset) == napi_ok;
  if (ok && ab && data) {
    bool is_ab = false;
    void *ab_data = nullptr;
    size_t ab_length = 0;
    napi_is_arraybuffer(env, ab, &is_ab);
    if (!is_ab) {  // SharedArrayBuffer: never detached; only a growable one changes
      if (!Resizable(e, ab, true)) {
        v.mode = ViewEntry::kShared;
        v.ptr = static_cast<uint8_t *>(data);
        v.length = length;
      }
    } else if ((fixed || !Resizable(e, ab, false)) &&
               napi_get_arraybuffer_info(env, ab, &ab_data, &ab_length) == napi_ok && ab_data &&
               static_cast<uint8_t *>(ab_data) + offset == data && offset + length <= ab_length) {
      v.mode = ViewEntry::kArrayBuffer;
      v.offset = offset;
      v.length = length;
      v.ab = AbFor(e, ab, ab_data, ab_length);
    }
  }
  if (napi_create_reference(env, view, 1, &v.ref) != napi_ok) {
    if (v.mode == ViewEntry::kArrayBuffer) ReleaseAb(e, v.ab);
    throw Napi::Error::New(env, "ntcopy: cannot reference view");
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

uint32_t RegisterView(Env *e, napi_value view) { return Register(e, view, false); }
napi_value ViewValue(Env *e, uint32_t slot) {
  napi_value v = nullptr;
  napi_get_reference_value(e->env, e->views[slot].ref, &v);
  return v;
}

// The (fixed-length) ArrayBuffer's bytes now: those it was registered with until it is detached, then
// none. Its data pointer changes only by detach (to NULL, or another address where a sandbox keeps an
// empty store), so one read decides (~12 ns: reference value + napi_get_arraybuffer_info). Its length is
// read too, so that even a buffer wrongly taken for fixed (a getter replaced before lib/ loaded) is
// never read past its current end: API.md 6 does not rest on the kind.
static nt_span AbBytes(Env *e, const AbEntry &a) {
  napi_value ab = nullptr;
  void *data = nullptr;
  size_t length = 0;
  if (napi_get_reference_value(e->env, a.ref, &ab) != napi_ok || !ab ||
      napi_get_arraybuffer_info(e->env, ab, &data, &length) != napi_ok || data != a.key)
    return nt_span{nullptr, 0};
  return nt_span{static_cast<uint8_t *>(a.key), length < a.key_length ? length : a.key_length};
}

// The ArrayBuffer's current bytes, checked once per call (first use in this call: still attached?).
static AbEntry &CheckAb(Env *e, uint32_t i) {
  AbEntry &a = e->abs[i];
  if (a.epoch != e->epoch) {
    nt_span b = AbBytes(e, a);
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
      if (view) ViewSpan(e->env, view, out);
      else *out = nt_span{nullptr, 0};
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
  if (v.mode == ViewEntry::kArrayBuffer) ReleaseAb(e, v.ab);
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
  *slot = Register(e, buf, true);  // our own Buffer: no kind to ask (no JS runs inside the core)
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
static nt_span ResolveGroup(void *ud, uint32_t group) {
  Env *e = static_cast<Env *>(ud);
  return AbBytes(e, e->abs[group]);
}

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
