/* LSA client buffers over a simulated client address space: SEMANTICS.md section 3 and section 6
 * rules 1, 8, 9, 10; API.md sections 5 and 7.
 *
 * Address space = a sorted array of runs (page range, protection, base page of the mapping it belongs
 * to), searched by binary search: a copy visits only the runs its range overlaps. Page contents live
 * in a hash table keyed by page number and are materialized on first write (a never-written page
 * reads as zeros), so a huge mapped range costs nothing until it is written. Pages written together
 * (a chunk of a copy, a poke, the data of a map) are allocated as one contiguous block, so a large
 * copy is a few long memcpys rather than one per 4 KiB page. Page numbers are address >> 12, so no
 * page arithmetic can overflow 64 bits. */
#include <stdlib.h>
#include <string.h>
#include "nt_core.h"
#include "nt_family.h"
#include "nt_lsa.h"

#define PAGE NT_LSA_PAGE_SIZE
#define PAGE_MASK ((uint64_t)PAGE - 1u)

typedef struct lsa_run {
  uint64_t page, npages; /* [page, page + npages) */
  uint64_t alloc;        /* first page of the mapping (allocation) this run belongs to */
  uint32_t prot;
} lsa_run;

/* A block of pages materialized together; freed when its last live page goes (pages of one block
 * may belong to adjacent mappings that are released separately). */
typedef struct lsa_block {
  uint64_t live;
  uint64_t page0, npages; /* made for [page0, page0 + npages): while live == npages, all still here */
  uint64_t pad[5];        /* pages start 64 bytes in */
} lsa_block;

typedef struct lsa_slot {
  uint64_t page;
  uint8_t *data;   /* NULL = empty slot */
  lsa_block *block;
} lsa_slot;

typedef struct lsa_client {
  nt_id self;
  uint64_t highest;
  lsa_run *runs;
  size_t nruns, rcap;
  lsa_slot *pt;    /* open addressing, linear probing, power-of-two capacity, load <= 1/2 */
  size_t pcap, pcount;
  unsigned pshift; /* 64 - log2(pcap) */
  int completed, closed, terminating;
  uint32_t rights;
  uint32_t mapfail;   /* 0 off, 1 every chunk, 2 chunk mapfail_k only */
  uint64_t mapfail_k;
} lsa_client;

/* ---- page table ---- */

static size_t pt_home(const lsa_client *c, uint64_t page) {
  return (size_t)((page * UINT64_C(0x9E3779B97F4A7C15)) >> c->pshift);
}

static const lsa_slot *pt_slot(const lsa_client *c, uint64_t page) {
  if (!c->pcount) return NULL;
  size_t mask = c->pcap - 1;
  for (size_t i = pt_home(c, page);; i = (i + 1) & mask) {
    if (!c->pt[i].data) return NULL;
    if (c->pt[i].page == page) return &c->pt[i];
  }
}

static uint8_t *pt_get(const lsa_client *c, uint64_t page) {
  const lsa_slot *s = pt_slot(c, page);
  return s ? s->data : NULL;
}

/* Bytes from page's start that are host-contiguous for sure: the rest of its block when no page of the
 * block was ever released (pages are only added where absent, and each release decrements live). */
static size_t pt_span(const lsa_slot *s, uint64_t page) {
  const lsa_block *b = s->block;
  return b->live == b->npages ? (size_t)(b->page0 + b->npages - page) * PAGE : PAGE;
}

static void pt_put(lsa_client *c, uint64_t page, uint8_t *data, lsa_block *block) {
  size_t mask = c->pcap - 1;
  size_t i = pt_home(c, page);
  while (c->pt[i].data) i = (i + 1) & mask;
  c->pt[i].page = page;
  c->pt[i].data = data;
  c->pt[i].block = block;
  c->pcount++;
}

static int pt_grow(lsa_client *c) {
  size_t ncap = c->pcap ? c->pcap * 2 : 64;
  unsigned nshift = c->pcap ? c->pshift - 1 : 58; /* 64 - log2(64) */
  lsa_slot *n = (lsa_slot *)calloc(ncap, sizeof *n);
  if (!n) return -1;
  lsa_slot *old = c->pt;
  size_t ocap = c->pcap;
  c->pt = n;
  c->pcap = ncap;
  c->pshift = nshift;
  c->pcount = 0;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].data) pt_put(c, old[i].page, old[i].data, old[i].block);
  free(old);
  return 0;
}

/* Room for `extra` more pages without a rehash failing half-way (load <= 1/2). */
static int pt_reserve(lsa_client *c, uint64_t extra) {
  while ((c->pcount + extra) * 2 > c->pcap)
    if (c->pcap > SIZE_MAX / 4 / sizeof(lsa_slot) || pt_grow(c) != 0) return -1;
  return 0;
}

/* Materializes the absent pages among [p0, p0 + n) zero-filled, each maximal run of absent pages
 * as one contiguous block; -1 when the host is out of memory (pages made so far read as zeros). */
static int pt_materialize(lsa_client *c, uint64_t p0, uint64_t n) {
  if (pt_reserve(c, n) != 0) return -1;
  for (uint64_t p = p0; p < p0 + n;) {
    if (pt_get(c, p)) { p++; continue; }
    uint64_t k = 1;
    while (p + k < p0 + n && !pt_get(c, p + k)) k++;
    if (k > (SIZE_MAX - sizeof(lsa_block)) / PAGE) return -1;
    lsa_block *b = (lsa_block *)calloc(1, sizeof(lsa_block) + (size_t)k * PAGE);
    if (!b) return -1;
    b->live = k;
    b->page0 = p;
    b->npages = k;
    uint8_t *d = (uint8_t *)(b + 1);
    for (uint64_t j = 0; j < k; j++) pt_put(c, p + j, d + j * PAGE, b);
    p += k;
  }
  return 0;
}

/* Backward-shift deletion keeps every probe sequence unbroken without tombstones. */
static void pt_remove(lsa_client *c, uint64_t page) {
  if (!c->pcount) return;
  size_t mask = c->pcap - 1;
  size_t i = pt_home(c, page);
  for (;; i = (i + 1) & mask) {
    if (!c->pt[i].data) return;
    if (c->pt[i].page == page) break;
  }
  if (--c->pt[i].block->live == 0) free(c->pt[i].block);
  c->pcount--;
  size_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!c->pt[j].data) break;
    size_t k = pt_home(c, c->pt[j].page);
    /* slot j may move to i unless its home lies cyclically in (i, j] */
    int in_between = (i <= j) ? (k > i && k <= j) : (k > i || k <= j);
    if (!in_between) {
      c->pt[i] = c->pt[j];
      i = j;
    }
  }
  c->pt[i].data = NULL;
  c->pt[i].block = NULL;
  c->pt[i].page = 0;
}

/* Frees the storage of pages [p0, p1): per page when the range is smaller than the table, else
 * one sweep of the table (a 1 GiB unmap must not cost 262144 probes of an almost empty table). */
static void pt_remove_range(lsa_client *c, uint64_t p0, uint64_t p1) {
  if (!c->pcount) return;
  if (p1 - p0 <= c->pcap) {
    for (uint64_t p = p0; p < p1; p++) pt_remove(c, p);
    return;
  }
  for (size_t i = 0; i < c->pcap;) {
    if (c->pt[i].data && c->pt[i].page >= p0 && c->pt[i].page < p1) {
      pt_remove(c, c->pt[i].page); /* may shift a later entry into i: look at i again */
      continue;
    }
    i++;
  }
}

/* ---- runs ---- */

/* Index of the first run that ends after `page` (nruns if none): O(log n). */
static size_t run_find(const lsa_client *c, uint64_t page) {
  size_t lo = 0, hi = c->nruns;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->runs[mid].page + c->runs[mid].npages <= page) lo = mid + 1; else hi = mid;
  }
  return lo;
}

static int run_reserve(lsa_client *c, size_t extra) {
  if (c->nruns + extra <= c->rcap) return 0;
  size_t ncap = c->rcap ? c->rcap * 2 : 16;
  while (ncap < c->nruns + extra) ncap *= 2;
  lsa_run *r = (lsa_run *)realloc(c->runs, ncap * sizeof *r);
  if (!r) return -1;
  c->runs = r;
  c->rcap = ncap;
  return 0;
}

static void run_insert(lsa_client *c, size_t at, lsa_run r) {
  memmove(&c->runs[at + 1], &c->runs[at], (c->nruns - at) * sizeof r);
  c->runs[at] = r;
  c->nruns++;
}

static void run_erase(lsa_client *c, size_t at, size_t n) {
  memmove(&c->runs[at], &c->runs[at + n], (c->nruns - at - n) * sizeof *c->runs);
  c->nruns -= n;
}

/* Splits the run holding `page` so that a run starts there (no-op at a boundary or in a hole). */
static int run_split_at(lsa_client *c, uint64_t page) {
  size_t i = run_find(c, page);
  if (i == c->nruns || c->runs[i].page >= page) return 0;
  if (run_reserve(c, 1) != 0) return -1;
  lsa_run tail = c->runs[i];
  tail.npages = tail.page + tail.npages - page;
  tail.page = page;
  c->runs[i].npages = page - c->runs[i].page;
  run_insert(c, i + 1, tail);
  return 0;
}

/* Readable / writable sets of API.md section 5; NOCACHE and WRITECOMBINE change neither (v1.2). */
static int prot_readable(uint32_t p) {
  if (p & PAGE_GUARD) return 0;
  switch (p & 0xFFu) {
    case PAGE_READONLY: case PAGE_READWRITE: case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ: case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY: return 1;
    default: return 0;
  }
}
static int prot_writable(uint32_t p) {
  if (p & PAGE_GUARD) return 0;
  switch (p & 0xFFu) {
    case PAGE_READWRITE: case PAGE_WRITECOPY: case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY: return 1;
    default: return 0;
  }
}

enum { NEED_MAPPED, NEED_READ, NEED_WRITE };

/* Every page of pages [p0, p1] is mapped and, for NEED_READ / NEED_WRITE, readable / writable.
 * Visits only the runs overlapping the range. */
static int pages_ok(const lsa_client *c, uint64_t p0, uint64_t p1, int need) {
  size_t i = run_find(c, p0);
  uint64_t cur = p0;
  for (;;) {
    if (i == c->nruns || c->runs[i].page > cur) return 0; /* hole: free page */
    const lsa_run *r = &c->runs[i];
    if (need == NEED_READ && !prot_readable(r->prot)) return 0;
    if (need == NEED_WRITE && !prot_writable(r->prot)) return 0;
    uint64_t end = r->page + r->npages; /* first page after the run */
    if (end > p1) return 1;
    cur = end;
    i++;
  }
}

/* Byte range [a, a + len), len > 0, a + len - 1 not wrapping (checked by every caller). */
static int bytes_ok(const lsa_client *c, uint64_t a, uint64_t len, int need) {
  return pages_ok(c, a >> NT_LSA_PAGE_SHIFT, (a + len - 1) >> NT_LSA_PAGE_SHIFT, need);
}

/* Client bytes out: one memcpy (or memset for never-written pages) per run of pages that are
 * contiguous in host memory. */
static void client_read(const lsa_client *c, uint64_t a, uint8_t *dst, size_t len) {
  while (len) {
    size_t off = (size_t)(a & PAGE_MASK);
    uint64_t page = a >> NT_LSA_PAGE_SHIFT;
    const lsa_slot *s = pt_slot(c, page);
    const uint8_t *p = s ? s->data : NULL;
    size_t n = (s ? pt_span(s, page) : PAGE) - off; /* an intact block: no per-page lookups */
    while (n < len) { /* extend over following pages stored right after this one (or all zero) */
      const uint8_t *q = pt_get(c, page + ((off + n) >> NT_LSA_PAGE_SHIFT));
      if (p ? q != p + off + n : q != NULL) break;
      n += PAGE;
    }
    if (n > len) n = len;
    if (p) memcpy(dst, p + off, n); else memset(dst, 0, n);
    dst += n;
    a += n;
    len -= n;
  }
}

/* Materializes the pages of [a, a + len) before anything is written, so running out of host
 * memory never leaves a half-written range; -1 on failure. */
static int client_materialize(lsa_client *c, uint64_t a, size_t len) {
  uint64_t p0 = a >> NT_LSA_PAGE_SHIFT, p1 = (a + len - 1) >> NT_LSA_PAGE_SHIFT;
  return pt_materialize(c, p0, p1 - p0 + 1);
}

/* Client bytes in; the pages exist (client_materialize). One memcpy per host-contiguous run. */
static void client_write(lsa_client *c, uint64_t a, const uint8_t *src, size_t len) {
  while (len) {
    size_t off = (size_t)(a & PAGE_MASK);
    uint64_t page = a >> NT_LSA_PAGE_SHIFT;
    const lsa_slot *s = pt_slot(c, page);
    uint8_t *p = s->data;
    size_t n = pt_span(s, page) - off;
    while (n < len && pt_get(c, page + ((off + n) >> NT_LSA_PAGE_SHIFT)) == p + off + n) n += PAGE;
    if (n > len) n = len;
    memcpy(p + off, src, n);
    src += n;
    a += n;
    len -= n;
  }
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

/* ---- handles ---- */

static lsa_client *client_of(const nt_ctx *ctx, nt_id id) {
  return (lsa_client *)nt_handle_get_type(ctx, id, NT_T_LSA_REQUEST);
}

/* L0 / API.md 1: NULL, stale (completed) or other-kind request: lsass dies, 0xEF with P1 = 0. */
static lsa_client *live_request(nt_ctx *ctx, nt_id id) {
  lsa_client *c = client_of(ctx, id);
  if (!c || c->completed) {
    nt_fault_set(ctx, CRITICAL_PROCESS_DIED, 0, 0, 0, 0);
    return NULL;
  }
  return c;
}

/* L3 (handle state, then the right) and L4. */
static uint32_t reference_process(const lsa_client *c, uint32_t right) {
  if (c->closed) return STATUS_INVALID_HANDLE;             /* L3 */
  if (!(c->rights & right)) return STATUS_ACCESS_DENIED;   /* L3 */
  if (c->terminating) return STATUS_PROCESS_IS_TERMINATING; /* L4 */
  return STATUS_SUCCESS;
}

/* L1: the end address (one past the range) is tested, so it applies at Length 0 too [WRK-MM]. */
static int range_bad(const lsa_client *c, uint64_t a, uint32_t len) {
  uint64_t end = a + len;
  return end < a || end > c->highest;
}

static int chunk_mapping_fails(const lsa_client *c, uint64_t k) {
  return c->mapfail == 1 || (c->mapfail == 2 && c->mapfail_k == k);
}

uint32_t nt_lsa_client_create(nt_ctx *ctx, uint64_t highest, nt_id *request) {
  nt_id id;
  lsa_client *c = (lsa_client *)nt_obj_new(ctx, NT_T_LSA_REQUEST, sizeof *c, &id);
  if (!c) return STATUS_INSUFFICIENT_RESOURCES;
  c->self = id;
  c->highest = highest;
  c->rights = NT_LSA_RIGHT_READ | NT_LSA_RIGHT_WRITE | NT_LSA_RIGHT_OPERATION;
  *request = c->self;
  return STATUS_SUCCESS;
}

void nt_lsa_client_free(nt_ctx *ctx, nt_id request) {
  if (client_of(ctx, request)) nt_handle_free(ctx, request);
}

void nt_lsa_obj_free(nt_ctx *ctx, uint32_t type, void *obj) {
  (void)ctx;
  (void)type;
  lsa_client *c = (lsa_client *)obj;
  for (size_t i = 0; i < c->pcap; i++)
    if (c->pt[i].data && --c->pt[i].block->live == 0) free(c->pt[i].block);
  free(c->pt);
  free(c->runs);
  free(c);
}

void nt_lsa_ctx_free(nt_ctx *ctx) { (void)ctx; }

/* ---- host controls ---- */

int nt_lsa_protect_valid(uint32_t p) {
  uint32_t base = p & 0xFFu, mods = p & ~0xFFu;
  if (base == 0 || (base & (base - 1)) != 0) return 0; /* exactly one base protection */
  if (mods & ~(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE)) return 0;
  /* S7.2: at most one of GUARD / NOCACHE / WRITECOMBINE, none with NOACCESS (VirtualAlloc / VirtualProtect
   * refuse the rest) */
  if (mods & (mods - 1)) return 0;
  if (base == PAGE_NOACCESS && mods) return 0;
  return 1;
}

/* Page range [p0, p1) of a byte range: the range lies in [0, highest] and is not empty. */
static int page_range(const lsa_client *c, uint64_t a, uint64_t len, uint64_t *p0, uint64_t *p1) {
  if (len == 0) return NT_LSA_E_SIZE;
  if (a > c->highest || len - 1 > c->highest - a) return NT_LSA_E_RANGE;
  *p0 = a >> NT_LSA_PAGE_SHIFT;
  *p1 = ((a + len - 1) >> NT_LSA_PAGE_SHIFT) + 1;
  return NT_LSA_OK;
}

/* Inserts a mapping of pages [p0, p1) (already checked free) with protection `prot`. */
static int add_mapping(lsa_client *c, uint64_t p0, uint64_t p1, uint32_t prot) {
  if (run_reserve(c, 1) != 0) return NT_LSA_E_NOMEM;
  lsa_run r = {p0, p1 - p0, p0, prot};
  run_insert(c, run_find(c, p0), r);
  return NT_LSA_OK;
}

static int range_free(const lsa_client *c, uint64_t p0, uint64_t p1) {
  size_t i = run_find(c, p0);
  return i == c->nruns || c->runs[i].page >= p1;
}

int nt_lsa_map(nt_ctx *ctx, nt_id request, uint64_t base, uint64_t size, const uint8_t *data, size_t data_len,
               uint32_t protect) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  if (base & PAGE_MASK) return NT_LSA_E_ALIGN;
  if (!nt_lsa_protect_valid(protect)) return NT_LSA_E_PROTECT;
  if (data && data_len > size) return NT_LSA_E_SIZE;
  uint64_t p0, p1;
  int e = page_range(c, base, size, &p0, &p1);
  if (e) return e;
  /* the mapping covers whole pages: the page-rounded end must be user space too */
  if ((p1 << NT_LSA_PAGE_SHIFT) - 1 > c->highest && p1 != (UINT64_C(1) << 52)) return NT_LSA_E_RANGE;
  if (!range_free(c, p0, p1)) return NT_LSA_E_OVERLAP;
  /* data first (runs of non-zero pages become blocks; all-zero pages stay unmaterialized), then the
   * run: all or nothing */
  size_t npg = (data_len + PAGE - 1) / PAGE;
  for (size_t i = 0; data && i < npg;) {
    size_t n = data_len - i * PAGE < PAGE ? data_len - i * PAGE : PAGE;
    if (all_zero(data + i * PAGE, n)) { i++; continue; }
    size_t j = i + 1;
    while (j < npg && !all_zero(data + j * PAGE, data_len - j * PAGE < PAGE ? data_len - j * PAGE : PAGE)) j++;
    size_t bytes = (j == npg ? data_len : j * PAGE) - i * PAGE;
    if (client_materialize(c, base + i * PAGE, bytes) != 0) { pt_remove_range(c, p0, p1); return NT_LSA_E_NOMEM; }
    client_write(c, base + i * PAGE, data + i * PAGE, bytes);
    i = j;
  }
  e = add_mapping(c, p0, p1, protect);
  if (e) pt_remove_range(c, p0, p1);
  return e;
}

int nt_lsa_protect(nt_ctx *ctx, nt_id request, uint64_t base, uint64_t size, uint32_t protect) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  if (!nt_lsa_protect_valid(protect)) return NT_LSA_E_PROTECT;
  uint64_t p0, p1;
  int e = page_range(c, base, size, &p0, &p1);
  if (e) return e;
  if (!pages_ok(c, p0, p1 - 1, NEED_MAPPED)) return NT_LSA_E_UNMAPPED;
  if (run_reserve(c, 2) != 0) return NT_LSA_E_NOMEM;
  run_split_at(c, p0); /* cannot fail: room reserved */
  run_split_at(c, p1);
  size_t i = run_find(c, p0);
  size_t j = i;
  for (; j < c->nruns && c->runs[j].page < p1; j++) c->runs[j].prot = protect;
  /* re-merge neighbours of one mapping with equal protection, so toggling never grows the array */
  size_t lo = i ? i - 1 : 0, hi = j < c->nruns ? j : c->nruns - 1;
  for (size_t k = hi; k > lo; k--) {
    lsa_run *a = &c->runs[k - 1], *b = &c->runs[k];
    if (a->alloc == b->alloc && a->prot == b->prot && a->page + a->npages == b->page) {
      a->npages += b->npages;
      run_erase(c, k, 1);
    }
  }
  return NT_LSA_OK;
}

/* Removes the mapping whose first run is at index i (all its runs are contiguous). */
static void remove_mapping(lsa_client *c, size_t i) {
  uint64_t alloc = c->runs[i].alloc;
  size_t j = i;
  while (j < c->nruns && c->runs[j].alloc == alloc) j++;
  uint64_t p1 = c->runs[j - 1].page + c->runs[j - 1].npages;
  pt_remove_range(c, alloc, p1);
  run_erase(c, i, j - i);
}

int nt_lsa_unmap(nt_ctx *ctx, nt_id request, uint64_t base) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  uint64_t page = base >> NT_LSA_PAGE_SHIFT;
  size_t i = run_find(c, page);
  if (i == c->nruns || c->runs[i].page > page) return NT_LSA_E_UNMAPPED;
  if ((base & PAGE_MASK) || c->runs[i].alloc != page) return NT_LSA_E_NOT_BASE;
  remove_mapping(c, i);
  return NT_LSA_OK;
}

int nt_lsa_peek(nt_ctx *ctx, nt_id request, uint64_t addr, uint8_t *out, size_t len) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  if (len == 0) return NT_LSA_OK;
  uint64_t p0, p1;
  int e = page_range(c, addr, len, &p0, &p1);
  if (e) return e == NT_LSA_E_RANGE ? NT_LSA_E_UNMAPPED : e;
  if (!pages_ok(c, p0, p1 - 1, NEED_MAPPED)) return NT_LSA_E_UNMAPPED;
  if (out) client_read(c, addr, out, len); /* out NULL: check only */
  return NT_LSA_OK;
}

int nt_lsa_poke(nt_ctx *ctx, nt_id request, uint64_t addr, const uint8_t *data, size_t len) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  if (len == 0) return NT_LSA_OK;
  uint64_t p0, p1;
  int e = page_range(c, addr, len, &p0, &p1);
  if (e) return e == NT_LSA_E_RANGE ? NT_LSA_E_UNMAPPED : e;
  if (!pages_ok(c, p0, p1 - 1, NEED_MAPPED)) return NT_LSA_E_UNMAPPED;
  if (client_materialize(c, addr, len) != 0) return NT_LSA_E_NOMEM;
  client_write(c, addr, data, len);
  return NT_LSA_OK;
}

int nt_lsa_set(nt_ctx *ctx, nt_id request, nt_lsa_switch what, uint32_t value, uint64_t k) {
  lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  switch (what) {
    case NT_LSA_CLOSE_HANDLE: c->closed = 1; break;
    case NT_LSA_SET_ACCESS: c->rights = (c->rights & ~(uint32_t)k) | (value & (uint32_t)k & 7u); break; /* k: rights named */
    case NT_LSA_TERMINATE: c->terminating = 1; break;
    case NT_LSA_MAPPING_FAILS: c->mapfail = value <= 2 ? value : 0; c->mapfail_k = k; break;
    case NT_LSA_COMPLETE: c->completed = 1; break;
    default: return NT_LSA_E_SIZE;
  }
  return NT_LSA_OK;
}

int nt_lsa_stats(const nt_ctx *ctx, nt_id request, uint64_t *runs, uint64_t *pages) {
  const lsa_client *c = client_of(ctx, request);
  if (!c) return NT_LSA_E_HANDLE;
  *runs = c->nruns;
  *pages = c->pcount;
  return NT_LSA_OK;
}

/* ---- the function table ---- */

uint32_t nt_lsa_copy_from_client(nt_ctx *ctx, nt_id request, uint32_t length, const nt_span *local,
                                 uint64_t client) {
  lsa_client *c = live_request(ctx, request);
  if (!c) return NT_FAULTED;                                   /* L0: before everything */
  if (range_bad(c, client, length)) return STATUS_ACCESS_VIOLATION; /* L1 (L1b: local always passes) */
  if (length == 0) return STATUS_SUCCESS;                      /* L2: handle not referenced */
  uint32_t st = reference_process(c, NT_LSA_RIGHT_READ);       /* L3, L4 */
  if (st != STATUS_SUCCESS) return st;
  size_t cap = local ? local->len : 0;
  if (length <= NT_LSA_POOL_MAX) {                             /* L5: one pass, never maps */
    if (!bytes_ok(c, client, length, NEED_READ)) return STATUS_PARTIAL_COPY; /* L5a */
    if (cap < length) return STATUS_ACCESS_VIOLATION;          /* L5b: probe after the source read */
    client_read(c, client, local->ptr, length);                /* L5c */
    return STATUS_SUCCESS;
  }
  /* L6: chunks of 57344 bytes from the (unaligned) client address */
  uint64_t done = 0;
  for (uint64_t k = 0; done < length; k++) {
    size_t n = length - done < NT_LSA_CHUNK ? (size_t)(length - done) : NT_LSA_CHUNK;
    if (!bytes_ok(c, client + done, n, NEED_READ)) { st = STATUS_PARTIAL_COPY; break; } /* L6a */
    if (chunk_mapping_fails(c, k)) { st = STATUS_INSUFFICIENT_RESOURCES; break; }      /* L6b */
    if (k == 0 && cap < length) return STATUS_ACCESS_VIOLATION;                        /* L6c */
    done += n;
  }
  /* L6d for every chunk that passed, as one read: the local view is never client storage, so reading
   * them after the checks leaves the same bytes as chunk by chunk, with one memcpy instead of ~19. */
  if (done) client_read(c, client, local->ptr, (size_t)done);
  return st;
}

uint32_t nt_lsa_copy_to_client(nt_ctx *ctx, nt_id request, uint32_t length, uint64_t client,
                               const nt_span *local) {
  lsa_client *c = live_request(ctx, request);
  if (!c) return NT_FAULTED;                                   /* L0 */
  if (range_bad(c, client, length)) return STATUS_ACCESS_VIOLATION; /* L1 on the client destination */
  if (length == 0) return STATUS_SUCCESS;                      /* L2 */
  uint32_t st = reference_process(c, NT_LSA_RIGHT_WRITE);      /* L3 (PROCESS_VM_WRITE), L4 */
  if (st != STATUS_SUCCESS) return st;
  size_t cap = local ? local->len : 0;
  if (length <= NT_LSA_POOL_MAX) {                             /* 6.8 one pass: source, probe, write */
    if (cap < length) return STATUS_PARTIAL_COPY;
    if (!bytes_ok(c, client, length, NEED_WRITE)) return STATUS_ACCESS_VIOLATION;
    if (client_materialize(c, client, length) != 0) return STATUS_INSUFFICIENT_RESOURCES;
    client_write(c, client, local->ptr, length);
    return STATUS_SUCCESS;
  }
  for (uint64_t k = 0, done = 0; done < length; k++) {        /* 6.8 per chunk, as L6 */
    size_t n = length - done < NT_LSA_CHUNK ? (size_t)(length - done) : NT_LSA_CHUNK;
    if (cap < done + n) return STATUS_PARTIAL_COPY;            /* local source covers the chunk */
    if (chunk_mapping_fails(c, k)) return STATUS_INSUFFICIENT_RESOURCES;
    if (k == 0 && !bytes_ok(c, client, length, NEED_WRITE))   /* whole range probed before any write */
      return STATUS_ACCESS_VIOLATION;
    /* Page storage: when the source covers the whole copy, every chunk will be written (only the
     * test hook could stop it), so the whole range is made at once as one contiguous block; else
     * chunk by chunk. [DECISION] host out of memory here: as a mapping failure of this chunk. */
    if (k == 0 && cap >= length) {
      if (client_materialize(c, client, length) != 0) return STATUS_INSUFFICIENT_RESOURCES;
    } else if (cap < length && client_materialize(c, client + done, n) != 0) {
      return STATUS_INSUFFICIENT_RESOURCES;
    }
    client_write(c, client + done, local->ptr + done, n);
    done += n;
  }
  return STATUS_SUCCESS;
}

uint32_t nt_lsa_allocate_client(nt_ctx *ctx, nt_id request, uint32_t length, uint64_t *client_base) {
  lsa_client *c = live_request(ctx, request);
  if (!c) return NT_FAULTED;                                   /* L0: nothing written */
  *client_base = 0;                                            /* cleared first [ROS-LSA] */
  if (length == 0) return STATUS_INVALID_PARAMETER_4;          /* v1.2: before L3/L4 */
  uint32_t st = reference_process(c, NT_LSA_RIGHT_OPERATION);  /* 6.9: L3, L4 */
  if (st != STATUS_SUCCESS) return st;
  /* first fit, bottom up from 0x10000, 64 KiB-aligned bases, page-rounded size */
  uint64_t np = ((uint64_t)length + PAGE - 1) >> NT_LSA_PAGE_SHIFT;
  uint64_t align = NT_LSA_ALLOC_ALIGN >> NT_LSA_PAGE_SHIFT;
  uint64_t last = c->highest >> NT_LSA_PAGE_SHIFT; /* last page that may be used */
  if ((c->highest & PAGE_MASK) != PAGE_MASK) last--; /* a partial last page is not usable */
  uint64_t cand = NT_LSA_LOWEST_ALLOC >> NT_LSA_PAGE_SHIFT;
  for (size_t i = run_find(c, cand); i < c->nruns; i++) {
    if (cand > last || last - cand + 1 < np) return STATUS_NO_MEMORY;
    if (c->runs[i].page >= cand + np) break;                   /* the hole before run i fits */
    uint64_t end = c->runs[i].page + c->runs[i].npages;
    if (end > cand) cand = (end + align - 1) / align * align;
  }
  if (cand > last || last - cand + 1 < np) return STATUS_NO_MEMORY;
  if (add_mapping(c, cand, cand + np, PAGE_READWRITE) != NT_LSA_OK) return STATUS_NO_MEMORY;
  *client_base = cand << NT_LSA_PAGE_SHIFT;                    /* committed, reads as zeros */
  return STATUS_SUCCESS;
}

uint32_t nt_lsa_free_client(nt_ctx *ctx, nt_id request, uint64_t client_base) {
  lsa_client *c = live_request(ctx, request);
  if (!c) return NT_FAULTED;                                   /* L0, even for a NULL address (6.1) */
  if (client_base == 0) return STATUS_SUCCESS;                 /* NULL: nothing touched, before L3/L4 */
  uint32_t st = reference_process(c, NT_LSA_RIGHT_OPERATION);  /* 6.9: L3, L4 */
  if (st != STATUS_SUCCESS) return st;
  uint64_t page = client_base >> NT_LSA_PAGE_SHIFT;
  size_t i = run_find(c, page);
  if (i == c->nruns || c->runs[i].page > page) return STATUS_MEMORY_NOT_ALLOCATED;
  /* S7.1: NtFreeVirtualMemory rounds the address down to its page before comparing it with the base */
  if (page != c->runs[i].alloc) return STATUS_FREE_VM_NOT_AT_BASE;
  remove_mapping(c, i);                                        /* MEM_RELEASE: the whole allocation */
  return STATUS_SUCCESS;
}
