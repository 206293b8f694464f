/* Differential fuzz target for the WDF family: decodes the input into a scenario of memory objects,
 * requests, views that get shrunk or detached, and copies; runs it on the core and on a tiny
 * independent model of SEMANTICS section 1; aborts on any difference in status, fault or byte. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"

#define NOBJ 4
#define CAP 64
#define PAD 8
#define ARENA (NOBJ * (CAP + 2 * PAD))

/* Views: slot k < NOBJ is object k's backing window; slots >= NOBJ are request/assign windows. */
typedef struct { uint8_t *ptr; size_t len; } view_t;
static view_t views[64];
static void v_resolve(void *ud, uint32_t s, nt_span *o) { (void)ud; o->ptr = views[s].len ? views[s].ptr : NULL; o->len = views[s].len; }
static void v_release(void *ud, uint32_t s) { (void)ud; (void)s; }
static int v_alloc(void *ud, uint64_t size, uint32_t *s) { (void)ud; (void)size; (void)s; return -1; }

static uint8_t arena[ARENA], marena[ARENA], src[CAP + PAD];

typedef struct {
  int alive, ro, is_req;
  nt_id id, req;  /* request id for request memory */
  nt_id sib;      /* the request's memory of the other direction, when retrieved (IOCTLs) */
  uint64_t size;
  uint32_t slot;
} obj_t;

typedef struct { const uint8_t *p; size_t n; } rd_t;
static uint8_t next(rd_t *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint64_t num(rd_t *r) {
  uint8_t b = next(r);
  switch (b >> 6) {
    case 0: return b & 63;                              /* small */
    case 1: return UINT64_MAX - (b & 7);                /* near 2^64 */
    case 2: return (uint64_t)(b & 63) + CAP / 2;        /* around sizes */
    default: { uint64_t v = 0; for (int i = 0; i < 8; i++) v = v << 8 | next(r); return v; }
  }
}

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); abort(); } while (0)

/* Model of W4..W8 / T3..T7 over marena; returns status, or fault code in *fault (p2 in *p2). */
static uint32_t model_copy(obj_t *o, int to, uint64_t off, int has_buf, size_t buflen, uint8_t *mbuf, uint64_t n,
                           uint32_t *fault, uint64_t *p1, uint64_t *p2) {
  *fault = 0;
  if (!o || !o->alive) { *fault = WDF_VIOLATION; *p1 = 5; return NT_FAULTED; }
  if (!has_buf) { *fault = WDF_VIOLATION; *p1 = 4; return NT_FAULTED; }
  if (n == 0) return STATUS_INVALID_PARAMETER;
  if (!to && o->ro) return STATUS_ACCESS_VIOLATION;
  uint32_t too_big = to ? STATUS_BUFFER_TOO_SMALL : STATUS_INVALID_BUFFER_SIZE;
  if (off != 0 && off >= o->size) return too_big;
  if (n > o->size - off) return too_big;
  if (off + n > views[o->slot].len) { *fault = PAGE_FAULT_IN_NONPAGED_AREA; *p2 = to ? 0 : 1; return NT_FAULTED; }
  if (n > buflen) { *fault = DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION; *p2 = to ? 1 : 0; return NT_FAULTED; }
  uint8_t *mem = marena + (views[o->slot].ptr - arena);
  if (to) memmove(mbuf, mem + off, (size_t)n); else memmove(mem + off, mbuf, (size_t)n);
  return STATUS_SUCCESS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rd_t r = {data, size};
  nt_view_ops ops = {NULL, v_resolve, v_release, v_alloc};
  nt_ctx *ctx = nt_ctx_new(&ops);
  obj_t objs[NOBJ];
  memset(objs, 0, sizeof objs);
  memset(views, 0, sizeof views);
  for (size_t i = 0; i < ARENA; i++) arena[i] = marena[i] = (uint8_t)(i * 7 + 1);
  for (size_t i = 0; i < sizeof src; i++) src[i] = (uint8_t)(i * 13 + 5);
  uint32_t next_slot = NOBJ;

  for (int step = 0; step < 64 && r.n; step++) {
    uint8_t op = next(&r), k = next(&r) % NOBJ;
    obj_t *o = &objs[k];
    uint8_t *win = arena + k * (CAP + 2 * PAD) + PAD;
    switch (op % 6) {
      case 0: case 1: { /* (re)create object k: preallocated, or request memory (maybe read-only) */
        if (o->alive) break;
        uint64_t sz = 1 + next(&r) % CAP;
        views[k].ptr = win;
        views[k].len = (size_t)sz;
        o->slot = k;
        o->size = sz;
        if (op % 6 == 0) {
          if (nt_wdf_memory_create_preallocated(ctx, 0, 1, k, sz, &o->id) != STATUS_SUCCESS) FAIL("create\n");
          o->ro = 0;
          o->is_req = 0;
        } else {
          static const uint32_t majors[] = {IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL};
          uint8_t b = next(&r);
          uint32_t major = majors[b & 3], method = (b >> 2) & 3;
          uint32_t mode = (b >> 5) & 1 ? KernelMode : UserMode;
          int output = major == IRP_MJ_READ ? 1 : major == IRP_MJ_WRITE ? 0 : (b >> 4) & 1;
          int ioctl = major >= IRP_MJ_DEVICE_CONTROL;
          if (b & 0x40) views[k].len = 0; /* a zero-length buffer (the IRP's length is fixed at creation) */
          /* IOCTLs get both buffers (aliasing one window); READ / WRITE the one they have */
          int has_in = ioctl || !output, has_out = ioctl || output;
          if (nt_wdf_request_create(ctx, major, 0x220000 | method, mode, has_in, k, has_out, k, &o->req) != STATUS_SUCCESS) FAIL("req\n");
          /* 6.2 / S7.6: a zero length first, then METHOD_NEITHER only for a user-mode IRP_MJ_DEVICE_CONTROL */
          uint32_t want = views[k].len == 0 ? STATUS_BUFFER_TOO_SMALL
                        : major == IRP_MJ_DEVICE_CONTROL && method == METHOD_NEITHER && mode == UserMode ? STATUS_INVALID_DEVICE_REQUEST
                        : STATUS_SUCCESS;
          nt_id got_id = 99;
          uint32_t got = nt_wdf_request_retrieve_memory(ctx, o->req, output, &got_id);
          if (got != want) FAIL("retrieve: %08x != model %08x (major %x method %u mode %u)\n", got, want, major, method, mode);
          if (got != STATUS_SUCCESS) {
            if (got_id != 0) FAIL("retrieve: memory not NULL on failure\n");
            if (nt_wdf_object_delete(ctx, o->req) != STATUS_SUCCESS) FAIL("delete refused req\n");
            o->id = 0;
            break;
          }
          o->id = got_id;
          o->sib = 0;
          if (ioctl && nt_wdf_request_retrieve_memory(ctx, o->req, !output, &o->sib) != STATUS_SUCCESS) FAIL("sibling\n");
          /* SEMANTICS 1.1 read-only table, restated; METHOD_NEITHER memory (S7.6) is writable */
          o->ro = output ? (ioctl && method == METHOD_IN_DIRECT)
                         : (major == IRP_MJ_WRITE || (ioctl && (method == METHOD_IN_DIRECT || method == METHOD_OUT_DIRECT)));
          o->is_req = 1;
        }
        o->alive = 1;
        break;
      }
      case 2: case 3: { /* copy from (2) or to (3) */
        int to = op % 6 == 3;
        uint64_t off = num(&r), n = num(&r);
        uint8_t how = next(&r);
        int has_buf = (how & 3) != 0;
        uint8_t *buf = src, *mbuf = src;
        size_t buflen = next(&r) % (CAP + PAD);
        uint8_t msrc[sizeof src];
        memcpy(msrc, src, sizeof src);
        if ((how & 3) == 3) { /* overlap: a window into another object's arena (maybe our own) */
          size_t at = ((how >> 2) % NOBJ) * (CAP + 2 * PAD) + (next(&r) % (CAP + PAD));
          buf = arena + at;
          mbuf = marena + at;
          if (at + buflen > ARENA) buflen = ARENA - at;
        } else {
          mbuf = msrc;
        }
        nt_span s = {buflen ? buf : NULL, buflen};
        uint32_t mfault;
        uint64_t mp1 = 0, mp2 = 0;
        uint32_t want = model_copy(o->alive ? o : NULL, to, off, has_buf, buflen, mbuf, n, &mfault, &mp1, &mp2);
        nt_id id = o->alive ? o->id : (o->id ? o->id : 0);
        uint32_t got = to ? nt_wdf_memory_copy_to_buffer(ctx, id, off, has_buf ? &s : NULL, n)
                          : nt_wdf_memory_copy_from_buffer(ctx, id, off, has_buf ? &s : NULL, n);
        if (got != want) FAIL("status %08x != model %08x (op %u off %llx n %llx)\n", got, want, op, (unsigned long long)off, (unsigned long long)n);
        if (got == NT_FAULTED) {
          if (ctx->fault.code != mfault) FAIL("fault %x != %x\n", ctx->fault.code, mfault);
          if (mfault == WDF_VIOLATION && ctx->fault.p[0] != mp1) FAIL("p1\n");
          if (mfault != WDF_VIOLATION && ctx->fault.p[1] != mp2) FAIL("p2\n");
        }
        if (memcmp(src, msrc, sizeof src) != 0 && (how & 3) != 3) FAIL("source/caller buffer differs\n");
        break;
      }
      case 4: /* delete: for request memory, the request or (S7.5) one of its memories, which deletes the request */
        if (!o->alive) break;
        if (o->is_req) {
          uint8_t how = next(&r) % 3;
          nt_id victim = how == 0 ? o->req : how == 1 || !o->sib ? o->id : o->sib;
          if (nt_wdf_object_delete(ctx, victim) != STATUS_SUCCESS) FAIL("delete (%u)\n", how);
          /* S7.5: the request and both its memories are stale now, each with its routine's P3 */
          nt_id m;
          if (nt_wdf_request_retrieve_memory(ctx, o->req, 1, &m) != NT_FAULTED || ctx->fault.p[2] != FX_TYPE_REQUEST)
            FAIL("request alive after delete (%u)\n", how);
          nt_span one = {src, 1};
          if (o->sib && (nt_wdf_memory_copy_to_buffer(ctx, o->sib, 0, &one, 1) != NT_FAULTED || ctx->fault.p[2] != IFX_TYPE_MEMORY))
            FAIL("sibling memory alive after delete (%u)\n", how);
          if (nt_wdf_object_delete(ctx, o->id) != NT_FAULTED || ctx->fault.p[2] != FX_TYPE_OBJECT) FAIL("memory delete twice\n");
        } else if (nt_wdf_object_delete(ctx, o->id) != STATUS_SUCCESS) FAIL("delete\n");
        o->alive = 0;
        break;
      case 5: /* the JS side shrinks, grows back or detaches the view */
        if (o->alive) views[o->slot].len = next(&r) % (CAP + 1);
        break;
    }
    if (memcmp(arena, marena, ARENA) != 0) FAIL("bytes differ after op %u\n", op);
  }
  (void)next_slot;
  nt_ctx_free(ctx);
  return 0;
}
