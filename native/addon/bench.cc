// Benchmark baseline only: a plain C memcpy loop built with the addon, the physical limit that
// `npm run bench` compares the large copies with. Not part of the API.
#include "addon.h"

namespace ntcopy {

// (dst, src, n, reps): copies n bytes reps times.
static napi_value MemcpyLoop(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value a[4];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  nt_span d, s;
  if (!SpanOf(env, a[0], &d) || !SpanOf(env, a[1], &s)) return nullptr;
  size_t n = static_cast<size_t>(U64(env, a[2]));
  uint64_t reps = U64(env, a[3]);
  if (n > d.len || n > s.len) return nullptr;
  for (uint64_t i = 0; i < reps; i++) {
    memcpy(d.ptr, s.ptr, n);
    __asm__ __volatile__("" ::: "memory");  // keep every copy
  }
  return nullptr;
}

// A chain copy's floor: the memmoves of its byte runs and nothing else but what Node-API makes any
// binding pay, one check per ArrayBuffer and call. benchRunsPrepare([[dst, src], ...]) takes the copy's
// segments in order (views of equal length), merges neighbours contiguous on both sides as the core's
// plan does, and holds each ArrayBuffer; benchRunsCopy(id) checks each once (still at its registered data
// pointer and long enough: not detached, transferred or shrunk, else nothing is copied) and moves the
// runs. Plans live until the environment goes (few: one per benchmark case).
struct Held {
  napi_ref ref;
  uint8_t *data;  // the buffer's data pointer at prepare
  size_t need;    // bytes of it the runs reach
};
struct Runs {
  std::vector<Held> bufs;
  std::vector<nt_span> d, s;
};
struct BenchPlans {
  napi_env env;
  std::vector<Runs> plans;
};

static void Drop(napi_env env, Runs &r) {
  for (Held &h : r.bufs) napi_delete_reference(env, h.ref);
  r.bufs.clear();
}

// One side of a segment: the view's bytes in an ArrayBuffer (not shared: its memory is no concern
// here), held by the plan.
static bool Store(napi_env env, napi_value v, Runs &r, nt_span *out) {
  napi_typedarray_type type;
  size_t length = 0, offset = 0, ab_length = 0;
  void *data = nullptr, *ab_data = nullptr;
  napi_value ab = nullptr;
  bool is_ab = false;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) == napi_ok) {
    napi_get_buffer_info(env, v, nullptr, &length);  // bytes, not elements
  } else if (napi_get_dataview_info(env, v, &length, &data, &ab, &offset) != napi_ok) {
    return false;
  }
  if (!ab || napi_is_arraybuffer(env, ab, &is_ab) != napi_ok || !is_ab ||
      napi_get_arraybuffer_info(env, ab, &ab_data, &ab_length) != napi_ok || !ab_data || offset + length > ab_length)
    return false;
  uint8_t *base = static_cast<uint8_t *>(ab_data);
  *out = nt_span{base + offset, length};
  for (Held &h : r.bufs) {
    napi_value known;
    bool same = false;
    if (h.data == base && napi_get_reference_value(env, h.ref, &known) == napi_ok &&
        napi_strict_equals(env, known, ab, &same) == napi_ok && same) {
      if (offset + length > h.need) h.need = offset + length;
      return true;
    }
  }
  napi_ref ref;
  if (napi_create_reference(env, ab, 1, &ref) != napi_ok) return false;
  r.bufs.push_back(Held{ref, base, offset + length});
  return true;
}

// The call's one argument, and this environment's plans (the function data).
static BenchPlans *PlansArg(napi_env env, napi_callback_info info, napi_value *arg) {
  size_t argc = 1;
  void *data = nullptr;
  *arg = nullptr;
  napi_get_cb_info(env, info, &argc, arg, nullptr, &data);
  return static_cast<BenchPlans *>(data);
}

static napi_value RunsPrepare(napi_env env, napi_callback_info info) {
  napi_value list;
  BenchPlans *bp = PlansArg(env, info, &list);
  uint32_t n = 0;
  if (napi_get_array_length(env, list, &n) != napi_ok) return nullptr;
  Runs r;
  for (uint32_t i = 0; i < n; i++) {
    napi_value pair = nullptr, dv, sv;
    nt_span d, s;
    if (napi_get_element(env, list, i, &pair) != napi_ok || napi_get_element(env, pair, 0, &dv) != napi_ok || napi_get_element(env, pair, 1, &sv) != napi_ok ||
        !Store(env, dv, r, &d) || !Store(env, sv, r, &s) || d.len != s.len) {
      Drop(env, r);
      return nullptr;
    }
    if (!r.d.empty()) {
      nt_span &ld = r.d.back(), &ls = r.s.back();
      bool joins = ld.ptr + ld.len == d.ptr && ls.ptr + ls.len == s.ptr;
      if (joins && (d.ptr + d.len <= ls.ptr || s.ptr + s.len <= ld.ptr)) {
        ld.len += d.len;
        ls.len += s.len;
        continue;
      }
    }
    r.d.push_back(d);
    r.s.push_back(s);
  }
  bp->plans.push_back(std::move(r));
  napi_value id;
  napi_create_uint32(env, static_cast<uint32_t>(bp->plans.size() - 1), &id);
  return id;
}

static napi_value RunsCopy(napi_env env, napi_callback_info info) {
  napi_value a;
  BenchPlans *bp = PlansArg(env, info, &a);
  uint32_t id = UINT32_MAX;
  napi_get_value_uint32(env, a, &id);
  if (id >= bp->plans.size()) return nullptr;
  const Runs &r = bp->plans[id];
  for (const Held &h : r.bufs) {
    napi_value ab;
    void *data = nullptr;
    size_t length = 0;
    if (napi_get_reference_value(env, h.ref, &ab) != napi_ok ||
        napi_get_arraybuffer_info(env, ab, &data, &length) != napi_ok || data != h.data || length < h.need)
      return nullptr;  // API.md 6 holds here too: a buffer that moved or shrank is not written
  }
  for (size_t i = 0; i < r.d.size(); i++) memmove(r.d[i].ptr, r.s[i].ptr, r.d[i].len);
  return nullptr;
}

void InitBench(Napi::Env env, Napi::Object exports) {
  napi_value fn;
  napi_create_function(env, "benchMemcpyLoop", NAPI_AUTO_LENGTH, MemcpyLoop, nullptr, &fn);
  exports.Set("benchMemcpyLoop", Napi::Value(env, fn));
  BenchPlans *bp = new BenchPlans();
  bp->env = env;
  napi_add_env_cleanup_hook(
      env,
      [](void *p) {
        BenchPlans *b = static_cast<BenchPlans *>(p);
        for (Runs &r : b->plans) Drop(b->env, r);
        delete b;
      },
      bp);
  napi_create_function(env, "benchRunsPrepare", NAPI_AUTO_LENGTH, RunsPrepare, bp, &fn);
  exports.Set("benchRunsPrepare", Napi::Value(env, fn));
  napi_create_function(env, "benchRunsCopy", NAPI_AUTO_LENGTH, RunsCopy, bp, &fn);
  exports.Set("benchRunsCopy", Napi::Value(env, fn));
}

}  // namespace ntcopy
