// WDF memory objects and requests (API.md section 3; behaviour: SEMANTICS.md section 1).
import { native, args, STATUS } from './native';
import { statusOf } from './bugcheck';
import { NtStatusError } from './status';
import { NtObject, handleFor, idOf, forget } from './handle';
import { sizeT, ulong, ulongNumber, viewOrNull, sizeWithin, options } from './args';

/** A framework memory object (WDFMEMORY); see {@link WDFMEMORY}. */
export class WdfMemoryHandle extends NtObject {
  private declare readonly brandWdfMemory: never;
}
/** A framework request object (WDFREQUEST); see {@link WDFREQUEST}. */
export class WdfRequestHandle extends NtObject {
  private declare readonly brandWdfRequest: never;
}
/**
 * WDFMEMORY: handle of a framework memory object (WdfMemoryCreate, WdfMemoryCreatePreallocated, or memory
 * retrieved from a request). Opaque; a distinct kind at compile time (not a WDFREQUEST, PMDL, ...). A NULL,
 * deleted or wrong-kind one passed at run time is bug check 0x10D.
 */
export type WDFMEMORY = WdfMemoryHandle;
/**
 * WDFREQUEST: handle of a framework request object (from {@link Sim}.createRequest). Opaque; a distinct kind
 * at compile time. A NULL, deleted or wrong-kind one passed at run time is bug check 0x10D.
 */
export type WDFREQUEST = WdfRequestHandle;

/** WDF_OBJECT_ATTRIBUTES: only ParentObject has an effect (deleting the parent deletes the child). */
export interface WDF_OBJECT_ATTRIBUTES {
  /** The parent: a live WDF object (else bug check 0x10D, P1 0x5, P3 0x1000); null / absent = none. */
  ParentObject?: WDFMEMORY | WDFREQUEST | null;
}

// POOL_TYPE values (wdm.h); accepted by WdfMemoryCreate, they do not change its outcome here.
/** POOL_TYPE NonPagedPool (wdm.h). */
export const NonPagedPool = 0;
/** POOL_TYPE PagedPool (wdm.h). */
export const PagedPool = 1;
/** POOL_TYPE NonPagedPoolNx (wdm.h): nonpaged, no-execute. */
export const NonPagedPoolNx = 512;

/** IRP_MJ_READ (wdm.h): a read request; it has only an output buffer (OutputBuffer of Sim.createRequest). */
export const IRP_MJ_READ = 0x03;
/** IRP_MJ_WRITE (wdm.h): a write request; it has only an input buffer, and its memory is read-only. */
export const IRP_MJ_WRITE = 0x04;
/** IRP_MJ_DEVICE_CONTROL (wdm.h): an IOCTL; its transfer method is IoControlCode & 3. */
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
/**
 * IRP_MJ_INTERNAL_DEVICE_CONTROL (wdm.h): an internal IOCTL (kernel mode to kernel mode); as IRP_MJ_DEVICE_CONTROL
 * here, except that its METHOD_NEITHER buffers can be retrieved whatever the RequestorMode.
 */
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
/** METHOD_BUFFERED (devioctl.h): IOCTL buffers are copied; both memories writable. */
export const METHOD_BUFFERED = 0;
/** METHOD_IN_DIRECT (devioctl.h): IOCTL input and output memory are read-only. */
export const METHOD_IN_DIRECT = 1;
/** METHOD_OUT_DIRECT (devioctl.h): IOCTL input memory is read-only, output memory writable. */
export const METHOD_OUT_DIRECT = 2;
/**
 * METHOD_NEITHER (devioctl.h): the IOCTL's raw buffers. Retrieving them is STATUS_INVALID_DEVICE_REQUEST for an
 * IRP_MJ_DEVICE_CONTROL from a {@link UserMode} requestor; an internal IOCTL or a {@link KernelMode} requestor gets
 * them as writable memory (SEMANTICS 7.6).
 */
export const METHOD_NEITHER = 3;

/**
 * KernelMode (KPROCESSOR_MODE, wdm.h): the RequestorMode of an IRP sent by kernel-mode code (Sim.createRequest's
 * `RequestorMode`). KMDF then hands out METHOD_NEITHER buffers of IRP_MJ_DEVICE_CONTROL requests too.
 */
export const KernelMode = 0;
/**
 * UserMode (KPROCESSOR_MODE, wdm.h): the RequestorMode of an IRP built for a user-mode caller; Sim.createRequest's
 * default. KMDF refuses the METHOD_NEITHER buffers of such an IRP_MJ_DEVICE_CONTROL request.
 */
export const UserMode = 1;

/**
 * CTL_CODE macro (devioctl.h): ((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method), as an
 * unsigned 32-bit number. Arguments must be ULONGs (else TypeError / RangeError); they are not masked.
 */
export function CTL_CODE(DeviceType: number, Function: number, Method: number, Access: number): number {
  ulong(DeviceType, 'DeviceType');
  ulong(Function, 'Function');
  ulong(Method, 'Method');
  ulong(Access, 'Access');
  return ((DeviceType << 16) | (Access << 14) | (Function << 2) | Method) >>> 0;
}

function parentId(Attributes: unknown): number {
  const a = options(Attributes, 'Attributes');
  return a ? idOf(a.ParentObject, 'Attributes.ParentObject') : 0;
}

/**
 * WdfMemoryCreate: a zero-filled memory object of BufferSize bytes; `buffer` is the object's memory (writes
 * through it are the object's). PoolType and PoolTag are ULONGs with no effect here.
 * Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (BufferSize 0), STATUS_INSUFFICIENT_RESOURCES (the
 * host cannot allocate it); `memory` and `buffer` are null unless SUCCESS.
 * Bug checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x1000) for a deleted or non-WDF ParentObject.
 */
export function WdfMemoryCreate(
  Attributes: WDF_OBJECT_ATTRIBUTES | null,
  PoolType: number,
  PoolTag: number,
  BufferSize: number | bigint,
): { status: number; memory: WDFMEMORY | null; buffer: Buffer | null } {
  ulong(PoolType, 'PoolType');
  ulong(PoolTag, 'PoolTag');
  sizeT(BufferSize, 'BufferSize');
  const parent = parentId(Attributes);
  const [st, id, buf] = native.wdfMemoryCreate(parent, PoolType, PoolTag, BufferSize);
  const s = statusOf(st);
  return { status: s, memory: handleFor(id, WdfMemoryHandle), buffer: buf ?? null };
}

/**
 * WdfMemoryCreatePreallocated: a memory object over the caller's buffer, aliasing it (BufferSize defaults
 * to Buffer.byteLength; larger than the view: RangeError). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER
 * (size 0), STATUS_INSUFFICIENT_RESOURCES (no handle left); `memory` is null unless SUCCESS.
 * Bug checks: 0x10D WDF_VIOLATION with P1 0x5 (P3 0x1000) for a bad ParentObject, checked first, then
 * P1 0x4 for a NULL (null / undefined) Buffer, whatever BufferSize says.
 */
export function WdfMemoryCreatePreallocated(
  Attributes: WDF_OBJECT_ATTRIBUTES | null,
  Buffer: ArrayBufferView | null,
  BufferSize?: number | bigint,
): { status: number; memory: WDFMEMORY | null } {
  const buf = viewOrNull(Buffer, 'Buffer');
  const size = sizeWithin(BufferSize, buf, 'BufferSize');
  const parent = parentId(Attributes);
  const [st, id] = native.wdfMemoryCreatePreallocated(parent, buf, size);
  return { status: statusOf(st), memory: handleFor(id, WdfMemoryHandle) };
}

/**
 * WdfMemoryAssignBuffer: points a preallocated memory object at another buffer (BufferSize defaults to
 * Buffer.byteLength; larger than the view: RangeError). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER
 * (size 0; object unchanged). Bug checks: 0x10D WDF_VIOLATION with P1 0x5 (P3 0x1022) unless Memory is a live
 * object of WdfMemoryCreatePreallocated; P1 0x4 for a NULL (null / undefined) Buffer, whatever BufferSize says.
 */
export function WdfMemoryAssignBuffer(Memory: WDFMEMORY, Buffer: ArrayBufferView | null, BufferSize?: number | bigint): number {
  const id = idOf(Memory, 'Memory');
  const buf = viewOrNull(Buffer, 'Buffer');
  const size = sizeWithin(BufferSize, buf, 'BufferSize');
  return statusOf(native.wdfMemoryAssignBuffer(id, buf, size));
}

/**
 * WdfMemoryGetBuffer: a Buffer over the object's `size` bytes (writes through it are the object's).
 * No status. Bug checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x100A) for a NULL, deleted or wrong-kind handle;
 * 0x50 PAGE_FAULT_IN_NONPAGED_AREA if the memory behind the object was detached or shrunk.
 */
export function WdfMemoryGetBuffer(Memory: WDFMEMORY): Buffer {
  const [st, v, size] = native.wdfMemoryGetBuffer(idOf(Memory, 'Memory'));
  statusOf(st);
  const view = v as ArrayBufferView;
  if (globalThis.Buffer.isBuffer(view) && view.byteLength === size) return view;
  return globalThis.Buffer.from(view.buffer, view.byteOffset, size);
}

// Status in args[STATUS]: the entries return no JS value (making one costs more than a 16-byte copy).
const copyFromFast: (buf?: ArrayBufferView) => void = native.wdfMemoryCopyFromBufferFast;
const copyToFast: (buf?: ArrayBufferView) => void = native.wdfMemoryCopyToBufferFast;

/** Both copies, checked arguments in: numbers go through the argument block, bigints as arguments. */
function copy(
  fast: (buf?: ArrayBufferView) => void,
  slow: (id: number, off: number | bigint, buf: ArrayBufferView | null, n: number | bigint) => number,
  id: number, off: number | bigint, buf: ArrayBufferView | null, n: number | bigint,
): number {
  if (typeof off !== 'number' || typeof n !== 'number') return statusOf(slow(id, off, buf, n));
  args[0] = id;
  args[1] = off;
  args[2] = n;
  if (buf === null) fast(); // NULL is no argument: the entry then skips its type test
  else fast(buf);
  return statusOf(args[STATUS]);
}

/**
 * The JS argument checks of both WDF copies, in the routine's order (API.md 0): the memory handle, the
 * offset (size_t), Buffer (a view or null), the count (size_t). Returns the memory's id. Shared with
 * CopyBatch, which queues exactly what the routine accepts. @internal
 */
export function wdfCopyChecks(Memory: unknown, memoryName: string, Offset: unknown, offsetName: string, Buffer: unknown,
  Count: unknown, countName: string): number {
  const id = idOf(Memory, memoryName);
  sizeT(Offset, offsetName);
  viewOrNull(Buffer, 'Buffer');
  sizeT(Count, countName);
  return id;
}

/**
 * WdfMemoryCopyFromBuffer: copies NumBytesToCopyFrom bytes from Buffer into the object at
 * DestinationOffset (rules W1..W8; memmove if they overlap). Statuses, in this order: STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (0 bytes), STATUS_ACCESS_VIOLATION (read-only request memory),
 * STATUS_INVALID_BUFFER_SIZE (non-zero offset >= size, or length > size - offset). Never
 * STATUS_BUFFER_TOO_SMALL, whatever the WDK docs say. Nothing is written unless SUCCESS.
 * Bug checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x100A: NULL, deleted or wrong-kind handle; P1 0x4: NULL
 * Buffer), 0x50 PAGE_FAULT_IN_NONPAGED_AREA (object memory gone), 0xD6
 * DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION (Buffer shorter than NumBytesToCopyFrom).
 */
export function WdfMemoryCopyFromBuffer(
  DestinationMemory: WDFMEMORY,
  DestinationOffset: number | bigint,
  Buffer: ArrayBufferView | null,
  NumBytesToCopyFrom: number | bigint,
): number {
  const id = wdfCopyChecks(DestinationMemory, 'DestinationMemory', DestinationOffset, 'DestinationOffset', Buffer,
    NumBytesToCopyFrom, 'NumBytesToCopyFrom');
  return copy(copyFromFast, native.wdfMemoryCopyFromBuffer, id, DestinationOffset, Buffer ?? null, NumBytesToCopyFrom);
}

/**
 * WdfMemoryCopyToBuffer: copies NumBytesToCopyTo bytes of the object from SourceOffset into Buffer
 * (rules T1..T7; read-only memory may be read). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER
 * (0 bytes), STATUS_BUFFER_TOO_SMALL (non-zero offset >= size, or length > size - offset). Never
 * STATUS_INVALID_BUFFER_SIZE. Nothing is written unless SUCCESS.
 * Bug checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x100A: bad handle; P1 0x4: NULL Buffer), 0x50
 * PAGE_FAULT_IN_NONPAGED_AREA (object memory gone), 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION
 * (Buffer shorter than NumBytesToCopyTo).
 */
export function WdfMemoryCopyToBuffer(
  SourceMemory: WDFMEMORY,
  SourceOffset: number | bigint,
  Buffer: ArrayBufferView | null,
  NumBytesToCopyTo: number | bigint,
): number {
  const id = wdfCopyChecks(SourceMemory, 'SourceMemory', SourceOffset, 'SourceOffset', Buffer, NumBytesToCopyTo,
    'NumBytesToCopyTo');
  return copy(copyToFast, native.wdfMemoryCopyToBuffer, id, SourceOffset, Buffer ?? null, NumBytesToCopyTo);
}

/**
 * WdfObjectDelete: deletes a memory object or request and its children (objects whose ParentObject it is,
 * and the memory retrieved from a request); their handles become stale. Given memory retrieved from a
 * request, it deletes that request, as KMDF does (the handle resolves to the request): the request, both
 * of its memories and its children become stale. No status. Bug checks: 0x10D WDF_VIOLATION (P1 0x5,
 * P3 0x1000) for a NULL, deleted or non-WDF handle.
 */
export function WdfObjectDelete(Object: WDFMEMORY | WDFREQUEST): void {
  const id = idOf(Object, 'Object');
  statusOf(native.wdfObjectDelete(id));
  forget(id);
}

/** Parameters of {@link Sim}.createRequest (the IRP the I/O manager would build). */
export interface SimRequestParameters {
  /** IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_DEVICE_CONTROL or IRP_MJ_INTERNAL_DEVICE_CONTROL (else RangeError). */
  MajorFunction: number;
  /** The IOCTL code (see {@link CTL_CODE}); its low two bits are the transfer method. Default 0. */
  IoControlCode?: number;
  /** The input buffer (write data, IOCTL input); aliased, its byteLength at creation is the IRP's length. */
  InputBuffer?: ArrayBufferView | null;
  /** The output buffer (read data, IOCTL output); aliased, its byteLength at creation is the IRP's length. */
  OutputBuffer?: ArrayBufferView | null;
  /**
   * The IRP's RequestorMode: {@link KernelMode} (0) or {@link UserMode} (1, the default); anything else is a
   * RangeError. It decides whether METHOD_NEITHER buffers of an IRP_MJ_DEVICE_CONTROL can be retrieved.
   */
  RequestorMode?: number;
}

const MAJORS = new Set([IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL]);

/** Sim.createRequest (documented on {@link Sim}). @internal */
export function simCreateRequest(p: SimRequestParameters): WDFREQUEST {
  const o = options(p, 'parameters');
  if (!o) throw new TypeError('parameters must be an object');
  const major = ulongNumber(o.MajorFunction, 'MajorFunction');
  if (!MAJORS.has(major)) throw new RangeError(`MajorFunction ${major} is not IRP_MJ_READ, _WRITE, _DEVICE_CONTROL or _INTERNAL_DEVICE_CONTROL`);
  const ioctl = o.IoControlCode === undefined ? 0 : ulongNumber(o.IoControlCode, 'IoControlCode');
  const input = viewOrNull(o.InputBuffer, 'InputBuffer');
  const output = viewOrNull(o.OutputBuffer, 'OutputBuffer');
  const mode = o.RequestorMode === undefined ? UserMode : ulongNumber(o.RequestorMode, 'RequestorMode');
  if (mode !== KernelMode && mode !== UserMode) throw new RangeError(`RequestorMode ${mode} is not KernelMode (0) or UserMode (1)`);
  const [st, id] = native.wdfRequestCreate(major, ioctl, input, output, mode);
  // Sim is the OS, not a DDI: a request it cannot make (the handle table is full) is an exception.
  if (statusOf(st) !== 0) throw new NtStatusError(st >>> 0);
  return handleFor(id, WdfRequestHandle)!;
}

function retrieve(Request: WDFREQUEST, output: boolean): { status: number; memory: WDFMEMORY | null } {
  const [st, id] = native.wdfRequestRetrieveMemory(idOf(Request, 'Request'), output);
  return { status: statusOf(st), memory: handleFor(id, WdfMemoryHandle) };
}

/**
 * WdfRequestRetrieveInputMemory: the memory object of the request's input buffer (the same object on every
 * call; it aliases the buffer and dies with the request). Read-only for IRP_MJ_WRITE and for
 * METHOD_IN_DIRECT / METHOD_OUT_DIRECT IOCTLs. Statuses, in this order: STATUS_INVALID_DEVICE_REQUEST
 * (IRP_MJ_READ), STATUS_BUFFER_TOO_SMALL (no or empty buffer), STATUS_INVALID_DEVICE_REQUEST (a METHOD_NEITHER
 * IRP_MJ_DEVICE_CONTROL from a UserMode requestor), STATUS_SUCCESS; `memory` is null unless SUCCESS. Bug
 * checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x1008) for a NULL, deleted or wrong-kind request.
 */
export function WdfRequestRetrieveInputMemory(Request: WDFREQUEST): { status: number; memory: WDFMEMORY | null } {
  return retrieve(Request, false);
}

/**
 * WdfRequestRetrieveOutputMemory: the memory object of the request's output buffer (the same object on every
 * call; it aliases the buffer and dies with the request). Read-only for METHOD_IN_DIRECT IOCTLs.
 * Statuses, in this order: STATUS_INVALID_DEVICE_REQUEST (IRP_MJ_WRITE), STATUS_BUFFER_TOO_SMALL (no or empty
 * buffer), STATUS_INVALID_DEVICE_REQUEST (a METHOD_NEITHER IRP_MJ_DEVICE_CONTROL from a UserMode requestor),
 * STATUS_SUCCESS; `memory` is null unless SUCCESS. Bug checks: 0x10D WDF_VIOLATION (P1 0x5, P3 0x1008) for a
 * NULL, deleted or wrong-kind request.
 */
export function WdfRequestRetrieveOutputMemory(Request: WDFREQUEST): { status: number; memory: WDFMEMORY | null } {
  return retrieve(Request, true);
}
