// MDLs, NET_BUFFERs, NET_BUFFER_LISTs (API.md section 4; behaviour: SEMANTICS.md section 2 and 6).
// This layer only checks JS argument shapes and sequences the JS handlers of Advance / Retreat around
// native steps; every status, bug check and byte is decided by the core.
import { native, FAULTED, args, RESULT0, STATUS } from './native';
import { throwFault, statusOf } from './bugcheck';
import { ID, NtObject, handleFor, idOf } from './handle';
import { ulong, ulongNumber, view, options, bool, viewOrNull } from './args';

/** Returned by the core when the JS argument error depends on an object's state. */
const ARG_ERROR = -2;

function field(r: number): number {
  if (r === -1) throwFault();
  return r;
}

/** A byte view over `len` bytes of `v` from `off` (a C pointer into the same memory). */
function sub(v: ArrayBufferView, off: number, len: number): Uint8Array {
  if (len === 0 && v.byteLength === 0) return new Uint8Array(0); // may be detached: nothing to alias
  return new Uint8Array(v.buffer, v.byteOffset + off, len);
}

function u32(v: unknown, name: string): number {
  if (typeof v === 'number' && v >>> 0 === v) return v; // fast path: already a ULONG
  ulong(v, name);
  return Number(v);
}

function handler<T extends (...a: never[]) => unknown>(v: unknown, name: string): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'function') throw new TypeError(`${name} must be a function or null`);
  return v as T;
}

// ---------------------------------------------------------------------------------------------
// Handles

/**
 * A memory descriptor list (the MDL a {@link PMDL} points to). `Next` and `ByteCount` are writable, as in the
 * C struct. Any field access on a freed MDL is bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED.
 */
export class MdlHandle extends NtObject {
  private declare readonly brandMdl: never;
  /**
   * The next MDL of the chain (any MDL may be linked, cycles included). Setting a live object of another kind
   * is bug check 0x1E; a freed MDL may be stored (a walk that meets it bug checks, as a dangling pointer would).
   */
  get Next(): PMDL | null {
    return handleFor(field(native.ndisMdlField(this[ID], 0)), MdlHandle);
  }
  set Next(v: PMDL | null) {
    statusOf(native.ndisMdlSetNext(this[ID], idOf(v, 'Next')));
  }
  /** ByteCount: bytes described; may be set to 0..the Length given at allocation, else RangeError. */
  get ByteCount(): number {
    return field(native.ndisMdlField(this[ID], 1));
  }
  set ByteCount(v: number) {
    const n = u32(v, 'ByteCount');
    const r = native.ndisMdlSetByteCount(this[ID], n);
    if (r === ARG_ERROR) {
      throw new RangeError(`ByteCount ${n} is larger than the ${native.ndisMdlField(this[ID], 3)} bytes the MDL describes`);
    }
    statusOf(r);
  }
  /** MdlFlags: MDL_* flags, read-only (ntcopy sets MDL_MAPPED_TO_SYSTEM_VA and MDL_SOURCE_IS_NONPAGED_POOL). */
  get MdlFlags(): number {
    return field(native.ndisMdlField(this[ID], 2));
  }
  /**
   * MappedSystemVa: the system-space view of the ByteCount described bytes once mapped (or built for
   * nonpaged pool), else null. Bug check 0x50 if those bytes are gone.
   */
  get MappedSystemVa(): Uint8Array | null {
    return address(this, 2);
  }
}

/**
 * A NET_BUFFER (the structure a {@link PNET_BUFFER} points to). The six NET_BUFFER_DATA fields are read/write,
 * as in the C struct: setting one changes nothing else (no cursor is re-derived). Numbers are ULONGs (else
 * TypeError / RangeError); setting a live object of another kind is bug check 0x1E; any access on a freed
 * NET_BUFFER is bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED.
 */
export class NetBufferHandle extends NtObject {
  private declare readonly brandNetBuffer: never;
  /** Next: the next NET_BUFFER of the list (NET_BUFFER_NEXT_NB), or null. */
  get Next(): PNET_BUFFER | null { return handleFor(nbGet(this, NB_NEXT), NetBufferHandle); }
  set Next(v: PNET_BUFFER | null) { nbSet(this, NB_NEXT, idOf(v, 'Next')); }
  /** CurrentMdl: the MDL holding the current data start; copy and NdisGetDataBuffer offsets start here. */
  get CurrentMdl(): PMDL | null { return handleFor(nbGet(this, NB_CURRENT_MDL), MdlHandle); }
  set CurrentMdl(v: PMDL | null) { nbSet(this, NB_CURRENT_MDL, idOf(v, 'CurrentMdl')); }
  /** CurrentMdlOffset: offset of the data start within CurrentMdl. */
  get CurrentMdlOffset(): number { return nbGet(this, NB_CURRENT_MDL_OFFSET); }
  set CurrentMdlOffset(v: number) { nbSet(this, NB_CURRENT_MDL_OFFSET, u32(v, 'CurrentMdlOffset')); }
  /** DataLength: bytes of data. It does not bound NdisCopyFromNetBufferToNetBuffer, which never updates it. */
  get DataLength(): number { return nbGet(this, NB_DATA_LENGTH); }
  set DataLength(v: number) { nbSet(this, NB_DATA_LENGTH, u32(v, 'DataLength')); }
  /** DataOffset: offset of the data start from the beginning of MdlChain (the unused space before it). */
  get DataOffset(): number { return nbGet(this, NB_DATA_OFFSET); }
  set DataOffset(v: number) { nbSet(this, NB_DATA_OFFSET, u32(v, 'DataOffset')); }
  /** MdlChain: the first MDL of the chain (NET_BUFFER_FIRST_MDL), or null. */
  get MdlChain(): PMDL | null { return handleFor(nbGet(this, NB_MDL_CHAIN), MdlHandle); }
  set MdlChain(v: PMDL | null) { nbSet(this, NB_MDL_CHAIN, idOf(v, 'MdlChain')); }
}

/**
 * A NET_BUFFER_LIST (the structure a {@link PNET_BUFFER_LIST} points to). `Next` and `FirstNetBuffer` are
 * read/write; setting a live object of another kind, or any access on a freed list, is bug check 0x1E.
 */
export class NetBufferListHandle extends NtObject {
  private declare readonly brandNetBufferList: never;
  /** Next: the next NET_BUFFER_LIST (NET_BUFFER_LIST_NEXT_NBL), or null. */
  get Next(): PNET_BUFFER_LIST | null {
    return handleFor(field(native.ndisNblGet(this[ID], 0)), NetBufferListHandle);
  }
  set Next(v: PNET_BUFFER_LIST | null) {
    statusOf(native.ndisNblSet(this[ID], 0, idOf(v, 'Next')));
  }
  /** FirstNetBuffer: the first NET_BUFFER of the list (NET_BUFFER_LIST_FIRST_NB), or null. */
  get FirstNetBuffer(): PNET_BUFFER | null {
    return handleFor(field(native.ndisNblGet(this[ID], 1)), NetBufferHandle);
  }
  set FirstNetBuffer(v: PNET_BUFFER | null) {
    statusOf(native.ndisNblSet(this[ID], 1, idOf(v, 'FirstNetBuffer')));
  }
}

/** An NDIS handle: a NET_BUFFER pool or a NET_BUFFER_LIST pool (the wrong kind is bug check 0x1E). */
export class NdisHandleObject extends NtObject {
  private declare readonly brandNdisHandle: never;
}

/**
 * PMDL: handle of an MDL ({@link IoAllocateMdl}, {@link NdisAllocateMdl}); its fields are those of
 * {@link MdlHandle}. A distinct kind at compile time; a NULL, freed or wrong-kind one where an MDL is
 * required is bug check 0x1E at run time.
 */
export type PMDL = MdlHandle;
/**
 * PNET_BUFFER: handle of a NET_BUFFER ({@link NdisAllocateNetBuffer}); its fields are those of
 * {@link NetBufferHandle}. A distinct kind at compile time; a NULL, freed or wrong-kind one is bug check 0x1E.
 */
export type PNET_BUFFER = NetBufferHandle;
/**
 * PNET_BUFFER_LIST: handle of a NET_BUFFER_LIST ({@link NdisAllocateNetBufferList}); its fields are those of
 * {@link NetBufferListHandle}. A distinct kind at compile time; a NULL, freed or wrong-kind one is bug check
 * 0x1E.
 */
export type PNET_BUFFER_LIST = NetBufferListHandle;
/**
 * NDIS_HANDLE: handle of a NET_BUFFER pool or NET_BUFFER_LIST pool. A distinct kind at compile time (the two
 * pool kinds are not: passing one where the other is expected is bug check 0x1E at run time).
 */
export type NDIS_HANDLE = NdisHandleObject;

const NB_NEXT = 0, NB_CURRENT_MDL = 1, NB_CURRENT_MDL_OFFSET = 2, NB_DATA_LENGTH = 3, NB_DATA_OFFSET = 4,
  NB_MDL_CHAIN = 5;

function nbGet(nb: NetBufferHandle, f: number): number {
  return field(native.ndisNbGet(nb[ID], f));
}
function nbSet(nb: NetBufferHandle, f: number, v: number): void {
  statusOf(native.ndisNbSet(nb[ID], f, v));
}

function address(mdl: unknown, mode: number): Uint8Array | null {
  const [st, v, len] = native.ndisMdlAddress(idOf(mdl, 'Mdl'), mode);
  if (statusOf(st) !== 0) return null;
  return sub(v as ArrayBufferView, 0, len as number);
}

// ---------------------------------------------------------------------------------------------
// Constants (SEMANTICS.md 0.2, wdm.h)

/** MDL_MAPPED_TO_SYSTEM_VA 0x0001 (wdm.h): MappedSystemVa is valid; set by a successful mapping here. */
export const MDL_MAPPED_TO_SYSTEM_VA = 0x0001;
/** MDL_PAGES_LOCKED 0x0002 (wdm.h): the pages are locked. Never set by ntcopy. */
export const MDL_PAGES_LOCKED = 0x0002;
/**
 * MDL_SOURCE_IS_NONPAGED_POOL 0x0004 (wdm.h): built for nonpaged pool (NdisAllocateMdl,
 * MmBuildMdlForNonPagedPool); mapping cannot fail.
 */
export const MDL_SOURCE_IS_NONPAGED_POOL = 0x0004;
/** MDL_ALLOCATED_FIXED_SIZE 0x0008 (wdm.h). Never set by ntcopy. */
export const MDL_ALLOCATED_FIXED_SIZE = 0x0008;
/** MDL_PARTIAL 0x0010 (wdm.h): a partial MDL (IoBuildPartialMdl). Never set by ntcopy. */
export const MDL_PARTIAL = 0x0010;
/** MDL_PARTIAL_HAS_BEEN_MAPPED 0x0020 (wdm.h). Never set by ntcopy. */
export const MDL_PARTIAL_HAS_BEEN_MAPPED = 0x0020;
/** MDL_IO_PAGE_READ 0x0040 (wdm.h). Never set by ntcopy. */
export const MDL_IO_PAGE_READ = 0x0040;
/** MDL_WRITE_OPERATION 0x0080 (wdm.h). Never set by ntcopy. */
export const MDL_WRITE_OPERATION = 0x0080;
/** MDL_PARENT_MAPPED_SYSTEM_VA 0x0100 (wdm.h; same bit as MDL_LOCKED_PAGE_TABLES). Never set by ntcopy. */
export const MDL_PARENT_MAPPED_SYSTEM_VA = 0x0100;
/** MDL_LOCKED_PAGE_TABLES 0x0100 (wdm.h; same bit as MDL_PARENT_MAPPED_SYSTEM_VA). Never set by ntcopy. */
export const MDL_LOCKED_PAGE_TABLES = 0x0100;
/** MDL_FREE_EXTRA_PTES 0x0200 (wdm.h). Never set by ntcopy. */
export const MDL_FREE_EXTRA_PTES = 0x0200;
/** MDL_DESCRIBES_AWE 0x0400 (wdm.h). Never set by ntcopy. */
export const MDL_DESCRIBES_AWE = 0x0400;
/** MDL_IO_SPACE 0x0800 (wdm.h): describes I/O space. Never set by ntcopy. */
export const MDL_IO_SPACE = 0x0800;
/** MDL_NETWORK_HEADER 0x1000 (wdm.h). Never set by ntcopy. */
export const MDL_NETWORK_HEADER = 0x1000;
/** MDL_MAPPING_CAN_FAIL 0x2000 (wdm.h). Never set by ntcopy (see Sim.setMdlMappingFails instead). */
export const MDL_MAPPING_CAN_FAIL = 0x2000;
/**
 * MDL_ALLOCATED_MUST_SUCCEED 0x4000 (wdm.h; same bit as MDL_PAGE_CONTENTS_INVARIANT). Never set by ntcopy.
 */
export const MDL_ALLOCATED_MUST_SUCCEED = 0x4000;
/**
 * MDL_PAGE_CONTENTS_INVARIANT 0x4000 (wdm.h; same bit as MDL_ALLOCATED_MUST_SUCCEED). Never set by ntcopy.
 */
export const MDL_PAGE_CONTENTS_INVARIANT = 0x4000;
/** MDL_INTERNAL 0x8000 (wdm.h). Never set by ntcopy. */
export const MDL_INTERNAL = 0x8000;

// MM_PAGE_PRIORITY values for MmGetSystemAddressForMdlSafe (they do not change the outcome here).
/** MM_PAGE_PRIORITY LowPagePriority (wdm.h); no effect here. */
export const LowPagePriority = 0;
/** MM_PAGE_PRIORITY NormalPagePriority (wdm.h); no effect here. */
export const NormalPagePriority = 16;
/** MM_PAGE_PRIORITY HighPagePriority (wdm.h); no effect here. */
export const HighPagePriority = 32;

// ---------------------------------------------------------------------------------------------
// MDLs

function allocMdl(VirtualAddress: unknown, Length: unknown, nonpaged: boolean): PMDL | null {
  const v = view(VirtualAddress, 'VirtualAddress');
  let len = v.byteLength;
  if (Length !== undefined) {
    len = u32(Length, 'Length');
    if (len > v.byteLength) throw new RangeError(`Length ${len} is larger than the view (${v.byteLength} bytes)`);
  }
  const [st, id] = native.ndisMdlAlloc(v, len, nonpaged);
  statusOf(st);
  return handleFor(id, MdlHandle);
}

/**
 * IoAllocateMdl: an MDL describing (aliasing) the first Length bytes of VirtualAddress (default: all; more
 * than its byteLength: RangeError; a null view: TypeError). MdlFlags 0: not yet mapped. SecondaryBuffer and
 * ChargeQuota have no effect; Irp must be null. No status, no bug check; null only if the host is out of
 * memory or handles.
 */
export function IoAllocateMdl(
  VirtualAddress: ArrayBufferView,
  Length?: number,
  SecondaryBuffer?: boolean,
  ChargeQuota?: boolean,
  Irp?: null,
): PMDL | null {
  bool(SecondaryBuffer, 'SecondaryBuffer');
  bool(ChargeQuota, 'ChargeQuota');
  if (Irp !== null && Irp !== undefined) throw new TypeError('Irp must be null');
  return allocMdl(VirtualAddress, Length, false);
}

/**
 * NdisAllocateMdl = IoAllocateMdl + MmBuildMdlForNonPagedPool (MDL_SOURCE_IS_NONPAGED_POOL, MappedSystemVa
 * set, so mapping it cannot fail). NdisHandle may be any ntcopy handle or null; it is not used.
 */
export function NdisAllocateMdl(NdisHandle: NDIS_HANDLE | null, VirtualAddress: ArrayBufferView, Length?: number): PMDL | null {
  idOf(NdisHandle, 'NdisHandle');
  return allocMdl(VirtualAddress, Length, true);
}

/**
 * MmBuildMdlForNonPagedPool: sets MDL_SOURCE_IS_NONPAGED_POOL and MappedSystemVa (mapping it can no longer
 * fail). Bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED for a NULL, freed or wrong-kind MDL.
 */
export function MmBuildMdlForNonPagedPool(Mdl: PMDL): void {
  statusOf(native.ndisMdlBuildNonPaged(idOf(Mdl, 'Mdl')));
}

/**
 * IoFreeMdl: frees the MDL (not the memory it describes). A chain or NET_BUFFER still pointing at it then
 * dangles: a walk that meets it is bug check 0x1E. Bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED for NULL, a
 * freed MDL (double free) or another kind of object.
 */
export function IoFreeMdl(Mdl: PMDL): void {
  statusOf(native.ndisMdlFree(idOf(Mdl, 'Mdl')));
}

/** NdisFreeMdl: as {@link IoFreeMdl} (bug check 0x1E for NULL, freed or another kind). */
export function NdisFreeMdl(Mdl: PMDL): void {
  statusOf(native.ndisMdlFree(idOf(Mdl, 'Mdl')));
}

/** MmGetMdlByteCount: the MDL's ByteCount. Bug check 0x1E for a NULL, freed or wrong-kind MDL. */
export function MmGetMdlByteCount(Mdl: PMDL): number {
  return field(native.ndisMdlField(idOf(Mdl, 'Mdl'), 1));
}

/**
 * MmGetMdlVirtualAddress: a view of the ByteCount described bytes. Bug checks: 0x1E for a NULL, freed or
 * wrong-kind MDL; 0x50 PAGE_FAULT_IN_NONPAGED_AREA if the bytes are gone (view detached or shrunk).
 */
export function MmGetMdlVirtualAddress(Mdl: PMDL): Uint8Array {
  return address(Mdl, 0)!;
}

/**
 * MmGetSystemAddressForMdlSafe: the mapped view of the ByteCount described bytes, or null when mapping fails
 * ({@link Sim}.setMdlMappingFails on an MDL neither mapped nor nonpaged). A successful mapping sets
 * MDL_MAPPED_TO_SYSTEM_VA and MappedSystemVa. Priority: a ULONG, no effect. Bug checks: 0x1E for a NULL,
 * freed or wrong-kind MDL; 0x50 if the bytes are gone (decided before the mapping is recorded).
 */
export function MmGetSystemAddressForMdlSafe(Mdl: PMDL, Priority: number): Uint8Array | null {
  idOf(Mdl, 'Mdl');
  u32(Priority, 'Priority');
  return address(Mdl, 1);
}

// ---------------------------------------------------------------------------------------------
// Pools

function allocPool(NdisHandle: unknown, Parameters: unknown, nbl: boolean): NDIS_HANDLE {
  idOf(NdisHandle, 'NdisHandle');
  options(Parameters, 'Parameters');
  const [st, id] = native.ndisPoolAlloc(nbl);
  statusOf(st);
  return handleFor(id, NdisHandleObject)!;
}

/**
 * NdisAllocateNetBufferPool: a NET_BUFFER pool for {@link NdisAllocateNetBuffer}. NdisHandle (any ntcopy
 * handle or null) and Parameters (NET_BUFFER_POOL_PARAMETERS, an object or null) have no effect.
 */
export function NdisAllocateNetBufferPool(NdisHandle: NDIS_HANDLE | null, Parameters?: object): NDIS_HANDLE {
  return allocPool(NdisHandle, Parameters, false);
}
/**
 * NdisFreeNetBufferPool: frees the pool; NET_BUFFERs allocated from it live on. Bug check 0x1E
 * KMODE_EXCEPTION_NOT_HANDLED for a NET_BUFFER_LIST pool, NULL, a freed pool or another kind of object.
 */
export function NdisFreeNetBufferPool(Pool: NDIS_HANDLE): void {
  statusOf(native.ndisPoolFree(false, idOf(Pool, 'Pool')));
}
/**
 * NdisAllocateNetBufferListPool: a NET_BUFFER_LIST pool for {@link NdisAllocateNetBufferList} and
 * {@link NdisAllocateNetBufferAndNetBufferList}. NdisHandle and Parameters have no effect.
 */
export function NdisAllocateNetBufferListPool(NdisHandle: NDIS_HANDLE | null, Parameters?: object): NDIS_HANDLE {
  return allocPool(NdisHandle, Parameters, true);
}
/**
 * NdisFreeNetBufferListPool: frees the pool; lists allocated from it live on. Bug check 0x1E
 * KMODE_EXCEPTION_NOT_HANDLED for a NET_BUFFER pool, NULL, a freed pool or another kind of object.
 */
export function NdisFreeNetBufferListPool(Pool: NDIS_HANDLE): void {
  statusOf(native.ndisPoolFree(true, idOf(Pool, 'Pool')));
}

// ---------------------------------------------------------------------------------------------
// NET_BUFFERs and NET_BUFFER_LISTs

/**
 * NdisAllocateNetBuffer: a NET_BUFFER with MdlChain, DataOffset, DataLength as given; CurrentMdl /
 * CurrentMdlOffset derived from DataOffset (the first MDL whose cumulative end is > DataOffset; SEMANTICS
 * 6.3). Null only if the host is out of memory or handles. Bug checks: 0x1E KMODE_EXCEPTION_NOT_HANDLED
 * (NULL, freed or wrong-kind pool, including a NET_BUFFER_LIST pool; wrong-kind MdlChain; a freed MDL met
 * in the chain), 0x133 DPC_WATCHDOG_VIOLATION (the walk meets a cycle of zero-length MDLs).
 */
export function NdisAllocateNetBuffer(PoolHandle: NDIS_HANDLE, MdlChain: PMDL | null, DataOffset: number, DataLength: number): PNET_BUFFER | null {
  const pool = idOf(PoolHandle, 'PoolHandle');
  const chain = idOf(MdlChain, 'MdlChain');
  const off = u32(DataOffset, 'DataOffset');
  const len = u32(DataLength, 'DataLength');
  const [st, id] = native.ndisNbAlloc(pool, chain, off, len);
  statusOf(st);
  return handleFor(id, NetBufferHandle);
}

/**
 * NdisFreeNetBuffer: frees the NET_BUFFER (not its MDLs). Bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED for
 * NULL, a freed NET_BUFFER or another kind of object.
 */
export function NdisFreeNetBuffer(NetBuffer: PNET_BUFFER): void {
  statusOf(native.ndisNbFree(idOf(NetBuffer, 'NetBuffer')));
}

function nbField(nb: unknown, f: number): number {
  return field(native.ndisNbGet(idOf(nb, 'NetBuffer'), f));
}
/** NET_BUFFER_NEXT_NB (ndis.h macro): `nb.Next`. Bug check 0x1E for a NULL, freed or wrong-kind NET_BUFFER. */
export function NET_BUFFER_NEXT_NB(nb: PNET_BUFFER): PNET_BUFFER | null { return handleFor(nbField(nb, NB_NEXT), NetBufferHandle); }
/** NET_BUFFER_FIRST_MDL (ndis.h macro): `nb.MdlChain`. Bug check 0x1E for a bad NET_BUFFER. */
export function NET_BUFFER_FIRST_MDL(nb: PNET_BUFFER): PMDL | null { return handleFor(nbField(nb, NB_MDL_CHAIN), MdlHandle); }
/** NET_BUFFER_DATA_LENGTH (ndis.h macro): `nb.DataLength`. Bug check 0x1E for a bad NET_BUFFER. */
export function NET_BUFFER_DATA_LENGTH(nb: PNET_BUFFER): number { return nbField(nb, NB_DATA_LENGTH); }
/** NET_BUFFER_DATA_OFFSET (ndis.h macro): `nb.DataOffset`. Bug check 0x1E for a bad NET_BUFFER. */
export function NET_BUFFER_DATA_OFFSET(nb: PNET_BUFFER): number { return nbField(nb, NB_DATA_OFFSET); }
/** NET_BUFFER_CURRENT_MDL (ndis.h macro): `nb.CurrentMdl`. Bug check 0x1E for a bad NET_BUFFER. */
export function NET_BUFFER_CURRENT_MDL(nb: PNET_BUFFER): PMDL | null { return handleFor(nbField(nb, NB_CURRENT_MDL), MdlHandle); }
/** NET_BUFFER_CURRENT_MDL_OFFSET (ndis.h macro): `nb.CurrentMdlOffset`. Bug check 0x1E for a bad NET_BUFFER. */
export function NET_BUFFER_CURRENT_MDL_OFFSET(nb: PNET_BUFFER): number { return nbField(nb, NB_CURRENT_MDL_OFFSET); }

/**
 * NdisAllocateNetBufferList: an empty list (ContextSize / ContextBackFill are ULONGs with no effect). Null
 * only if the host is out of memory or handles. Bug check 0x1E for a NULL, freed or wrong-kind pool
 * (including a NET_BUFFER pool).
 */
export function NdisAllocateNetBufferList(PoolHandle: NDIS_HANDLE, ContextSize: number, ContextBackFill: number): PNET_BUFFER_LIST | null {
  const pool = idOf(PoolHandle, 'PoolHandle');
  u32(ContextSize, 'ContextSize');
  u32(ContextBackFill, 'ContextBackFill');
  const [st, id] = native.ndisNblAlloc(pool, false, 0, 0, 0);
  statusOf(st);
  return handleFor(id, NetBufferListHandle);
}

/**
 * NdisAllocateNetBufferAndNetBufferList: a list whose FirstNetBuffer is a new NET_BUFFER, made as by
 * {@link NdisAllocateNetBuffer} and freed with the list. Null only if the host is out of memory or handles.
 * Bug checks: 0x1E (NULL, freed or wrong-kind pool, including a NET_BUFFER pool; bad MdlChain), 0x133 (a
 * cycle of zero-length MDLs).
 */
export function NdisAllocateNetBufferAndNetBufferList(
  PoolHandle: NDIS_HANDLE,
  ContextSize: number,
  ContextBackFill: number,
  MdlChain: PMDL | null,
  DataOffset: number,
  DataLength: number,
): PNET_BUFFER_LIST | null {
  const pool = idOf(PoolHandle, 'PoolHandle');
  u32(ContextSize, 'ContextSize');
  u32(ContextBackFill, 'ContextBackFill');
  const chain = idOf(MdlChain, 'MdlChain');
  const off = u32(DataOffset, 'DataOffset');
  const len = u32(DataLength, 'DataLength');
  const [st, id] = native.ndisNblAlloc(pool, true, chain, off, len);
  statusOf(st);
  return handleFor(id, NetBufferListHandle);
}

/**
 * NdisFreeNetBufferList: frees the list and the NET_BUFFER allocated with it (if still live). Bug check 0x1E
 * KMODE_EXCEPTION_NOT_HANDLED for NULL, a freed list or another kind of object.
 */
export function NdisFreeNetBufferList(Nbl: PNET_BUFFER_LIST): void {
  statusOf(native.ndisNblFree(idOf(Nbl, 'Nbl')));
}

/** NET_BUFFER_LIST_FIRST_NB (ndis.h macro): `nbl.FirstNetBuffer`. Bug check 0x1E for a bad list. */
export function NET_BUFFER_LIST_FIRST_NB(nbl: PNET_BUFFER_LIST): PNET_BUFFER | null {
  return handleFor(field(native.ndisNblGet(idOf(nbl, 'Nbl'), 1)), NetBufferHandle);
}
/** NET_BUFFER_LIST_NEXT_NBL (ndis.h macro): `nbl.Next`. Bug check 0x1E for a NULL, freed or wrong-kind list. */
export function NET_BUFFER_LIST_NEXT_NBL(nbl: PNET_BUFFER_LIST): PNET_BUFFER_LIST | null {
  return handleFor(field(native.ndisNblGet(idOf(nbl, 'Nbl'), 0)), NetBufferListHandle);
}

// ---------------------------------------------------------------------------------------------
// The copy and its companions

const copyNative: () => void = native.ndisCopy; // status in args[STATUS], BytesCopied in args[RESULT0]

/** A Uint32Array of length >= 1, from this realm or another. */
function isCounter(v: unknown): v is Uint32Array {
  return (v instanceof Uint32Array || (ArrayBuffer.isView(v) && (v as Uint32Array)[Symbol.toStringTag] === 'Uint32Array')) &&
    (v as Uint32Array).length > 0;
}

/**
 * NdisCopyFromNetBufferToNetBuffer (SEMANTICS 2.3): copies up to BytesToCopy bytes from Source at
 * SourceOffset (relative to its CurrentMdl + CurrentMdlOffset) to Destination at DestinationOffset,
 * bounded by the MDL chains (not DataLength); BytesCopied[0] = bytes copied. Statuses:
 * NDIS_STATUS_SUCCESS (also for short copies), NDIS_STATUS_RESOURCES (a mapping failed; partial count).
 * Bug checks (nothing written, BytesCopied included): 0x1E (NULL / freed / wrong-kind NET_BUFFER or MDL
 * met, NULL BytesCopied), 0x133 (a cycle of zero-length MDLs), 0x50 (bytes of a detached or shrunk view).
 */
export function NdisCopyFromNetBufferToNetBuffer(
  Destination: PNET_BUFFER,
  DestinationOffset: number,
  BytesToCopy: number,
  Source: PNET_BUFFER,
  SourceOffset: number,
  BytesCopied: Uint32Array,
): number {
  ndisCopyChecks(Destination, DestinationOffset, BytesToCopy, Source, SourceOffset, args, 0);
  const counter = BytesCopied !== null && BytesCopied !== undefined;
  if (counter && !isCounter(BytesCopied)) throw new TypeError('BytesCopied must be a Uint32Array of length >= 1 (or null)');
  args[5] = counter ? 1 : 0;
  copyNative();
  const r = args[STATUS];
  if (r === FAULTED) throwFault(); // 0x1E for a NULL BytesCopied too: it stays unwritten
  BytesCopied[0] = args[RESULT0];
  return r >>> 0;
}

/**
 * The JS argument checks of NdisCopyFromNetBufferToNetBuffer but BytesCopied, in its order: both handles, then
 * DestinationOffset, BytesToCopy, SourceOffset (ULONG numbers or bigints). Writes Destination's id, the three
 * ULONGs as numbers and Source's id to out[o .. o + 4] as [dst, dstOffset, count, src, srcOffset] (the
 * argument block's order). Shared with CopyBatch. @internal
 */
export function ndisCopyChecks(Destination: unknown, DestinationOffset: unknown, BytesToCopy: unknown, Source: unknown,
  SourceOffset: unknown, out: Float64Array, o: number): void {
  const d = idOf(Destination, 'Destination');
  const s = idOf(Source, 'Source');
  // u32's fast path takes ULONG numbers as they are (no Number() builtin call); bigints are converted.
  const dOff = u32(DestinationOffset, 'DestinationOffset');
  const n = u32(BytesToCopy, 'BytesToCopy');
  const sOff = u32(SourceOffset, 'SourceOffset');
  out[o] = d;
  out[o + 1] = dOff;
  out[o + 2] = n;
  out[o + 3] = s;
  out[o + 4] = sOff;
}

/**
 * NdisAdvanceNetBufferDataStart: DataOffset += Delta, DataLength -= Delta, cursor re-derived. With FreeMdl,
 * the MDLs a Retreat allocated that now lie wholly before the data are unlinked and freed (by FreeMdlHandler
 * when given, which frees them itself; if it throws, the exception propagates and the MDLs handled before
 * stay unlinked). Delta > DataLength, or DataOffset + Delta over 0xFFFFFFFF: RangeError. No status.
 * Bug checks: 0x1E (NULL, freed or wrong-kind NET_BUFFER; a freed MDL met), 0x133 (a cycle of zero-length
 * MDLs while re-deriving the cursor).
 */
export function NdisAdvanceNetBufferDataStart(
  NetBuffer: PNET_BUFFER,
  DataOffsetDelta: number,
  FreeMdl: boolean,
  FreeMdlHandler?: ((Mdl: PMDL) => void) | null,
): void {
  const id = idOf(NetBuffer, 'NetBuffer');
  const delta = u32(DataOffsetDelta, 'DataOffsetDelta');
  const free = bool(FreeMdl, 'FreeMdl');
  const h = handler<(Mdl: PMDL) => void>(FreeMdlHandler, 'FreeMdlHandler');
  const r = native.ndisAdvance(id, delta, free && !h);
  if (r === ARG_ERROR) throw new RangeError(`DataOffsetDelta ${delta} is larger than DataLength (or DataOffset would pass 0xFFFFFFFF)`);
  statusOf(r);
  if (!free || !h) return;
  // One MDL at a time, so a throwing handler leaves the MDLs handled before it unlinked and the rest linked.
  for (;;) {
    const [st, mdl] = native.ndisAdvanceUnlinkHead(id);
    statusOf(st);
    if (mdl === 0) return;
    h(handleFor(mdl, MdlHandle)!);
  }
}

/**
 * NdisRetreatNetBufferDataStart: DataOffset -= Delta, DataLength += Delta, in place when DataOffset >= Delta;
 * else one new MDL of (Delta - DataOffset) + DataBackFill bytes is linked in front (from
 * AllocateMdlHandler(Size) when given, else from the library) and DataOffset = CurrentMdlOffset = its
 * ByteCount - (Delta - old DataOffset). Statuses: NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES (handler gave
 * null or a too small MDL; library allocation over 2^31 bytes or out of memory) with nothing changed.
 * DataLength + Delta over 0xFFFFFFFF: RangeError; a handler result that is not a live MDL: TypeError; a
 * handler's exception propagates. Bug checks: 0x1E (NULL, freed or wrong-kind NET_BUFFER; a freed MDL met),
 * 0x133 (a cycle of zero-length MDLs while re-deriving the cursor).
 */
export function NdisRetreatNetBufferDataStart(
  NetBuffer: PNET_BUFFER,
  DataOffsetDelta: number,
  DataBackFill: number,
  AllocateMdlHandler?: ((Size: number) => PMDL | null) | null,
): number {
  const id = idOf(NetBuffer, 'NetBuffer');
  const delta = u32(DataOffsetDelta, 'DataOffsetDelta');
  const backfill = u32(DataBackFill, 'DataBackFill');
  const h = handler<(Size: number) => PMDL | null>(AllocateMdlHandler, 'AllocateMdlHandler');
  const [st, need] = native.ndisRetreat(id, delta, backfill, !h);
  if (st === ARG_ERROR) throw new RangeError(`DataLength + DataOffsetDelta (${delta}) is over 0xFFFFFFFF`);
  const s = statusOf(st);
  if (!h || need === 0) return s;
  const mdl = h(need as number);
  if (mdl !== null && mdl !== undefined && !(mdl instanceof MdlHandle)) {
    throw new TypeError('AllocateMdlHandler must return an MDL or null');
  }
  const r = native.ndisRetreatLink(id, delta, backfill, mdl ? mdl[ID] : 0);
  if (r === ARG_ERROR) throw new TypeError('AllocateMdlHandler returned an MDL that was freed');
  return statusOf(r);
}

/**
 * NdisGetDataBuffer: a view of BytesNeeded bytes at the data start when they are contiguous in one MDL
 * (and (byteOffset + k) % AlignMultiple == AlignOffset), else the bytes copied into Storage and Storage
 * itself, or null (BytesNeeded 0, DataLength < BytesNeeded, no Storage, chain too short, mapping failure).
 * AlignMultiple not a power of two, or AlignOffset >= AlignMultiple: RangeError. Bug checks: 0x1E (NULL,
 * freed or wrong-kind NET_BUFFER; a freed MDL met), 0x133 (a cycle of zero-length MDLs), 0xD6
 * DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION (Storage shorter than BytesNeeded when a copy is needed), 0x50
 * PAGE_FAULT_IN_NONPAGED_AREA (gone bytes).
 */
export function NdisGetDataBuffer(
  NetBuffer: PNET_BUFFER,
  BytesNeeded: number,
  Storage: ArrayBufferView | null,
  AlignMultiple: number,
  AlignOffset: number,
): ArrayBufferView | null {
  const id = idOf(NetBuffer, 'NetBuffer');
  const needed = u32(BytesNeeded, 'BytesNeeded');
  const storage = viewOrNull(Storage, 'Storage');
  const am = u32(AlignMultiple, 'AlignMultiple');
  const ao = u32(AlignOffset, 'AlignOffset');
  if (am === 0 || (am & (am - 1)) !== 0) throw new RangeError(`AlignMultiple ${am} is not a power of two`);
  if (ao >= am) throw new RangeError(`AlignOffset ${ao} must be below AlignMultiple ${am}`);
  const [st, kind, v, off] = native.ndisGetDataBuffer(id, needed, storage, am, ao);
  statusOf(st);
  if (kind === 1) return sub(v as ArrayBufferView, off as number, needed);
  if (kind === 2) return storage;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sim

/** Sim members of the NDIS family. @internal */
export const ndisSim = {
  /**
   * While `fails` is true, mapping this MDL fails unless it is already mapped (MDL_MAPPED_TO_SYSTEM_VA or
   * MDL_SOURCE_IS_NONPAGED_POOL): MmGetSystemAddressForMdlSafe returns null, and copies through it give
   * NDIS_STATUS_RESOURCES. `fails` not a boolean: TypeError. Bug check 0x1E for a NULL, freed or wrong-kind
   * MDL.
   */
  setMdlMappingFails(Mdl: PMDL, fails: boolean): void {
    const id = idOf(Mdl, 'Mdl');
    if (typeof fails !== 'boolean') throw new TypeError('fails must be a boolean');
    statusOf(native.ndisMdlSetMappingFails(id, fails));
  },
};
