// WDF memory objects and requests (API.md section 3; behaviour: SEMANTICS.md section 1).
import { native, FAULTED, args } from './native';
import { throwFault } from './bugcheck';
import { NtObject, handleFor, idOf, forget } from './handle';
import { sizeT, ulong, ulongNumber, viewOrNull, sizeWithin, options } from './args';

/** A framework memory object (WDFMEMORY). */
export class WdfMemoryHandle extends NtObject {
  private declare readonly brandWdfMemory: never;
}
/** A framework request object (WDFREQUEST). */
export class WdfRequestHandle extends NtObject {
  private declare readonly brandWdfRequest: never;
}
export type WDFMEMORY = WdfMemoryHandle;
export type WDFREQUEST = WdfRequestHandle;

/** WDF_OBJECT_ATTRIBUTES: only ParentObject has an effect (deleting the parent deletes the child). */
export interface WDF_OBJECT_ATTRIBUTES {
  ParentObject?: WDFMEMORY | WDFREQUEST | null;
}

/** POOL_TYPE values. */
export const NonPagedPool = 0;
export const PagedPool = 1;
export const NonPagedPoolNx = 512;

export const IRP_MJ_READ = 0x03;
export const IRP_MJ_WRITE = 0x04;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
export const METHOD_BUFFERED = 0;
export const METHOD_IN_DIRECT = 1;
export const METHOD_OUT_DIRECT = 2;
export const METHOD_NEITHER = 3;

/** CTL_CODE macro (devioctl.h): ((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method). */
export function CTL_CODE(DeviceType: number, Function: number, Method: number, Access: number): number {
  ulong(DeviceType, 'DeviceType');
  ulong(Function, 'Function');
  ulong(Method, 'Method');
  ulong(Access, 'Access');
  return ((DeviceType << 16) | (Access << 14) | (Function << 2) | Method) >>> 0;
}

function status(r: number): number {
  if (r === FAULTED) throwFault();
  return r >>> 0;
}

function parentId(Attributes: unknown): number {
  const a = options(Attributes, 'Attributes');
  return a ? idOf(a.ParentObject, 'Attributes.ParentObject') : 0;
}

/**
 * WdfMemoryCreate: a zero-filled memory object of BufferSize bytes.
 * Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (size 0), STATUS_INSUFFICIENT_RESOURCES.
 * Bug checks: 0x10D for a bad ParentObject.
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
  const s = status(st);
  return { status: s, memory: handleFor(id, WdfMemoryHandle), buffer: buf ?? null };
}

/**
 * WdfMemoryCreatePreallocated: a memory object over the caller's buffer (BufferSize defaults to
 * Buffer.byteLength). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (size 0).
 * Bug checks: 0x10D/0x4 for a NULL Buffer, 0x10D/0x5 for a bad ParentObject.
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
  return { status: status(st), memory: handleFor(id, WdfMemoryHandle) };
}

/**
 * WdfMemoryAssignBuffer: points a preallocated memory object at another buffer.
 * Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (size 0; object unchanged).
 * Bug checks: 0x10D/0x5 (P3 0x1022) unless Memory is preallocated memory; 0x10D/0x4 for a NULL Buffer.
 */
export function WdfMemoryAssignBuffer(Memory: WDFMEMORY, Buffer: ArrayBufferView | null, BufferSize?: number | bigint): number {
  const id = idOf(Memory, 'Memory');
  const buf = viewOrNull(Buffer, 'Buffer');
  const size = sizeWithin(BufferSize, buf, 'BufferSize');
  return status(native.wdfMemoryAssignBuffer(id, buf, size));
}

/**
 * WdfMemoryGetBuffer: a Buffer over the object's `size` bytes (writes through it are the object's).
 * Bug checks: 0x10D for a bad handle; 0x50 if the memory behind the object is gone.
 */
export function WdfMemoryGetBuffer(Memory: WDFMEMORY): Buffer {
  const [st, v, size] = native.wdfMemoryGetBuffer(idOf(Memory, 'Memory'));
  status(st);
  const view = v as ArrayBufferView;
  if (globalThis.Buffer.isBuffer(view) && view.byteLength === size) return view;
  return globalThis.Buffer.from(view.buffer, view.byteOffset, size);
}

const copyFromFast: (buf: ArrayBufferView | null) => number = native.wdfMemoryCopyFromBufferFast;
const copyToFast: (buf: ArrayBufferView | null) => number = native.wdfMemoryCopyToBufferFast;

/**
 * WdfMemoryCopyFromBuffer: copies NumBytesToCopyFrom bytes from Buffer into the object at
 * DestinationOffset (rules W1..W8). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (0 bytes),
 * STATUS_ACCESS_VIOLATION (read-only memory), STATUS_INVALID_BUFFER_SIZE (offset or length too large).
 * Bug checks: 0x10D (bad handle, NULL Buffer), 0x50 (object memory gone), 0xD6 (Buffer too short).
 */
export function WdfMemoryCopyFromBuffer(
  DestinationMemory: WDFMEMORY,
  DestinationOffset: number | bigint,
  Buffer: ArrayBufferView | null,
  NumBytesToCopyFrom: number | bigint,
): number {
  const id = idOf(DestinationMemory, 'DestinationMemory');
  sizeT(DestinationOffset, 'DestinationOffset');
  const buf = viewOrNull(Buffer, 'Buffer');
  sizeT(NumBytesToCopyFrom, 'NumBytesToCopyFrom');
  let r: number;
  if (typeof DestinationOffset === 'number' && typeof NumBytesToCopyFrom === 'number') {
    args[0] = id; // numbers: through the argument block
    args[1] = DestinationOffset;
    args[2] = NumBytesToCopyFrom;
    r = copyFromFast(buf);
  } else {
    r = native.wdfMemoryCopyFromBuffer(id, DestinationOffset, buf, NumBytesToCopyFrom);
  }
  if (r === FAULTED) throwFault();
  return r >>> 0;
}

/**
 * WdfMemoryCopyToBuffer: copies NumBytesToCopyTo bytes of the object from SourceOffset into Buffer
 * (rules T1..T7). Statuses: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (0 bytes),
 * STATUS_BUFFER_TOO_SMALL (offset or length too large). Bug checks: 0x10D, 0x50, 0xD6.
 */
export function WdfMemoryCopyToBuffer(
  SourceMemory: WDFMEMORY,
  SourceOffset: number | bigint,
  Buffer: ArrayBufferView | null,
  NumBytesToCopyTo: number | bigint,
): number {
  const id = idOf(SourceMemory, 'SourceMemory');
  sizeT(SourceOffset, 'SourceOffset');
  const buf = viewOrNull(Buffer, 'Buffer');
  sizeT(NumBytesToCopyTo, 'NumBytesToCopyTo');
  let r: number;
  if (typeof SourceOffset === 'number' && typeof NumBytesToCopyTo === 'number') {
    args[0] = id;
    args[1] = SourceOffset;
    args[2] = NumBytesToCopyTo;
    r = copyToFast(buf);
  } else {
    r = native.wdfMemoryCopyToBuffer(id, SourceOffset, buf, NumBytesToCopyTo);
  }
  if (r === FAULTED) throwFault();
  return r >>> 0;
}

/**
 * WdfObjectDelete: deletes a memory object or request and its children. Memory retrieved from a
 * request is not deleted (it lives until its request is). Bug checks: 0x10D (P3 0x1000) for a bad handle.
 */
export function WdfObjectDelete(Object: WDFMEMORY | WDFREQUEST): void {
  const id = idOf(Object, 'Object');
  status(native.wdfObjectDelete(id));
  forget(id);
}

/** Parameters of Sim.createRequest. */
export interface SimRequestParameters {
  MajorFunction: number;
  IoControlCode?: number;
  InputBuffer?: ArrayBufferView | null;
  OutputBuffer?: ArrayBufferView | null;
}

const MAJORS = new Set([IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL]);

/** Sim.createRequest: a request as the I/O manager would deliver it; its buffers alias the views given. */
export function simCreateRequest(p: SimRequestParameters): WDFREQUEST {
  const o = options(p, 'parameters');
  if (!o) throw new TypeError('parameters must be an object');
  const major = ulongNumber(o.MajorFunction, 'MajorFunction');
  if (!MAJORS.has(major)) throw new RangeError(`MajorFunction ${major} is not IRP_MJ_READ, _WRITE, _DEVICE_CONTROL or _INTERNAL_DEVICE_CONTROL`);
  const ioctl = o.IoControlCode === undefined ? 0 : ulongNumber(o.IoControlCode, 'IoControlCode');
  const input = viewOrNull(o.InputBuffer, 'InputBuffer');
  const output = viewOrNull(o.OutputBuffer, 'OutputBuffer');
  const [st, id] = native.wdfRequestCreate(major, ioctl, input, output);
  status(st);
  return handleFor(id, WdfRequestHandle)!;
}

function retrieve(Request: WDFREQUEST, output: boolean): { status: number; memory: WDFMEMORY | null } {
  const [st, id] = native.wdfRequestRetrieveMemory(idOf(Request, 'Request'), output);
  return { status: status(st), memory: handleFor(id, WdfMemoryHandle) };
}

/**
 * WdfRequestRetrieveInputMemory. Statuses: STATUS_SUCCESS, STATUS_INVALID_DEVICE_REQUEST (IRP_MJ_READ,
 * METHOD_NEITHER), STATUS_BUFFER_TOO_SMALL (no or empty buffer). Bug checks: 0x10D (P3 0x1008).
 */
export function WdfRequestRetrieveInputMemory(Request: WDFREQUEST): { status: number; memory: WDFMEMORY | null } {
  return retrieve(Request, false);
}

/**
 * WdfRequestRetrieveOutputMemory. Statuses: STATUS_SUCCESS, STATUS_INVALID_DEVICE_REQUEST (IRP_MJ_WRITE,
 * METHOD_NEITHER), STATUS_BUFFER_TOO_SMALL (no or empty buffer). Bug checks: 0x10D (P3 0x1008).
 */
export function WdfRequestRetrieveOutputMemory(Request: WDFREQUEST): { status: number; memory: WDFMEMORY | null } {
  return retrieve(Request, true);
}
