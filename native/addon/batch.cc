// CopyBatch entry points (API.md section 8). C Node-API only, on the binding's stable interfaces:
// GetEnv() (a new epoch per native entry, so each ArrayBuffer is checked at most once per run and never
// across runs), RegisterView() (slots released through the core's nt_view_ops.release), the argument
// block (Env::args, ArgSlot). The runner itself is the core's nt_batch_run (native/core/nt_batch.c).
//
// A batch's native half: its op block (an ArrayBuffer made here and held only by lib/'s CopyBatch, so
// never detached and its pointer is stable), the slot of its results view (Status and BytesCopied, a
// user-visible buffer: resolved at each run like any view) and its view table (batch-local index ->
// registered slot; lib/ keeps the views it maps to these indices).
#include "addon.h"
#include "nt_batch.h"

namespace ntcopy {

namespace {

struct Batch {
  napi_ref ops_ref = nullptr;
  nt_batch_op *ops = nullptr;
  uint32_t cap = 0;
  uint32_t results = NT_BATCH_NO_SLOT;   // a Uint8Array over [Status | BytesCopied]
  std::vector<uint32_t> slots;           // batch-local view index -> slot (NT_BATCH_NO_SLOT: none)
  std::vector<nt_span> spans;            // the runner's per-run view cache (nt_batch_views)
  std::vector<uint64_t> seen;
  uint64_t serial = 0;
};

// Per environment: the batches of this environment's CopyBatch objects, by id (index + 1).
struct BatchEnv {
  Env *e = nullptr;
  std::vector<Batch *> table;
  std::vector<uint32_t> free_ids;
};

// Statuses of the run entry in kStatus besides 0 (done) and -1 (NT_FAULTED, op index in kResult0).
constexpr double kBadBatch = -3;     // no such batch in this environment
constexpr double kNoResults = -4;    // the results buffer was detached or shrunk (lib/ re-creates it first)
constexpr double kBadOp = -5;        // NT_BATCH_BAD: a malformed op (never from lib/)

void ReleaseSlot(Env *e, uint32_t slot) {
  if (slot != NT_BATCH_NO_SLOT) e->ctx->ops.release(e->ctx->ops.ud, slot);
}

void ReleaseViews(Env *e, Batch *b) {
  for (uint32_t s : b->slots) ReleaseSlot(e, s);
  b->slots.clear();
}

void Destroy(napi_env env, Env *e, Batch *b) {
  ReleaseViews(e, b);
  ReleaseSlot(e, b->results);
  if (b->ops_ref) napi_delete_reference(env, b->ops_ref);
  delete b;
}

// The environment is going away: release what live batches still hold (their JS objects may never be
// finalized). Runs before the binding's own teardown frees the core context (hooks run in reverse).
void Cleanup(void *arg) {
  BatchEnv *be = static_cast<BatchEnv *>(arg);
  for (Batch *b : be->table)
    if (b) Destroy(be->e->env, be->e, b);
  delete be;
}

// Entry prologue: this environment's batch state, a new epoch (GetEnv), the arguments.
BatchEnv *Enter(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  void *data = nullptr;
  napi_get_cb_info(env, info, argc, argv, nullptr, &data);
  BatchEnv *be = static_cast<BatchEnv *>(data);
  GetEnv(env);
  return be;
}

Batch *Find(BatchEnv *be, double id) {
  if (!(id >= 1) || id > static_cast<double>(be->table.size())) return nullptr;
  return be->table[static_cast<size_t>(id) - 1];
}

// Prologue of the entries whose first argument is a batch id: the batch, or null with a JS error thrown.
Batch *BatchArg(napi_env env, napi_callback_info info, size_t argc, napi_value *a, BatchEnv **be) {
  *be = Enter(env, info, &argc, a);
  double id = 0;
  napi_get_value_double(env, a[0], &id);
  Batch *b = Find(*be, id);
  if (!b) napi_throw_error(env, nullptr, "ntcopy: no such batch in this environment");
  return b;
}

uint32_t ArgU32(napi_env env, napi_value v) {
  uint32_t x = 0;
  napi_get_value_uint32(env, v, &x);
  return x;
}

napi_value Throw(napi_env env, const char *msg) {
  napi_throw_error(env, nullptr, msg);
  return nullptr;
}

// A new op block of `cap` ops holding the old block's ops; the results view re-registered.
bool Resize(napi_env env, BatchEnv *be, Batch *b, uint32_t cap, napi_value results, napi_value *ab_out) {
  void *data = nullptr;
  napi_value ab;
  napi_ref ref;
  if (napi_create_arraybuffer(env, static_cast<size_t>(cap) * sizeof(nt_batch_op), &data, &ab) != napi_ok ||
      napi_create_reference(env, ab, 1, &ref) != napi_ok)
    return false;
  if (b->ops) memcpy(data, b->ops, static_cast<size_t>(b->cap < cap ? b->cap : cap) * sizeof(nt_batch_op));
  if (b->ops_ref) napi_delete_reference(env, b->ops_ref);
  b->ops_ref = ref;
  b->ops = static_cast<nt_batch_op *>(data);
  b->cap = cap;
  ReleaseSlot(be->e, b->results);
  b->results = NT_BATCH_NO_SLOT;
  b->results = RegisterView(be->e, results);
  *ab_out = ab;
  return true;
}

// (capacity, resultsView) -> [id, opBlock]
napi_value New(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value a[2];
  BatchEnv *be = Enter(env, info, &argc, a);
  Batch *b = new Batch();
  napi_value ab;
  try {
    if (!Resize(env, be, b, ArgU32(env, a[0]), a[1], &ab)) {
      Destroy(env, be->e, b);
      return Throw(env, "ntcopy: cannot allocate the batch");
    }
  } catch (const std::exception &) {
    Destroy(env, be->e, b);
    return Throw(env, "ntcopy: cannot allocate the batch");
  }
  uint32_t id;
  if (!be->free_ids.empty()) {
    id = be->free_ids.back();
    be->free_ids.pop_back();
    be->table[id - 1] = b;
  } else {
    be->table.push_back(b);
    id = static_cast<uint32_t>(be->table.size());
  }
  napi_value r, idv;
  napi_create_array_with_length(env, 2, &r);
  napi_create_uint32(env, id, &idv);
  napi_set_element(env, r, 0, idv);
  napi_set_element(env, r, 1, ab);
  return r;
}

// (id, capacity, resultsView) -> opBlock: growth (capacity > old), or a new results buffer (same).
napi_value Grow(napi_env env, napi_callback_info info) {
  napi_value a[3];
  BatchEnv *be;
  Batch *b = BatchArg(env, info, 3, a, &be);
  if (!b) return nullptr;
  napi_value ab;
  try {
    if (!Resize(env, be, b, ArgU32(env, a[1]), a[2], &ab)) return Throw(env, "ntcopy: cannot grow the batch");
  } catch (const std::exception &) {
    return Throw(env, "ntcopy: cannot grow the batch");
  }
  return ab;
}

// Registers [index, view, index, view, ...] into the batch's view table.
bool Adopt(napi_env env, Env *e, Batch *b, napi_value pairs) {
  uint32_t n = 0;
  if (napi_get_array_length(env, pairs, &n) != napi_ok) return false;
  for (uint32_t k = 0; k + 1 < n; k += 2) {
    napi_value iv, view;
    napi_get_element(env, pairs, k, &iv);
    napi_get_element(env, pairs, k + 1, &view);
    uint32_t index = ArgU32(env, iv);
    if (index >= b->slots.size()) {
      size_t size = static_cast<size_t>(index) + 1;
      b->slots.resize(size, NT_BATCH_NO_SLOT);
      b->spans.resize(size);
      b->seen.resize(size, 0);
    }
    ReleaseSlot(e, b->slots[index]);
    b->slots[index] = NT_BATCH_NO_SLOT;
    b->slots[index] = RegisterView(e, view);
  }
  return true;
}

// (id, pairs, released indices): registers new views, releases views lib/ no longer maps.
napi_value Views(napi_env env, napi_callback_info info) {
  napi_value a[3];
  BatchEnv *be;
  Batch *b = BatchArg(env, info, 3, a, &be);
  if (!b) return nullptr;
  try {
    Adopt(env, be->e, b, a[1]);
  } catch (const std::exception &) {
    return Throw(env, "ntcopy: cannot register a view");
  }
  uint32_t n = 0;
  napi_get_array_length(env, a[2], &n);
  for (uint32_t k = 0; k < n; k++) {
    napi_value iv;
    napi_get_element(env, a[2], k, &iv);
    uint32_t index = ArgU32(env, iv);
    if (index < b->slots.size()) {
      ReleaseSlot(be->e, b->slots[index]);
      b->slots[index] = NT_BATCH_NO_SLOT;
    }
  }
  return nullptr;
}

// The hot entry. Argument block: kArg0 batch id, kArg1 op count. Optional argument: views queued since
// the last run, as [index, view, ...], registered first. Out: kStatus 0 (every op ran), -1 (op kResult0
// bug checked: ctx->fault), or kBadBatch / kNoResults / kBadOp; kResult0 the ops that ran.
napi_value Run(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  BatchEnv *be = Enter(env, info, &argc, a);
  Env *e = be->e;
  double *A = e->args;
  Batch *b = Find(be, A[kArg0]);
  double count = A[kArg1];
  A[kResult0] = 0;
  if (!b || !(count >= 0) || count > b->cap) {
    A[kStatus] = kBadBatch;
    return nullptr;
  }
  if (argc >= 1) {
    try {
      Adopt(env, e, b, a[0]);
    } catch (const std::exception &) {
      return Throw(env, "ntcopy: cannot register a view");
    }
  }
  // Status and BytesCopied: user-visible, so checked like any view (this run's epoch).
  nt_span r;
  e->ctx->ops.resolve(e->ctx->ops.ud, b->results, &r);
  size_t need = static_cast<size_t>(b->cap) * 2 * sizeof(uint32_t);
  if (!r.ptr || r.len < need) {
    A[kStatus] = kNoResults;
    return nullptr;
  }
  uint32_t *status = reinterpret_cast<uint32_t *>(r.ptr);
  uint32_t ran = 0;
  nt_batch_views views = {b->slots.data(), static_cast<uint32_t>(b->slots.size()), b->spans.data(), b->seen.data(),
                          b->serial};
  uint32_t st = nt_batch_run(e->ctx, b->ops, static_cast<uint32_t>(count), &views, status, status + b->cap, &ran);
  b->serial = views.serial;
  A[kResult0] = ran;
  A[kStatus] = st == NT_FAULTED ? -1 : st == NT_BATCH_BAD ? kBadOp : 0;
  return nullptr;
}

// (id): the CopyBatch object is gone (FinalizationRegistry): release its views and op block.
napi_value Free(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  BatchEnv *be = Enter(env, info, &argc, a);
  double id = 0;
  napi_get_value_double(env, a[0], &id);
  Batch *b = Find(be, id);
  if (b) {
    Destroy(env, be->e, b);
    be->table[static_cast<size_t>(id) - 1] = nullptr;
    be->free_ids.push_back(static_cast<uint32_t>(id));
  }
  return nullptr;
}

void Export(napi_env env, napi_value exports, BatchEnv *be, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, be, &fn);
  napi_set_named_property(env, exports, name, fn);
}

}  // namespace

void InitBatch(Napi::Env napienv, Napi::Object exportsObj) {
  napi_env env = napienv;
  napi_value exports = exportsObj;
  BatchEnv *be = new BatchEnv();
  be->e = GetEnv(env);
  napi_add_env_cleanup_hook(env, Cleanup, be);
  Export(env, exports, be, "batchNew", New);
  Export(env, exports, be, "batchGrow", Grow);
  Export(env, exports, be, "batchViews", Views);
  Export(env, exports, be, "batchRun", Run);
  Export(env, exports, be, "batchFree", Free);
}

}  // namespace ntcopy
