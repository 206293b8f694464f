// LSA client buffers (API.md section 5; behaviour: SEMANTICS.md section 3 and section 6 rules 8-10).
// The simulated client process's memory is owned by the core: data given to map/poke is copied in,
// peek copies out. The TS layer only checks JS argument types and ranges.
import { native, args, STATUS } from './native';
import { statusOf } from './bugcheck';
import { NtObject, ID, handleFor, idOf } from './handle';
import { sizeT, ulong, viewOrNull, options } from './args';

// Page protections (winnt.h) for LsaClientRequest.map / protect: one base value, optionally | one modifier.
/** PAGE_NOACCESS 0x01 (winnt.h): neither readable nor writable; takes no modifier. */
export const PAGE_NOACCESS = 0x01;
/** PAGE_READONLY 0x02 (winnt.h): readable. */
export const PAGE_READONLY = 0x02;
/** PAGE_READWRITE 0x04 (winnt.h): readable and writable (AllocateClientBuffer's protection). */
export const PAGE_READWRITE = 0x04;
/** PAGE_WRITECOPY 0x08 (winnt.h): readable and writable here. */
export const PAGE_WRITECOPY = 0x08;
/** PAGE_EXECUTE 0x10 (winnt.h): execute only: neither readable nor writable here. */
export const PAGE_EXECUTE = 0x10;
/** PAGE_EXECUTE_READ 0x20 (winnt.h): readable. */
export const PAGE_EXECUTE_READ = 0x20;
/** PAGE_EXECUTE_READWRITE 0x40 (winnt.h): readable and writable. */
export const PAGE_EXECUTE_READWRITE = 0x40;
/** PAGE_EXECUTE_WRITECOPY 0x80 (winnt.h): readable and writable here. */
export const PAGE_EXECUTE_WRITECOPY = 0x80;
/**
 * PAGE_GUARD 0x100 (winnt.h), modifier: the page is neither readable nor writable (the one-shot guard
 * exception is not modelled).
 */
export const PAGE_GUARD = 0x100;
/** PAGE_NOCACHE 0x200 (winnt.h), modifier: no effect on access; not with another modifier. */
export const PAGE_NOCACHE = 0x200;
/** PAGE_WRITECOMBINE 0x400 (winnt.h), modifier: no effect on access; not with another modifier. */
export const PAGE_WRITECOMBINE = 0x400;

// Host-control results of the core (nt_lsa.h NT_LSA_E_*).
const E_HANDLE = -1, E_ALIGN = -2, E_RANGE = -3, E_OVERLAP = -4, E_UNMAPPED = -5, E_PROTECT = -6,
  E_NOMEM = -7, E_NOT_BASE = -8, E_SIZE = -9;
// Core switches (nt_lsa.h nt_lsa_switch) and rights.
const CLOSE_HANDLE = 1, SET_ACCESS = 2, TERMINATE = 3, MAPPING_FAILS = 4, COMPLETE = 5;
const RIGHT_READ = 1, RIGHT_WRITE = 2, RIGHT_OPERATION = 4;

/** x64 (Windows 8.1 and later) MM_HIGHEST_USER_ADDRESS, the default of Sim.createClientRequest. */
const DEFAULT_HIGHEST_USER_ADDRESS = 0x00007ffffffeffffn;

function hex(v: number | bigint): string {
  return '0x' + BigInt(v).toString(16).toUpperCase();
}

function check(rc: number, what: string): void {
  if (rc === 0) return;
  switch (rc) {
    case E_HANDLE: throw new TypeError(`${what}: not a PLSA_CLIENT_REQUEST`);
    case E_ALIGN: throw new RangeError(`${what}: BaseAddress must be page-aligned (0x1000)`);
    case E_RANGE: throw new RangeError(`${what}: range is outside the client's user address space`);
    case E_OVERLAP: throw new RangeError(`${what}: range overlaps an existing mapping`);
    case E_UNMAPPED: throw new RangeError(`${what}: range includes pages that are not mapped`);
    case E_PROTECT: throw new RangeError(`${what}: not a valid PAGE_* protection`);
    case E_NOT_BASE: throw new RangeError(`${what}: address is not the base of a mapping`);
    case E_SIZE: throw new RangeError(`${what}: size must not be 0`);
    case E_NOMEM: throw new Error(`${what}: out of memory`);
    default: throw new Error(`${what}: failed (${rc})`);
  }
}

/** An address argument: null/undefined = 0 (NULL); else a safe-integer number or a bigint < 2^64. */
function address(v: unknown, name: string): number | bigint {
  if (v === null || v === undefined) return 0;
  sizeT(v, name);
  return v as number | bigint;
}

/** Core objects of client requests whose JS handle is gone are freed (nobody can name them again). */
const finalizer = new FinalizationRegistry<number>((id) => native.lsaClientFree(id));

/**
 * PLSA_CLIENT_REQUEST: an LSA client request and the simulated client process behind it
 * (page size 0x1000). The methods are host-side controls (what the operating system or the client
 * does, not the authentication package): they bypass page protections, ignore the handle state,
 * access rights and termination, and keep working after {@link LsaClientRequest.complete}.
 * A host control given a bad argument throws TypeError / RangeError and changes nothing.
 */
export class LsaClientRequest extends NtObject {
  private declare readonly brandLsaClientRequest: never;

  /**
   * Maps (reserves and commits) pages at `BaseAddress` with protection `Protect`.
   * `BaseAddress` must be page-aligned; the size (`SizeOrData` as a byte count, or the data's
   * byteLength) is rounded up to whole pages; data is copied in and the rest of the pages is zero.
   * RangeError when the size is 0, when a mapped page would lie above HighestUserAddress, when the
   * range overlaps an existing mapping, or when `Protect` is not exactly one base PAGE_* value with at
   * most one of PAGE_GUARD / PAGE_NOCACHE / PAGE_WRITECOMBINE, and none with PAGE_NOACCESS (the
   * combinations VirtualAlloc / VirtualProtect accept); nothing changes then. The mapping is one allocation:
   * {@link unmap} and FreeClientBuffer release it as a whole from its base.
   * Pages are stored sparsely: a never-written page costs no memory.
   */
  map(BaseAddress: number | bigint, SizeOrData: number | bigint | ArrayBufferView, Protect: number): void {
    const id = idOf(this, 'this');
    const base = address(BaseAddress, 'BaseAddress');
    let size: number | bigint;
    let data: ArrayBufferView | null = null;
    if (ArrayBuffer.isView(SizeOrData)) {
      data = SizeOrData;
      size = data.byteLength;
    } else {
      sizeT(SizeOrData, 'SizeOrData');
      size = SizeOrData as number | bigint;
    }
    ulong(Protect, 'Protect');
    check(native.lsaMap(id, base, size, data, Protect), 'map');
  }

  /**
   * Changes the protection of every page touched by [BaseAddress, BaseAddress + Size) (BaseAddress
   * need not be aligned). The pages may span several mappings, but all must be mapped (else
   * RangeError; Size 0 is a RangeError too). Protect is validated as in {@link map}: a combination
   * VirtualProtect refuses is a RangeError and changes nothing.
   */
  protect(BaseAddress: number | bigint, Size: number | bigint, Protect: number): void {
    const id = idOf(this, 'this');
    const base = address(BaseAddress, 'BaseAddress');
    sizeT(Size, 'Size');
    ulong(Protect, 'Protect');
    check(native.lsaProtect(id, base, Size, Protect), 'protect');
  }

  /**
   * Releases the whole mapping whose base is `BaseAddress` (made by {@link map} or by
   * AllocateClientBuffer); its contents are gone (a later mapping there reads zeros). RangeError when
   * no mapping starts exactly there.
   */
  unmap(BaseAddress: number | bigint): void {
    const id = idOf(this, 'this');
    check(native.lsaUnmap(id, address(BaseAddress, 'BaseAddress')), 'unmap');
  }

  /**
   * A copy of the client bytes [Address, Address + Length), whatever their protection. RangeError
   * when any byte is on a page that is not mapped. Length 0 gives an empty Buffer.
   */
  peek(Address: number | bigint, Length: number | bigint): Buffer {
    const id = idOf(this, 'this');
    const a = address(Address, 'Address');
    sizeT(Length, 'Length');
    const r = native.lsaPeek(id, a, Length);
    if (typeof r === 'number') check(r, 'peek');
    return r as Buffer;
  }

  /**
   * Writes `Data` (copied in now) to the client at `Address`, whatever the protection. RangeError
   * when any byte is on a page that is not mapped (then nothing is written).
   */
  poke(Address: number | bigint, Data: ArrayBufferView): void {
    const id = idOf(this, 'this');
    const a = address(Address, 'Address');
    if (!ArrayBuffer.isView(Data)) throw new TypeError('Data must be an ArrayBufferView');
    check(native.lsaPoke(id, a, Data), 'poke');
  }

  /** Closes the client process handle: later LSA calls give STATUS_INVALID_HANDLE (L3). */
  closeHandle(): void {
    check(native.lsaSet(idOf(this, 'this'), CLOSE_HANDLE, 0, 0), 'closeHandle');
  }

  /**
   * Sets the rights the client process handle holds (all three at creation). A key left out stays
   * as it was. A missing right gives STATUS_ACCESS_DENIED (L3): `read` (PROCESS_VM_READ) for
   * CopyFromClientBuffer, `write` (PROCESS_VM_WRITE) for CopyToClientBuffer, `operation`
   * (PROCESS_VM_OPERATION) for AllocateClientBuffer / FreeClientBuffer.
   */
  setAccess(p: { read?: boolean; write?: boolean; operation?: boolean }): void {
    const id = idOf(this, 'this');
    const o = options(p, 'access');
    if (!o) throw new TypeError('access must be an object');
    let mask = 0, value = 0;
    for (const [key, bit] of [['read', RIGHT_READ], ['write', RIGHT_WRITE], ['operation', RIGHT_OPERATION]] as const) {
      const v = o[key];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') throw new TypeError(`access.${key} must be a boolean`);
      mask |= bit;
      if (v) value |= bit;
    }
    check(native.lsaSet(id, SET_ACCESS, value, mask), 'setAccess');
  }

  /** The client process is running down: later calls give STATUS_PROCESS_IS_TERMINATING (L4). */
  terminate(): void {
    check(native.lsaSet(idOf(this, 'this'), TERMINATE, 0, 0), 'terminate');
  }

  /**
   * Mapping failures on the mapped path (Length >= 512, rule L6b), for CopyFromClientBuffer and
   * CopyToClientBuffer alike: `true` every chunk fails to map, a number k (a non-negative safe
   * integer) only chunk k (0-based), `false` none. The one-pass path (<= 511 bytes) never maps.
   */
  setMappingFails(v: boolean | number): void {
    const id = idOf(this, 'this');
    let rc: number;
    if (typeof v === 'boolean') {
      rc = native.lsaSet(id, MAPPING_FAILS, v ? 1 : 0, 0);
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`chunk index must be a non-negative safe integer, got ${v}`);
      rc = native.lsaSet(id, MAPPING_FAILS, 2, v);
    } else {
      throw new TypeError('setMappingFails takes a boolean or a chunk index');
    }
    check(rc, 'setMappingFails');
  }

  /**
   * The request is over: any later LSA call with it is stale (L0: BugCheckError 0xEF). Host controls
   * keep working.
   */
  complete(): void {
    check(native.lsaSet(idOf(this, 'this'), COMPLETE, 0, 0), 'complete');
  }
}

/**
 * PLSA_CLIENT_REQUEST: handle of an LSA client request (from {@link Sim}.createClientRequest); its host
 * controls are those of {@link LsaClientRequest}. A distinct kind at compile time; a NULL, completed or
 * wrong-kind one passed to an {@link LsaFunctions} routine is bug check 0xEF at run time.
 */
export type PLSA_CLIENT_REQUEST = LsaClientRequest;

/** Options of Sim.createClientRequest. */
export interface ClientRequestOptions {
  /**
   * MM_HIGHEST_USER_ADDRESS of the client (default 0x00007FFFFFFEFFFF, x64). Its low 12 bits must
   * all be set (it is the last byte of a page), else RangeError; e.g. 0x7FFEFFFFn for x86 2 GB.
   */
  HighestUserAddress?: bigint;
}

// Sim.createClientRequest: documented on the lsaSim property below.
function createClientRequest(opts?: ClientRequestOptions | null): PLSA_CLIENT_REQUEST {
  const o = options(opts, 'options');
  let highest: bigint = DEFAULT_HIGHEST_USER_ADDRESS;
  if (o && o.HighestUserAddress !== undefined) {
    sizeT(o.HighestUserAddress, 'HighestUserAddress');
    highest = BigInt(o.HighestUserAddress as number | bigint);
    if ((highest & 0xfffn) !== 0xfffn) {
      throw new RangeError(`HighestUserAddress must end a page (low 12 bits set), got ${hex(highest)}`);
    }
  }
  const [st, id] = native.lsaClientCreate(highest);
  if (st !== 0) throw new Error('createClientRequest: out of memory');
  const h = handleFor(id as number, LsaClientRequest)!;
  finalizer.register(h, id as number);
  return h;
}

// Status in args[STATUS]: the entries return no JS value (making one costs more than a 16-byte copy).
const copyFromFast: (buf?: ArrayBufferView) => void = native.lsaCopyFromClientBufferFast;
const copyToFast: (buf?: ArrayBufferView) => void = native.lsaCopyToClientBufferFast;

/** Both copies, checked arguments in: a numeric address goes through the argument block. */
function copy(
  fast: (buf?: ArrayBufferView) => void,
  slow: (id: number, len: unknown, addr: number | bigint, buf: ArrayBufferView | null) => number,
  id: number, Length: unknown, a: number | bigint, buf: ArrayBufferView | null,
): number {
  if (typeof a !== 'number') return statusOf(slow(id, Length, a, buf));
  args[0] = id;
  args[1] = Number(Length);
  args[2] = a;
  if (buf === null) fast(); // NULL is no argument: the entry then skips its type test
  else fast(buf);
  return statusOf(args[STATUS]);
}

/**
 * The JS argument checks of CopyFromClientBuffer (`toClient` false) and CopyToClientBuffer (true), in the
 * routine's parameter order: the request, Length (ULONG), then BufferToCopy (view or null) and
 * ClientBaseAddress (size_t or null) as the routine orders them. Returns the request's id. Shared with
 * CopyBatch. @internal
 */
export function lsaCopyChecks(toClient: boolean, ClientRequest: unknown, Length: unknown, BufferToCopy: unknown,
  ClientBaseAddress: unknown): number {
  const id = idOf(ClientRequest, 'ClientRequest');
  ulong(Length, 'Length');
  if (toClient) {
    address(ClientBaseAddress, 'ClientBaseAddress');
    viewOrNull(BufferToCopy, 'BufferToCopy');
  } else {
    viewOrNull(BufferToCopy, 'BufferToCopy');
    address(ClientBaseAddress, 'ClientBaseAddress');
  }
  return id;
}

// CopyFromClientBuffer: documented on LSA_SECPKG_FUNCTION_TABLE.CopyFromClientBuffer.
function CopyFromClientBuffer(
  ClientRequest: PLSA_CLIENT_REQUEST,
  Length: number,
  BufferToCopy: ArrayBufferView | null,
  ClientBaseAddress: number | bigint | null,
): number {
  const id = lsaCopyChecks(false, ClientRequest, Length, BufferToCopy, ClientBaseAddress);
  return copy(copyFromFast, native.lsaCopyFromClientBuffer, id, Length, ClientBaseAddress ?? 0, BufferToCopy ?? null);
}

// CopyToClientBuffer: documented on LSA_SECPKG_FUNCTION_TABLE.CopyToClientBuffer.
function CopyToClientBuffer(
  ClientRequest: PLSA_CLIENT_REQUEST,
  Length: number,
  ClientBaseAddress: number | bigint | null,
  BufferToCopy: ArrayBufferView | null,
): number {
  const id = lsaCopyChecks(true, ClientRequest, Length, BufferToCopy, ClientBaseAddress);
  return copy(copyToFast, native.lsaCopyToClientBuffer, id, Length, ClientBaseAddress ?? 0, BufferToCopy ?? null);
}

// AllocateClientBuffer: documented on LSA_SECPKG_FUNCTION_TABLE.AllocateClientBuffer.
function AllocateClientBuffer(
  ClientRequest: PLSA_CLIENT_REQUEST,
  LengthRequired: number,
): { status: number; ClientBaseAddress: bigint | null } {
  const id = idOf(ClientRequest, 'ClientRequest');
  ulong(LengthRequired, 'LengthRequired');
  const [st, base] = native.lsaAllocateClientBuffer(id, LengthRequired);
  return { status: statusOf(st), ClientBaseAddress: base };
}

// FreeClientBuffer: documented on LSA_SECPKG_FUNCTION_TABLE.FreeClientBuffer.
function FreeClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, ClientBaseAddress: number | bigint | null): number {
  const id = idOf(ClientRequest, 'ClientRequest');
  const a = address(ClientBaseAddress, 'ClientBaseAddress');
  return statusOf(native.lsaFreeClientBuffer(id, a));
}

/**
 * The LSA_SECPKG_FUNCTION_TABLE members (ntsecpkg.h) an authentication package calls for client buffers.
 * Every routine checks its ClientRequest first: NULL, completed or wrong-kind is bug check 0xEF.
 */
export interface LSA_SECPKG_FUNCTION_TABLE {
  /**
   * LSA_COPY_FROM_CLIENT_BUFFER (rules L0..L6): copies Length bytes from the client at ClientBaseAddress
   * into BufferToCopy (its byteLength is the capacity C; null = capacity 0). Statuses, first match:
   * STATUS_ACCESS_VIOLATION (ClientBaseAddress + Length wraps or is past HighestUserAddress, also at
   * Length 0); STATUS_SUCCESS for Length 0; STATUS_INVALID_HANDLE / STATUS_ACCESS_DENIED (closed handle / no
   * read right); STATUS_PROCESS_IS_TERMINATING; then up to 511 bytes in one pass: STATUS_PARTIAL_COPY (an
   * unreadable client page) or STATUS_ACCESS_VIOLATION (C < Length), nothing written; from 512 bytes, per
   * 57344-byte chunk: STATUS_PARTIAL_COPY (an unreadable page of the chunk) or STATUS_INSUFFICIENT_RESOURCES
   * (the chunk failed to map), earlier chunks written, or at chunk 0 STATUS_ACCESS_VIOLATION (C < Length);
   * else STATUS_SUCCESS. The client is never changed.
   * Bug check 0xEF CRITICAL_PROCESS_DIED for a NULL, completed or wrong-kind ClientRequest.
   */
  CopyFromClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, Length: number, BufferToCopy: ArrayBufferView | null,
    ClientBaseAddress: number | bigint | null): number;
  /**
   * LSA_COPY_TO_CLIENT_BUFFER (SEMANTICS 3.4, 6.8): copies Length bytes from BufferToCopy (null = capacity 0)
   * to the client at ClientBaseAddress. Note the argument order: destination before source. Statuses: as
   * CopyFromClientBuffer up to L4 (the write right); then up to 511 bytes in one pass:
   * STATUS_PARTIAL_COPY (BufferToCopy shorter than Length), STATUS_ACCESS_VIOLATION (a client page of the
   * range not writable), nothing written; from 512 bytes, per 57344-byte chunk: STATUS_PARTIAL_COPY
   * (BufferToCopy ends within the chunk) or STATUS_INSUFFICIENT_RESOURCES (mapping failure), earlier chunks
   * written, or at chunk 0 STATUS_ACCESS_VIOLATION (a page of the whole range not writable; client
   * unchanged); else STATUS_SUCCESS (STATUS_INSUFFICIENT_RESOURCES also if the host runs out of memory for
   * the client pages). Writable: PAGE_READWRITE, _WRITECOPY, _EXECUTE_READWRITE,
   * _EXECUTE_WRITECOPY, without PAGE_GUARD. Bug check 0xEF CRITICAL_PROCESS_DIED for a NULL, completed or
   * wrong-kind ClientRequest.
   */
  CopyToClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, Length: number, ClientBaseAddress: number | bigint | null,
    BufferToCopy: ArrayBufferView | null): number;
  /**
   * LSA_ALLOCATE_CLIENT_BUFFER: commits LengthRequired bytes (page-rounded) of zero-filled
   * PAGE_READWRITE client memory at the lowest free 64 KiB-aligned address from 0x10000.
   * Statuses: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_4 (LengthRequired 0, before the handle checks);
   * STATUS_INVALID_HANDLE / STATUS_ACCESS_DENIED (closed handle / no operation right);
   * STATUS_PROCESS_IS_TERMINATING; STATUS_NO_MEMORY (no room below HighestUserAddress).
   * ClientBaseAddress is null unless SUCCESS. Bug check 0xEF CRITICAL_PROCESS_DIED for a NULL, completed
   * or wrong-kind ClientRequest.
   */
  AllocateClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, LengthRequired: number):
    { status: number; ClientBaseAddress: bigint | null };
  /**
   * LSA_FREE_CLIENT_BUFFER: releases the whole allocation (any mapping of the client, AllocateClientBuffer's
   * or the host's) whose first page holds ClientBaseAddress: the address is rounded down to its page, as
   * NtFreeVirtualMemory does, so base + 1 .. base + 0xFFF free it too. Statuses: STATUS_SUCCESS (also for a
   * NULL address, before the handle checks); STATUS_INVALID_HANDLE / STATUS_ACCESS_DENIED (closed handle / no
   * operation right); STATUS_PROCESS_IS_TERMINATING; STATUS_MEMORY_NOT_ALLOCATED (address in no allocation);
   * STATUS_FREE_VM_NOT_AT_BASE (in a later page of one). Bug check 0xEF
   * CRITICAL_PROCESS_DIED for a NULL, completed or wrong-kind ClientRequest (also with a NULL address).
   */
  FreeClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, ClientBaseAddress: number | bigint | null): number;
}

/**
 * The LSA function table (API.md section 5): the four client-buffer routines of
 * {@link LSA_SECPKG_FUNCTION_TABLE}, frozen. Client requests come from {@link Sim}.createClientRequest.
 */
export const LsaFunctions: Readonly<LSA_SECPKG_FUNCTION_TABLE> = Object.freeze({
  CopyFromClientBuffer,
  CopyToClientBuffer,
  AllocateClientBuffer,
  FreeClientBuffer,
});

/** Introspection for tests: [runs, materialized pages] of a client. @internal */
export function lsaStats(r: PLSA_CLIENT_REQUEST): [number, number] {
  const s = native.lsaStats(r[ID]);
  if (typeof s === 'number') check(s, 'stats');
  return s as [number, number];
}

/** Sim members of the LSA family. @internal */
export const lsaSim = {
  /**
   * A simulated client process behind an LSA client request, with an empty address space (page size 0x1000)
   * and a valid handle holding the read, write and operation rights. The returned object's methods are the
   * host-side controls ({@link LsaClientRequest}). HighestUserAddress not ending a page: RangeError.
   */
  createClientRequest,
};
