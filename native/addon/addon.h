// Thin binding: unpack JS arguments, call the core, return a number. No Windows rule lives here.
#ifndef NTCOPY_ADDON_H
#define NTCOPY_ADDON_H

#define NAPI_CPP_EXCEPTIONS
#include <napi.h>
#include <node_api.h>
#include <vector>
#include "nt_core.h"

namespace ntcopy {

// Per-environment state (instance data): each worker thread gets its own core context.
struct Env {
  napi_env env = nullptr;
  nt_ctx *ctx = nullptr;
  std::vector<napi_ref> views;     // slot -> strong reference to the JS view
  std::vector<uint32_t> free_slots;
};

Env *GetEnv(napi_env env);

// Views (views.cc). A registered view is re-read at every use (DESIGN.md 3).
uint32_t RegisterView(Env *e, napi_value view);
napi_value ViewValue(Env *e, uint32_t slot);
// Reads any ArrayBufferView byte-wise; false if `v` is not one.
bool SpanOf(napi_env env, napi_value v, nt_span *out);
void InitViewOps(Env *e, nt_view_ops *ops);

// Argument helpers: lib/ has already checked types and ranges, these only convert.
uint64_t U64(napi_env env, napi_value v);   // number or bigint
bool IsNullish(napi_env env, napi_value v);
// Returns the status as an int32 (statuses are unsigned 32-bit; lib/ applies >>> 0); NT_FAULTED is -1.
napi_value StatusValue(napi_env env, uint32_t status);
Napi::Value Id(Napi::Env env, nt_id id);

void InitWdf(Napi::Env env, Napi::Object exports);
void InitNdis(Napi::Env env, Napi::Object exports);
void InitLsa(Napi::Env env, Napi::Object exports);
void InitBench(Napi::Env env, Napi::Object exports);

}  // namespace ntcopy
#endif
