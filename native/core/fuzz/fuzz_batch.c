/* Differential fuzz target for the batch runner (nt_batch.c): decodes the input into a world (overlapping
 * views over one arena, WDF memory objects, MDL chains with cycles and mapping failures, NET_BUFFERs, an LSA
 * client with a read-only page and mapping failures) built twice, in two contexts over two arenas, and a
 * list of ops of the five routines (some malformed, some stale or wrong-kind handles, some size_t words in
 * raw form). Context A runs them with nt_batch_run; context B calls the single-call entries one by one.
 * Aborts on any difference: statuses, BytesCopied, where and how it stopped (fault code and parameters),
 * arena bytes, MdlFlags, client memory. Views may be shrunk or emptied (detached) before the run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nt_batch.h"
#include "nt_lsa.h"
#include "nt_ndis.h"

#define ARENA 256
#define NVIEW 8
#define NMEM 4
#define NMDL 6
#define NNB 4
#define MAXOPS 40
#define BASE UINT64_C(0x10000)

typedef struct { size_t off, len, cur; } view_t; /* cur: the bytes it holds now (shrunk / detached) */
typedef struct {
  uint8_t arena[ARENA];
  view_t views[64];
  uint32_t nviews;
} world_t;
static world_t W[2];

static void v_resolve(void *ud, uint32_t s, nt_span *o) {
  world_t *w = (world_t *)ud;
  if (s >= w->nviews || w->views[s].cur == 0) { o->ptr = NULL; o->len = 0; return; }
  o->ptr = w->arena + w->views[s].off;
  o->len = w->views[s].cur;
}
static void v_release(void *ud, uint32_t s) { (void)ud; (void)s; }
static int v_alloc(void *ud, uint64_t size, uint32_t *s) { (void)ud; (void)size; (void)s; return -1; }

typedef struct { const uint8_t *p; size_t n; } rd_t;
static uint8_t next(rd_t *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint64_t num(rd_t *r) {
  uint8_t b = next(r);
  switch (b >> 6) {
    case 0: return b & 63;
    case 1: return UINT64_MAX - (b & 7);
    case 2: return (uint64_t)(b & 63) * 9;
    default: { uint64_t v = 0; for (int i = 0; i < 8; i++) v = v << 8 | next(r); return v; }
  }
}

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); abort(); } while (0)

/* A view registered in both worlds alike: the same slot number in each. */
static uint32_t add_view(size_t off, size_t len) {
  uint32_t s = W[0].nviews;
  if (s >= 64) return 0;
  for (int k = 0; k < 2; k++) {
    W[k].views[s].off = off;
    W[k].views[s].len = W[k].views[s].cur = len;
    W[k].nviews = s + 1;
  }
  return s;
}

typedef struct {
  nt_id mems[NMEM + 3], nbs[NNB + 1], mdls[NMDL], client;
  uint32_t nmem, nnb, nmdl;
} ids_t;

/* Builds the same objects in ctx (the handle table is deterministic: the same ids in both contexts). */
static void build(nt_ctx *ctx, rd_t r, ids_t *ids, uint32_t *user_slots, uint32_t *nuser) {
  memset(ids, 0, sizeof *ids);
  uint32_t nv = 1 + next(&r) % NVIEW;
  *nuser = nv;
  for (uint32_t i = 0; i < nv; i++) {
    size_t off = next(&r) % ARENA, len = next(&r) % 48;
    if (off + len > ARENA) len = ARENA - off;
    user_slots[i] = add_view(off, len);
  }
  uint32_t nm = next(&r) % (NMEM + 1);
  for (uint32_t i = 0; i < nm; i++) {
    size_t off = next(&r) % ARENA, len = 1 + next(&r) % 40;
    if (off + len > ARENA) len = ARENA - off;
    nt_id id = 0;
    if (len && nt_wdf_memory_create_preallocated(ctx, 0, 1, add_view(off, len), len, &id) == STATUS_SUCCESS)
      ids->mems[ids->nmem++] = id;
  }
  uint8_t ro = next(&r);
  if (ro & 1) { /* read-only request memory (IRP_MJ_WRITE input) */
    size_t off = next(&r) % (ARENA - 16);
    nt_id req = 0, mem = 0;
    if (nt_wdf_request_create(ctx, 0x04, 0, 1 /* UserMode */, 1, add_view(off, 16), 0, 0, &req) == STATUS_SUCCESS &&
        nt_wdf_request_retrieve_memory(ctx, req, 0, &mem) == STATUS_SUCCESS)
      ids->mems[ids->nmem++] = mem;
  }
  uint32_t nmdl = next(&r) % (NMDL + 1);
  for (uint32_t i = 0; i < nmdl; i++) {
    size_t off = next(&r) % ARENA, len = next(&r) % 24;
    if (off + len > ARENA) len = ARENA - off;
    uint8_t f = next(&r);
    nt_id id = 0;
    if (nt_ndis_mdl_alloc(ctx, add_view(off, len), (uint32_t)len, off, f & 1, &id) == STATUS_SUCCESS) {
      ids->mdls[ids->nmdl++] = id;
      if (f & 2) nt_ndis_mdl_set_mapping_fails(ctx, id, 1);
    }
  }
  for (uint32_t i = 0; i < ids->nmdl; i++) {
    uint8_t n = next(&r);
    if (n < 160 && i + 1 < ids->nmdl) nt_ndis_mdl_set_next(ctx, ids->mdls[i], ids->mdls[i + 1]);
    else if (n >= 200 && ids->nmdl) nt_ndis_mdl_set_next(ctx, ids->mdls[i], ids->mdls[n % ids->nmdl]); /* cycles */
  }
  nt_id pool = 0;
  nt_ndis_pool_alloc(ctx, 0, &pool);
  uint32_t nnb = next(&r) % (NNB + 1);
  for (uint32_t i = 0; i < nnb && ids->nmdl; i++) {
    nt_id nb = 0;
    uint32_t m = next(&r) % ids->nmdl, doff = next(&r) % 32, dl = next(&r) % 64;
    if (nt_ndis_nb_alloc(ctx, pool, ids->mdls[m], doff, dl, &nb) == STATUS_SUCCESS) ids->nbs[ids->nnb++] = nb;
  }
  nt_lsa_client_create(ctx, NT_LSA_DEFAULT_HIGHEST, &ids->client);
  static uint8_t image[0x2000];
  for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 7 + 1);
  nt_lsa_map(ctx, ids->client, BASE, sizeof image, image, sizeof image, PAGE_READWRITE);
  nt_lsa_protect(ctx, ids->client, BASE + 0x1000, 0x1000, PAGE_READONLY);
  uint8_t lf = next(&r);
  if (lf & 1) nt_lsa_set(ctx, ids->client, NT_LSA_MAPPING_FAILS, (lf >> 1) & 1 ? 1 : 2, 0);
  /* stale and wrong-kind handles to pick from */
  nt_id stale = 0;
  nt_wdf_memory_create_preallocated(ctx, 0, 1, add_view(0, 8), 8, &stale);
  nt_wdf_object_delete(ctx, stale);
  ids->mems[ids->nmem++] = stale;
  if (ids->nmdl) ids->mems[ids->nmem++] = ids->mdls[0];
  nt_id snb = 0;
  if (nt_ndis_nb_alloc(ctx, pool, 0, 0, 0, &snb) == STATUS_SUCCESS) {
    nt_ndis_nb_free(ctx, snb);
    ids->nbs[ids->nnb++] = snb;
  }
}

typedef struct { uint32_t kind; nt_id h, h2; uint64_t a, b, c; int view; int bad; } op_t;

static nt_id pick(const nt_id *list, uint32_t n, uint8_t sel) {
  if (sel == 255 || n == 0) return 0;                               /* NULL */
  if (sel == 254) return (UINT64_C(77) << NT_ID_INDEX_BITS) | 3u;   /* forged */
  return list[sel % n];
}

/* Decodes an op; also writes it in the batch encoding (what lib/ writes). */
static void decode(rd_t *r, const ids_t *ids, uint32_t nuser, op_t *op, nt_batch_op *enc) {
  memset(op, 0, sizeof *op);
  memset(enc, 0, sizeof *enc);
  uint8_t k = next(r);
  op->kind = k % 7; /* 0 and 6: malformed */
  uint8_t vsel = next(r);
  op->view = vsel == 255 ? -1 : (int)(vsel % (nuser + 1)); /* nuser: an index with no slot */
  uint8_t rawsel = next(r);
  op->a = num(r);
  op->b = num(r);
  op->c = num(r);
  uint32_t kf = op->kind;
  switch (op->kind) {
    case NT_BATCH_WDF_FROM: case NT_BATCH_WDF_TO: op->h = pick(ids->mems, ids->nmem, next(r)); break;
    case NT_BATCH_NDIS:
      op->h = pick(ids->nbs, ids->nnb, next(r));
      op->h2 = pick(ids->nbs, ids->nnb, next(r));
      op->a &= 0xFFFFFFFFu; op->c &= 0xFFFFFFFFu;
      op->b %= 300; /* two cyclic chains copy all of BytesToCopy: keep it small */
      break;
    case NT_BATCH_LSA_FROM: case NT_BATCH_LSA_TO:
      op->h = next(r) == 255 ? 0 : ids->client;
      op->a &= 0x3FF; /* Length */
      op->b = (op->b & 1) ? BASE + 0xF00 + (op->b & 0x1FF) : op->b; /* near the read-only page, or anywhere */
      break;
    default: op->h = num(r); break;
  }
  enc->w[1].d = (double)op->h;
  if (op->kind == NT_BATCH_NDIS) {
    enc->w[2].d = (double)op->a;
    enc->w[3].d = (double)op->b;
    enc->w[4].d = (double)op->h2;
    enc->w[5].d = (double)op->c;
  } else {
    /* a size_t past 2^53 (or, by choice, any) goes raw */
    if ((rawsel & 1) || op->a >= (UINT64_C(1) << 53)) { enc->w[2].u = op->a; kf |= NT_BATCH_RAW2; } else enc->w[2].d = (double)op->a;
    if ((rawsel & 2) || op->b >= (UINT64_C(1) << 53)) { enc->w[3].u = op->b; kf |= NT_BATCH_RAW3; } else enc->w[3].d = (double)op->b;
    enc->w[4].d = op->view;
  }
  if (op->kind == 0 && (rawsel & 4)) kf = 0x7F; /* a garbage kind */
  enc->w[0].d = (double)kf;
  op->bad = op->kind == 0 || op->kind == 6 ||
            ((op->kind != NT_BATCH_NDIS) && op->view == (int)nuser);
}

static uint32_t single(nt_ctx *ctx, const op_t *op, const uint32_t *user_slots, uint32_t *copied) {
  nt_span span;
  const nt_span *view = NULL;
  if (op->kind != NT_BATCH_NDIS && op->view >= 0) {
    v_resolve(ctx->ops.ud, user_slots[op->view], &span);
    view = &span;
  }
  switch (op->kind) {
    case NT_BATCH_WDF_FROM: return nt_wdf_memory_copy_from_buffer(ctx, op->h, op->a, view, op->b);
    case NT_BATCH_WDF_TO: return nt_wdf_memory_copy_to_buffer(ctx, op->h, op->a, view, op->b);
    case NT_BATCH_NDIS: return nt_ndis_copy(ctx, op->h, (uint32_t)op->a, (uint32_t)op->b, op->h2, (uint32_t)op->c, copied);
    case NT_BATCH_LSA_FROM: return nt_lsa_copy_from_client(ctx, op->h, (uint32_t)op->a, view, op->b);
    default: return nt_lsa_copy_to_client(ctx, op->h, (uint32_t)op->a, op->b, view);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  nt_ctx *ctx[2];
  ids_t ids[2];
  uint32_t user_slots[2][NVIEW], nuser[2];
  memset(user_slots, 0, sizeof user_slots); /* compared whole below */
  memset(W, 0, sizeof W);
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < ARENA; i++) W[k].arena[i] = (uint8_t)(i * 31 + 5);
    nt_view_ops ops = {&W[k], v_resolve, v_release, v_alloc};
    ctx[k] = nt_ctx_new(&ops);
    if (!ctx[k]) abort();
  }
  rd_t r = {data, size};
  size_t build_len = size / 2 < 64 ? size / 2 : 64;
  for (int k = 0; k < 2; k++) {
    W[0].nviews = W[1].nviews = 0; /* add_view registers each view in both worlds: the same slots again */
    build(ctx[k], (rd_t){data, build_len}, &ids[k], user_slots[k], &nuser[k]);
  }
  r.p += build_len;
  r.n -= build_len;
  if (nuser[0] != nuser[1] || memcmp(&ids[0], &ids[1], sizeof ids[0]) || memcmp(user_slots[0], user_slots[1], sizeof user_slots[0]))
    FAIL("twin worlds differ\n");
  /* Views shrunk or detached before the run (both worlds). */
  uint8_t shrink = next(&r);
  for (uint32_t s = 0; s < W[0].nviews; s++) {
    if (((shrink >> (s & 7)) & 1) && (s * 37 + shrink) % 3 == 0)
      W[0].views[s].cur = W[1].views[s].cur = W[0].views[s].cur / 2;
  }
  op_t ops[MAXOPS];
  nt_batch_op enc[MAXOPS];
  uint32_t count = 0;
  while (r.n && count < MAXOPS) { decode(&r, &ids[0], nuser[0], &ops[count], &enc[count]); count++; }

  /* A: the batch */
  nt_span spans[NVIEW];
  uint64_t seen[NVIEW] = {0};
  nt_batch_views views = {user_slots[0], nuser[0], spans, seen, 0};
  uint32_t status[MAXOPS], copied[MAXOPS], ran = 99;
  memset(status, 0xCD, sizeof status);
  memset(copied, 0xCD, sizeof copied);
  uint32_t rc = nt_batch_run(ctx[0], enc, count, &views, status, copied, &ran);

  /* B: one by one */
  uint32_t i;
  uint32_t want_rc = STATUS_SUCCESS;
  for (i = 0; i < count; i++) {
    if (ops[i].bad) { want_rc = NT_BATCH_BAD; break; }
    uint32_t c = 0;
    uint32_t st = single(ctx[1], &ops[i], user_slots[1], &c);
    if (st == NT_FAULTED) { want_rc = NT_FAULTED; break; }
    if (status[i] != st) FAIL("op %u: status %08x, one by one %08x\n", i, status[i], st);
    if (copied[i] != (ops[i].kind == NT_BATCH_NDIS ? c : 0)) FAIL("op %u: BytesCopied %u, one by one %u\n", i, copied[i], c);
  }
  if (rc != want_rc || ran != i) FAIL("batch returned %08x at op %u, one by one %08x at op %u\n", rc, ran, want_rc, i);
  if (rc == NT_FAULTED && memcmp(&ctx[0]->fault, &ctx[1]->fault, sizeof ctx[0]->fault))
    FAIL("op %u: fault %x (%llx %llx %llx %llx), one by one %x\n", i, ctx[0]->fault.code,
         (unsigned long long)ctx[0]->fault.p[0], (unsigned long long)ctx[0]->fault.p[1],
         (unsigned long long)ctx[0]->fault.p[2], (unsigned long long)ctx[0]->fault.p[3], ctx[1]->fault.code);
  if (rc != STATUS_SUCCESS)
    for (uint32_t k = i; k < count; k++)
      if (status[k] != 0xCDCDCDCDu || copied[k] != 0xCDCDCDCDu) FAIL("op %u, at or after the stop, was written\n", k);
  if (memcmp(W[0].arena, W[1].arena, ARENA)) FAIL("arena bytes differ\n");
  for (uint32_t m = 0; m < ids[0].nmdl; m++) {
    nt_mdl_info a, b;
    uint32_t sa = nt_ndis_mdl_get(ctx[0], ids[0].mdls[m], &a), sb = nt_ndis_mdl_get(ctx[1], ids[1].mdls[m], &b);
    if (sa != sb || (sa == STATUS_SUCCESS && a.flags != b.flags)) FAIL("MDL %u flags differ\n", m);
  }
  static uint8_t ca[0x2000], cb[0x2000];
  nt_lsa_peek(ctx[0], ids[0].client, BASE, ca, sizeof ca);
  nt_lsa_peek(ctx[1], ids[1].client, BASE, cb, sizeof cb);
  if (memcmp(ca, cb, sizeof ca)) FAIL("client memory differs\n");
  nt_ctx_free(ctx[0]);
  nt_ctx_free(ctx[1]);
  return 0;
}
