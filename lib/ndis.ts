// MDLs, NET_BUFFERs, NET_BUFFER_LISTs (API.md section 4; behaviour: SEMANTICS.md section 2 and 6).
// This layer only checks JS argument shapes and sequences the JS handlers of Advance / Retreat around
// native steps; every status, bug check and byte is decided by the core.
import { native, FAULTED, args, RESULT0, STATUS } from './native';
import { throwFault } from './bugcheck';
import { ID, NtObject, handleFor, idOf } from './handle';
import { ulong, view, options, bool, viewOrNull } from './args';

/** Returned by the core when the JS argument error depends on an object's state. */
const ARG_ERROR = -2;

function check(r: number): number {
  if (r === FAULTED) throwFault();
  return r >>> 0;
}

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

/** A memory descriptor list (PMDL). `Next` and `ByteCount` are writable, as in the C struct. */
export class MdlHandle extends NtObject {
  private declare readonly brandMdl: never;
  /** The next MDL of the chain (any MDL may be linked, cycles included). */
  get Next(): PMDL | null {
    return handleFor(field(native.ndisMdlField(this[ID], 0)), MdlHandle);
  }
  set Next(v: PMDL | null) {
    check(native.ndisMdlSetNext(this[ID], idOf(v, 'Next')));
  }
  /** Bytes described: 0..the Length given at allocation, else RangeError. */
  get ByteCount(): number {
    return field(native.ndisMdlField(this[ID], 1));
  }
  set ByteCount(v: number) {
    const n = u32(v, 'ByteCount');
    const r = native.ndisMdlSetByteCount(this[ID], n);
    if (r === ARG_ERROR) {
      throw new RangeError(`ByteCount ${n} is larger than the ${native.ndisMdlField(this[ID], 3)} bytes the MDL describes`);
    }
    check(r);
  }
  /** MDL_* flags (read-only). */
  get MdlFlags(): number {
    return field(native.ndisMdlField(this[ID], 2));
  }
  /** The system-space view of the described bytes once mapped (or built for nonpaged pool), else null. */
  get MappedSystemVa(): Uint8Array | null {
    return address(this, 2);
  }
}

/** A NET_BUFFER (PNET_BUFFER). The six NET_BUFFER_DATA fields are read/write, as in the C struct. */
export class NetBufferHandle extends NtObject {
  private declare readonly brandNetBuffer: never;
  get Next(): PNET_BUFFER | null { return handleFor(nbGet(this, NB_NEXT), NetBufferHandle); }
  set Next(v: PNET_BUFFER | null) { nbSet(this, NB_NEXT, idOf(v, 'Next')); }
  get CurrentMdl(): PMDL | null { return handleFor(nbGet(this, NB_CURRENT_MDL), MdlHandle); }
  set CurrentMdl(v: PMDL | null) { nbSet(this, NB_CURRENT_MDL, idOf(v, 'CurrentMdl')); }
  get CurrentMdlOffset(): number { return nbGet(this, NB_CURRENT_MDL_OFFSET); }
  set CurrentMdlOffset(v: number) { nbSet(this, NB_CURRENT_MDL_OFFSET, u32(v, 'CurrentMdlOffset')); }
  get DataLength(): number { return nbGet(this, NB_DATA_LENGTH); }
  set DataLength(v: number) { nbSet(this, NB_DATA_LENGTH, u32(v, 'DataLength')); }
  get DataOffset(): number { return nbGet(this, NB_DATA_OFFSET); }
  set DataOffset(v: number) { nbSet(this, NB_DATA_OFFSET, u32(v, 'DataOffset')); }
  get MdlChain(): PMDL | null { return handleFor(nbGet(this, NB_MDL_CHAIN), MdlHandle); }
  set MdlChain(v: PMDL | null) { nbSet(this, NB_MDL_CHAIN, idOf(v, 'MdlChain')); }
}

/** A NET_BUFFER_LIST (PNET_BUFFER_LIST). */
export class NetBufferListHandle extends NtObject {
  private declare readonly brandNetBufferList: never;
  get Next(): PNET_BUFFER_LIST | null {
    return handleFor(field(native.ndisNblGet(this[ID], 0)), NetBufferListHandle);
  }
  set Next(v: PNET_BUFFER_LIST | null) {
    check(native.ndisNblSet(this[ID], 0, idOf(v, 'Next')));
  }
  get FirstNetBuffer(): PNET_BUFFER | null {
    return handleFor(field(native.ndisNblGet(this[ID], 1)), NetBufferHandle);
  }
  set FirstNetBuffer(v: PNET_BUFFER | null) {
    check(native.ndisNblSet(this[ID], 1, idOf(v, 'FirstNetBuffer')));
  }
}

/** An NDIS handle: a NET_BUFFER pool or a NET_BUFFER_LIST pool (the wrong kind is bug check 0x1E). */
export class NdisHandleObject extends NtObject {
  private declare readonly brandNdisHandle: never;
}

export type PMDL = MdlHandle;
export type PNET_BUFFER = NetBufferHandle;
export type PNET_BUFFER_LIST = NetBufferListHandle;
export type NDIS_HANDLE = NdisHandleObject;

const NB_NEXT = 0, NB_CURRENT_MDL = 1, NB_CURRENT_MDL_OFFSET = 2, NB_DATA_LENGTH = 3, NB_DATA_OFFSET = 4,
  NB_MDL_CHAIN = 5;

function nbGet(nb: NetBufferHandle, f: number): number {
  return field(native.ndisNbGet(nb[ID], f));
}
function nbSet(nb: NetBufferHandle, f: number, v: number): void {
  check(native.ndisNbSet(nb[ID], f, v));
}

function address(mdl: unknown, mode: number): Uint8Array | null {
  const [st, v, len] = native.ndisMdlAddress(idOf(mdl, 'Mdl'), mode);
  if (check(st) !== 0) return null;
  return sub(v as ArrayBufferView, 0, len as number);
}

// ---------------------------------------------------------------------------------------------
// Constants (SEMANTICS.md 0.2, wdm.h)

export const MDL_MAPPED_TO_SYSTEM_VA = 0x0001;
export const MDL_PAGES_LOCKED = 0x0002;
export const MDL_SOURCE_IS_NONPAGED_POOL = 0x0004;
export const MDL_ALLOCATED_FIXED_SIZE = 0x0008;
export const MDL_PARTIAL = 0x0010;
export const MDL_PARTIAL_HAS_BEEN_MAPPED = 0x0020;
export const MDL_IO_PAGE_READ = 0x0040;
export const MDL_WRITE_OPERATION = 0x0080;
export const MDL_PARENT_MAPPED_SYSTEM_VA = 0x0100;
export const MDL_LOCKED_PAGE_TABLES = 0x0100;
export const MDL_FREE_EXTRA_PTES = 0x0200;
export const MDL_DESCRIBES_AWE = 0x0400;
export const MDL_IO_SPACE = 0x0800;
export const MDL_NETWORK_HEADER = 0x1000;
export const MDL_MAPPING_CAN_FAIL = 0x2000;
export const MDL_ALLOCATED_MUST_SUCCEED = 0x4000;
export const MDL_PAGE_CONTENTS_INVARIANT = 0x4000;
export const MDL_INTERNAL = 0x8000;

/** MM_PAGE_PRIORITY values for MmGetSystemAddressForMdlSafe (they do not change the outcome here). */
export const LowPagePriority = 0;
export const NormalPagePriority = 16;
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
  check(st);
  return handleFor(id, MdlHandle);
}

/** IoAllocateMdl: an MDL describing the first Length bytes of VirtualAddress (default: all). MdlFlags 0. */
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

/** NdisAllocateMdl = IoAllocateMdl + MmBuildMdlForNonPagedPool (MDL_SOURCE_IS_NONPAGED_POOL, MappedSystemVa set). */
export function NdisAllocateMdl(NdisHandle: NDIS_HANDLE | null, VirtualAddress: ArrayBufferView, Length?: number): PMDL | null {
  idOf(NdisHandle, 'NdisHandle');
  return allocMdl(VirtualAddress, Length, true);
}

/** MmBuildMdlForNonPagedPool: sets MDL_SOURCE_IS_NONPAGED_POOL and MappedSystemVa. Bug check 0x1E for a bad MDL. */
export function MmBuildMdlForNonPagedPool(Mdl: PMDL): void {
  check(native.ndisMdlBuildNonPaged(idOf(Mdl, 'Mdl')));
}

/** IoFreeMdl. Bug check 0x1E for NULL, a freed MDL (double free) or another kind of object. */
export function IoFreeMdl(Mdl: PMDL): void {
  check(native.ndisMdlFree(idOf(Mdl, 'Mdl')));
}

/** NdisFreeMdl: as IoFreeMdl. */
export function NdisFreeMdl(Mdl: PMDL): void {
  check(native.ndisMdlFree(idOf(Mdl, 'Mdl')));
}

/** MmGetMdlByteCount. */
export function MmGetMdlByteCount(Mdl: PMDL): number {
  return field(native.ndisMdlField(idOf(Mdl, 'Mdl'), 1));
}

/** MmGetMdlVirtualAddress: a view of the ByteCount described bytes. Bug check 0x50 if they are gone. */
export function MmGetMdlVirtualAddress(Mdl: PMDL): Uint8Array {
  return address(Mdl, 0)!;
}

/**
 * MmGetSystemAddressForMdlSafe: the mapped view, or null when mapping fails (Sim.setMdlMappingFails on an
 * MDL neither mapped nor nonpaged). A successful mapping sets MDL_MAPPED_TO_SYSTEM_VA.
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
  check(st);
  return handleFor(id, NdisHandleObject)!;
}

/** NdisAllocateNetBufferPool. Parameters (NET_BUFFER_POOL_PARAMETERS) are accepted and have no effect. */
export function NdisAllocateNetBufferPool(NdisHandle: NDIS_HANDLE | null, Parameters?: object): NDIS_HANDLE {
  return allocPool(NdisHandle, Parameters, false);
}
/** NdisFreeNetBufferPool. Bug check 0x1E for a NET_BUFFER_LIST pool, NULL or a freed pool. */
export function NdisFreeNetBufferPool(Pool: NDIS_HANDLE): void {
  check(native.ndisPoolFree(false, idOf(Pool, 'Pool')));
}
/** NdisAllocateNetBufferListPool. Parameters are accepted and have no effect. */
export function NdisAllocateNetBufferListPool(NdisHandle: NDIS_HANDLE | null, Parameters?: object): NDIS_HANDLE {
  return allocPool(NdisHandle, Parameters, true);
}
/** NdisFreeNetBufferListPool. Bug check 0x1E for a NET_BUFFER pool, NULL or a freed pool. */
export function NdisFreeNetBufferListPool(Pool: NDIS_HANDLE): void {
  check(native.ndisPoolFree(true, idOf(Pool, 'Pool')));
}

// ---------------------------------------------------------------------------------------------
// NET_BUFFERs and NET_BUFFER_LISTs

/**
 * NdisAllocateNetBuffer: MdlChain, DataOffset, DataLength as given; CurrentMdl / CurrentMdlOffset derived
 * from DataOffset (SEMANTICS 6.3). Bug checks: 0x1E (bad pool or MDL), 0x133 (chain of zero-length cycle).
 */
export function NdisAllocateNetBuffer(PoolHandle: NDIS_HANDLE, MdlChain: PMDL | null, DataOffset: number, DataLength: number): PNET_BUFFER | null {
  const pool = idOf(PoolHandle, 'PoolHandle');
  const chain = idOf(MdlChain, 'MdlChain');
  const off = u32(DataOffset, 'DataOffset');
  const len = u32(DataLength, 'DataLength');
  const [st, id] = native.ndisNbAlloc(pool, chain, off, len);
  check(st);
  return handleFor(id, NetBufferHandle);
}

/** NdisFreeNetBuffer. Bug check 0x1E for NULL, a freed NET_BUFFER or another kind of object. */
export function NdisFreeNetBuffer(NetBuffer: PNET_BUFFER): void {
  check(native.ndisNbFree(idOf(NetBuffer, 'NetBuffer')));
}

function nbField(nb: unknown, f: number): number {
  return field(native.ndisNbGet(idOf(nb, 'NetBuffer'), f));
}
export function NET_BUFFER_NEXT_NB(nb: PNET_BUFFER): PNET_BUFFER | null { return handleFor(nbField(nb, NB_NEXT), NetBufferHandle); }
export function NET_BUFFER_FIRST_MDL(nb: PNET_BUFFER): PMDL | null { return handleFor(nbField(nb, NB_MDL_CHAIN), MdlHandle); }
export function NET_BUFFER_DATA_LENGTH(nb: PNET_BUFFER): number { return nbField(nb, NB_DATA_LENGTH); }
export function NET_BUFFER_DATA_OFFSET(nb: PNET_BUFFER): number { return nbField(nb, NB_DATA_OFFSET); }
export function NET_BUFFER_CURRENT_MDL(nb: PNET_BUFFER): PMDL | null { return handleFor(nbField(nb, NB_CURRENT_MDL), MdlHandle); }
export function NET_BUFFER_CURRENT_MDL_OFFSET(nb: PNET_BUFFER): number { return nbField(nb, NB_CURRENT_MDL_OFFSET); }

/** NdisAllocateNetBufferList: an empty list (ContextSize / ContextBackFill accepted, no effect). */
export function NdisAllocateNetBufferList(PoolHandle: NDIS_HANDLE, ContextSize: number, ContextBackFill: number): PNET_BUFFER_LIST | null {
  const pool = idOf(PoolHandle, 'PoolHandle');
  u32(ContextSize, 'ContextSize');
  u32(ContextBackFill, 'ContextBackFill');
  const [st, id] = native.ndisNblAlloc(pool, false, 0, 0, 0);
  check(st);
  return handleFor(id, NetBufferListHandle);
}

/** NdisAllocateNetBufferAndNetBufferList: a list whose FirstNetBuffer is a new NET_BUFFER (freed with the list). */
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
  check(st);
  return handleFor(id, NetBufferListHandle);
}

/** NdisFreeNetBufferList: frees the list and the NET_BUFFER allocated with it. Bug check 0x1E for a bad list. */
export function NdisFreeNetBufferList(Nbl: PNET_BUFFER_LIST): void {
  check(native.ndisNblFree(idOf(Nbl, 'Nbl')));
}

export function NET_BUFFER_LIST_FIRST_NB(nbl: PNET_BUFFER_LIST): PNET_BUFFER | null {
  return handleFor(field(native.ndisNblGet(idOf(nbl, 'Nbl'), 1)), NetBufferHandle);
}
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
  const d = idOf(Destination, 'Destination');
  const s = idOf(Source, 'Source');
  if (typeof DestinationOffset !== 'number' || DestinationOffset >>> 0 !== DestinationOffset) ulong(DestinationOffset, 'DestinationOffset');
  if (typeof BytesToCopy !== 'number' || BytesToCopy >>> 0 !== BytesToCopy) ulong(BytesToCopy, 'BytesToCopy');
  if (typeof SourceOffset !== 'number' || SourceOffset >>> 0 !== SourceOffset) ulong(SourceOffset, 'SourceOffset');
  const counter = BytesCopied !== null && BytesCopied !== undefined;
  if (counter && !isCounter(BytesCopied)) throw new TypeError('BytesCopied must be a Uint32Array of length >= 1 (or null)');
  args[0] = d;
  args[1] = Number(DestinationOffset);
  args[2] = Number(BytesToCopy);
  args[3] = s;
  args[4] = Number(SourceOffset);
  args[5] = counter ? 1 : 0;
  copyNative();
  const r = args[STATUS];
  if (r === FAULTED) throwFault(); // 0x1E for a NULL BytesCopied too: it stays unwritten
  BytesCopied[0] = args[RESULT0];
  return r >>> 0;
}

/**
 * NdisAdvanceNetBufferDataStart: DataOffset += Delta, DataLength -= Delta, cursor re-derived. With FreeMdl,
 * the MDLs a Retreat allocated that now lie wholly before the data are unlinked and freed (by FreeMdlHandler
 * when given, which frees them itself). Delta > DataLength: RangeError. Bug check 0x1E for a bad NET_BUFFER.
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
  check(r);
  if (!free || !h) return;
  // One MDL at a time, so a throwing handler leaves the MDLs handled before it unlinked and the rest linked.
  for (;;) {
    const [st, mdl] = native.ndisAdvanceUnlinkHead(id);
    check(st);
    if (mdl === 0) return;
    h(handleFor(mdl, MdlHandle)!);
  }
}

/**
 * NdisRetreatNetBufferDataStart: in place when DataOffset >= Delta; else one new MDL of
 * (Delta - DataOffset) + DataBackFill bytes is linked in front (from AllocateMdlHandler(Size) when given,
 * else from the library). Statuses: NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES (handler gave null or a too
 * small MDL; library allocation over 2^31 bytes) with nothing changed. DataLength + Delta over 0xFFFFFFFF:
 * RangeError; a handler result that is not a live MDL: TypeError; a handler's exception propagates.
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
  const s = check(st);
  if (!h || need === 0) return s;
  const mdl = h(need as number);
  if (mdl !== null && mdl !== undefined && !(mdl instanceof MdlHandle)) {
    throw new TypeError('AllocateMdlHandler must return an MDL or null');
  }
  const r = native.ndisRetreatLink(id, delta, backfill, mdl ? mdl[ID] : 0);
  if (r === ARG_ERROR) throw new TypeError('AllocateMdlHandler returned an MDL that was freed');
  return check(r);
}

/**
 * NdisGetDataBuffer: a view of BytesNeeded bytes at the data start when they are contiguous in one MDL
 * (and (byteOffset + k) % AlignMultiple == AlignOffset), else the bytes copied into Storage and Storage
 * itself, or null (BytesNeeded 0, DataLength < BytesNeeded, no Storage, chain too short, mapping failure).
 * AlignMultiple not a power of two, or AlignOffset >= AlignMultiple: RangeError. Bug checks: 0x1E, 0xD6
 * (Storage shorter than BytesNeeded), 0x50 (gone bytes).
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
  check(st);
  if (kind === 1) return sub(v as ArrayBufferView, off as number, needed);
  if (kind === 2) return storage;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sim

/** Sim members of the NDIS family. @internal */
export const ndisSim = {
  /**
   * MmGetSystemAddressForMdlSafe on this MDL returns NULL while it is not already mapped (no
   * MDL_MAPPED_TO_SYSTEM_VA / MDL_SOURCE_IS_NONPAGED_POOL): the origin of NDIS_STATUS_RESOURCES.
   */
  setMdlMappingFails(Mdl: PMDL, fails: boolean): void {
    const id = idOf(Mdl, 'Mdl');
    if (typeof fails !== 'boolean') throw new TypeError('fails must be a boolean');
    check(native.ndisMdlSetMappingFails(id, fails));
  },
};
