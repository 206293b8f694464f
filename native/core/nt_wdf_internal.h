/* WDF object layouts, shared with the C tests (which reach states no public path makes). */
#ifndef NT_WDF_INTERNAL_H
#define NT_WDF_INTERNAL_H
#include "nt_core.h"

typedef struct wdf_hdr {
  nt_id self, parent, first_child, prev_sibling, next_sibling;
} wdf_hdr;

typedef struct wdf_mem {
  wdf_hdr h;
  uint32_t slot;
  int has_view;  /* 0 models a NULL buffer pointer (T4); no public path makes one */
  int owns_slot; /* request memory aliases its request's view */
  uint64_t size;
  uint32_t flags;
  uint32_t pool_type, pool_tag;
} wdf_mem;

typedef struct wdf_req {
  wdf_hdr h;
  uint32_t major, ioctl;
  uint32_t requestor_mode; /* KernelMode / UserMode (S7.6) */
  int has_in, has_out;
  uint32_t in_slot, out_slot;
  uint64_t in_len, out_len;
  nt_id in_mem, out_mem;
} wdf_req;

#endif
