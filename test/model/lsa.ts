// Reference model of the LSA client-buffer routines, written from SEMANTICS.md section 3 and
// section 6 rules 8-10 (and API.md sections 5 and 7) only. Flattened on purpose: every mapped page
// is its own 4 KiB array in a Map keyed by page number, every check walks bytes one by one. It never
// imports lib/ or the addon: it is the oracle of the property tests.

export const PAGE = 0x1000n;
export const POOL_MAX = 511;
export const CHUNK = 57344;
export const DEFAULT_HIGHEST = 0x00007ffffffeffffn;
const U64 = 1n << 64n;

export const S = {
  SUCCESS: 0x00000000,
  PARTIAL_COPY: 0x8000000d,
  ACCESS_VIOLATION: 0xc0000005,
  INVALID_HANDLE: 0xc0000008,
  NO_MEMORY: 0xc0000017,
  ACCESS_DENIED: 0xc0000022,
  INSUFFICIENT_RESOURCES: 0xc000009a,
  FREE_VM_NOT_AT_BASE: 0xc000009f,
  MEMORY_NOT_ALLOCATED: 0xc00000a0,
  INVALID_PARAMETER_4: 0xc00000f2,
  PROCESS_IS_TERMINATING: 0xc000010a,
} as const;

/** A bug check (L0: 0xEF) in the model. */
export const FAULT = 'fault' as const;
export type Result = number | typeof FAULT;

export interface MPage {
  prot: number;
  alloc: bigint; // base page number of the mapping the page belongs to
  bytes: Uint8Array;
}

export interface MClient {
  highest: bigint;
  pages: Map<bigint, MPage>;
  closed: boolean;
  terminating: boolean;
  completed: boolean;
  read: boolean;
  write: boolean;
  operation: boolean;
  mapFails: boolean | number;
}

export function mCreate(highest: bigint = DEFAULT_HIGHEST): MClient {
  return {
    highest, pages: new Map(), closed: false, terminating: false, completed: false,
    read: true, write: true, operation: true, mapFails: false,
  };
}

// API.md section 5: readable / writable sets, GUARD removes both, NOCACHE / WRITECOMBINE change nothing.
export function readable(prot: number): boolean {
  if (prot & 0x100) return false;
  return [0x02, 0x04, 0x08, 0x20, 0x40, 0x80].includes(prot & 0xff);
}
export function writable(prot: number): boolean {
  if (prot & 0x100) return false;
  return [0x04, 0x08, 0x40, 0x80].includes(prot & 0xff);
}
export function validProtect(p: number): boolean {
  const base = p & 0xff;
  const mods = p & ~0xff;
  if (![0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80].includes(base)) return false;
  if (mods & ~0x700) return false;
  // SEMANTICS 7.2: at most one of GUARD / NOCACHE / WRITECOMBINE, and none with NOACCESS
  if ([0x100, 0x200, 0x400].filter((m) => mods & m).length > 1) return false;
  if (base === 0x01 && mods !== 0) return false;
  return true;
}

function pageOf(a: bigint): bigint { return a / PAGE; }

/** Visits bytes [a, a + len) in order: fn(i, page or undefined when unmapped, offset in page).
 * Stops early (returning false) when fn returns false. Walks page by page only to keep BigInt
 * arithmetic off the per-byte path. */
function eachByte(c: MClient, a: bigint, len: number, fn: (i: number, p: MPage | undefined, off: number) => boolean | void): boolean {
  let i = 0;
  while (i < len) {
    const addr = a + BigInt(i);
    const pg = c.pages.get(pageOf(addr));
    const off = Number(addr % PAGE);
    const n = Math.min(len - i, Number(PAGE) - off);
    for (let k = 0; k < n; k++) if (fn(i + k, pg, off + k) === false) return false;
    i += n;
  }
  return true;
}
function allPages(c: MClient, a: bigint, len: number, test: (p: MPage) => boolean): boolean {
  return eachByte(c, a, len, (_i, p) => p !== undefined && test(p));
}

/** Host controls: 'ok' or the JS error class name they throw. */
export type HostResult = 'ok' | 'RangeError';

export function mMap(c: MClient, base: bigint, size: bigint, data: Uint8Array | null, prot: number): HostResult {
  if (size === 0n || base % PAGE !== 0n || !validProtect(prot)) return 'RangeError';
  const n = (size + PAGE - 1n) / PAGE;
  if (base + n * PAGE - 1n > c.highest) return 'RangeError';
  for (let i = 0n; i < n; i++) if (c.pages.has(pageOf(base) + i)) return 'RangeError';
  for (let i = 0n; i < n; i++) {
    c.pages.set(pageOf(base) + i, { prot, alloc: pageOf(base), bytes: new Uint8Array(Number(PAGE)) });
  }
  if (data) eachByte(c, base, data.length, (i, p, off) => { p!.bytes[off] = data[i]; });
  return 'ok';
}

export function mProtect(c: MClient, base: bigint, size: bigint, prot: number): HostResult {
  if (size === 0n || !validProtect(prot)) return 'RangeError';
  if (base > c.highest || size - 1n > c.highest - base) return 'RangeError';
  const first = pageOf(base), last = pageOf(base + size - 1n);
  for (let p = first; p <= last; p++) if (!c.pages.has(p)) return 'RangeError';
  for (let p = first; p <= last; p++) c.pages.get(p)!.prot = prot;
  return 'ok';
}

function release(c: MClient, allocPage: bigint): void {
  for (const [p, pg] of [...c.pages]) if (pg.alloc === allocPage) c.pages.delete(p);
}

export function mUnmap(c: MClient, base: bigint): HostResult {
  const pg = c.pages.get(pageOf(base));
  if (!pg || base % PAGE !== 0n || pg.alloc !== pageOf(base)) return 'RangeError';
  release(c, pg.alloc);
  return 'ok';
}

export function mPeek(c: MClient, a: bigint, len: number): Uint8Array | 'RangeError' {
  const out = new Uint8Array(len);
  if (!allPages(c, a, len, () => true)) return 'RangeError';
  eachByte(c, a, len, (i, p, off) => { out[i] = p!.bytes[off]; });
  return out;
}

export function mPoke(c: MClient, a: bigint, data: Uint8Array): HostResult {
  if (!allPages(c, a, data.length, () => true)) return 'RangeError';
  eachByte(c, a, data.length, (i, p, off) => { p!.bytes[off] = data[i]; });
  return 'ok';
}

function chunkFails(c: MClient, k: number): boolean {
  return c.mapFails === true || (typeof c.mapFails === 'number' && c.mapFails === k);
}

function l0(c: MClient | null): boolean { return c === null || c.completed; }
function l1(c: MClient, a: bigint, len: number): boolean {
  const end = a + BigInt(len);
  return end >= U64 || end > c.highest;
}
function l3l4(c: MClient, right: boolean): number {
  if (c.closed) return S.INVALID_HANDLE;
  if (!right) return S.ACCESS_DENIED;
  if (c.terminating) return S.PROCESS_IS_TERMINATING;
  return S.SUCCESS;
}

/** CopyFromClientBuffer: `local` is modified in place (null = capacity 0). */
export function mCopyFrom(c: MClient | null, len: number, local: Uint8Array | null, a: bigint): Result {
  if (l0(c)) return FAULT;                                     // L0
  const cl = c as MClient;
  if (l1(cl, a, len)) return S.ACCESS_VIOLATION;               // L1
  if (len === 0) return S.SUCCESS;                             // L2
  const st = l3l4(cl, cl.read);                                // L3, L4
  if (st !== S.SUCCESS) return st;
  const cap = local ? local.length : 0;
  if (len <= POOL_MAX) {                                       // L5
    if (!allPages(cl, a, len, (p) => readable(p.prot))) return S.PARTIAL_COPY;
    if (cap < len) return S.ACCESS_VIOLATION;
    eachByte(cl, a, len, (i, p, off) => { local![i] = p!.bytes[off]; });
    return S.SUCCESS;
  }
  for (let k = 0; k * CHUNK < len; k++) {                      // L6
    const from = k * CHUNK, to = Math.min(len, from + CHUNK);
    const at = a + BigInt(from);
    if (!allPages(cl, at, to - from, (p) => readable(p.prot))) return S.PARTIAL_COPY;
    if (chunkFails(cl, k)) return S.INSUFFICIENT_RESOURCES;
    if (k === 0 && cap < len) return S.ACCESS_VIOLATION;
    eachByte(cl, at, to - from, (i, p, off) => { local![from + i] = p!.bytes[off]; });
  }
  return S.SUCCESS;
}

/** CopyToClientBuffer (SEMANTICS 6.8). */
export function mCopyTo(c: MClient | null, len: number, a: bigint, local: Uint8Array | null): Result {
  if (l0(c)) return FAULT;
  const cl = c as MClient;
  if (l1(cl, a, len)) return S.ACCESS_VIOLATION;
  if (len === 0) return S.SUCCESS;
  const st = l3l4(cl, cl.write);
  if (st !== S.SUCCESS) return st;
  const cap = local ? local.length : 0;
  const allWritable = (): boolean => allPages(cl, a, len, (p) => writable(p.prot));
  if (len <= POOL_MAX) {
    if (cap < len) return S.PARTIAL_COPY;
    if (!allWritable()) return S.ACCESS_VIOLATION;
    eachByte(cl, a, len, (i, p, off) => { p!.bytes[off] = local![i]; });
    return S.SUCCESS;
  }
  for (let k = 0; k * CHUNK < len; k++) {
    const from = k * CHUNK, to = Math.min(len, from + CHUNK);
    if (cap < to) return S.PARTIAL_COPY;
    if (chunkFails(cl, k)) return S.INSUFFICIENT_RESOURCES;
    if (k === 0 && !allWritable()) return S.ACCESS_VIOLATION;
    eachByte(cl, a + BigInt(from), to - from, (i, p, off) => { p!.bytes[off] = local![from + i]; });
  }
  return S.SUCCESS;
}

/** AllocateClientBuffer: lowest 64 KiB-aligned base >= 0x10000 with room for the page-rounded size. */
export function mAllocate(c: MClient | null, len: number): { status: Result; base: bigint | null } {
  if (l0(c)) return { status: FAULT, base: null };
  const cl = c as MClient;
  if (len === 0) return { status: S.INVALID_PARAMETER_4, base: null };
  const st = l3l4(cl, cl.operation);
  if (st !== S.SUCCESS) return { status: st, base: null };
  const n = (BigInt(len) + PAGE - 1n) / PAGE;
  for (let base = 0x10000n; base + n * PAGE - 1n <= cl.highest; base += 0x10000n) {
    let free = true;
    for (let i = 0n; i < n && free; i++) if (cl.pages.has(pageOf(base) + i)) free = false;
    if (free) {
      mMap(cl, base, n * PAGE, null, 0x04);
      return { status: S.SUCCESS, base };
    }
  }
  return { status: S.NO_MEMORY, base: null };
}

/** FreeClientBuffer (SEMANTICS 6.9, 7.1: the address is rounded down to its page). */
export function mFree(c: MClient | null, a: bigint): Result {
  if (l0(c)) return FAULT;
  const cl = c as MClient;
  if (a === 0n) return S.SUCCESS;
  const st = l3l4(cl, cl.operation);
  if (st !== S.SUCCESS) return st;
  const pg = cl.pages.get(pageOf(a));
  if (!pg) return S.MEMORY_NOT_ALLOCATED;
  if (pageOf(a) !== pg.alloc) return S.FREE_VM_NOT_AT_BASE;
  release(cl, pg.alloc);
  return S.SUCCESS;
}
