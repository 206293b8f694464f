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

void InitBench(Napi::Env env, Napi::Object exports) {
  napi_value fn;
  napi_create_function(env, "benchMemcpyLoop", NAPI_AUTO_LENGTH, MemcpyLoop, nullptr, &fn);
  exports.Set("benchMemcpyLoop", Napi::Value(env, fn));
}

}  // namespace ntcopy
