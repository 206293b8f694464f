// Benchmark baseline only: a plain C memcpy loop built with the addon, the physical limit that
// `npm run bench` compares the large copies with. Not part of the API.
#include "addon.h"
#include <memory>

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

// A chain copy's floor: the memmoves of its byte runs and nothing else. benchRunsPrepare([[dst, src],
// ...]) takes the copy's segments in order (views of equal length), merges neighbours contiguous on
// both sides as the core's plan does, and keeps each buffer's backing store (so the bytes stay owned
// here whatever JS does to the views); benchRunsCopy(id) moves them. Plans live until the
// environment goes (few: one per benchmark case).
struct Runs {
  std::vector<std::shared_ptr<v8::BackingStore>> keep;
  std::vector<nt_span> d, s;
};
struct BenchPlans {
  std::vector<Runs> plans;
};

static bool Store(napi_value v, Runs &r, nt_span *out) {
  v8::Local<v8::Value> l = ToV8(v);
  if (l.IsEmpty() || !l->IsArrayBufferView()) return false;
  v8::Local<v8::ArrayBufferView> view = l.As<v8::ArrayBufferView>();
  std::shared_ptr<v8::BackingStore> bs = view->Buffer()->GetBackingStore();
  // fixed-length only: a resizable buffer could shrink under the prepared runs
  if (!bs->Data() || bs->IsResizableByUserJavaScript() || view->ByteOffset() + view->ByteLength() > bs->ByteLength()) return false;
  *out = nt_span{static_cast<uint8_t *>(bs->Data()) + view->ByteOffset(), view->ByteLength()};
  r.keep.push_back(std::move(bs));
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
        !Store(dv, r, &d) || !Store(sv, r, &s) || d.len != s.len)
      return nullptr;
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
  for (size_t i = 0; i < r.d.size(); i++) memmove(r.d[i].ptr, r.s[i].ptr, r.d[i].len);
  return nullptr;
}

void InitBench(Napi::Env env, Napi::Object exports) {
  napi_value fn;
  napi_create_function(env, "benchMemcpyLoop", NAPI_AUTO_LENGTH, MemcpyLoop, nullptr, &fn);
  exports.Set("benchMemcpyLoop", Napi::Value(env, fn));
  BenchPlans *bp = new BenchPlans();
  napi_add_env_cleanup_hook(env, [](void *p) { delete static_cast<BenchPlans *>(p); }, bp);
  napi_create_function(env, "benchRunsPrepare", NAPI_AUTO_LENGTH, RunsPrepare, bp, &fn);
  exports.Set("benchRunsPrepare", Napi::Value(env, fn));
  napi_create_function(env, "benchRunsCopy", NAPI_AUTO_LENGTH, RunsCopy, bp, &fn);
  exports.Set("benchRunsCopy", Napi::Value(env, fn));
}

}  // namespace ntcopy
