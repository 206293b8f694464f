// NTSTATUS and NDIS_STATUS values (unsigned 32-bit, as in ntstatus.h / ndis.h).
/** 0x00000000 (ntstatus.h): the routine succeeded. */
export const STATUS_SUCCESS = 0x00000000;
/** 0x80000001 (ntstatus.h), warning: a guard page was touched. Not returned by ntcopy. */
export const STATUS_GUARD_PAGE_VIOLATION = 0x80000001;
/** 0x80000002 (ntstatus.h), warning: misaligned data. Not returned by ntcopy. */
export const STATUS_DATATYPE_MISALIGNMENT = 0x80000002;
/**
 * 0x8000000D (ntstatus.h), warning (neither NT_SUCCESS nor NT_ERROR): only part of an LSA client copy could
 * be done (unreadable client page, or a local source shorter than Length).
 */
export const STATUS_PARTIAL_COPY = 0x8000000d;
/** 0xC0000001 (ntstatus.h): generic failure. Not returned by ntcopy. */
export const STATUS_UNSUCCESSFUL = 0xc0000001;
/**
 * 0xC0000005 (ntstatus.h): WdfMemoryCopyFromBuffer into read-only request memory; LSA client range outside
 * user space, local buffer too small, or client pages not writable.
 */
export const STATUS_ACCESS_VIOLATION = 0xc0000005;
/** 0xC0000006 (ntstatus.h): a page could not be read in. Not returned by ntcopy. */
export const STATUS_IN_PAGE_ERROR = 0xc0000006;
/** 0xC0000008 (ntstatus.h): the LSA client process handle was closed (LsaClientRequest.closeHandle). */
export const STATUS_INVALID_HANDLE = 0xc0000008;
/** 0xC000000D (ntstatus.h): a WDF routine was given a zero size or byte count. */
export const STATUS_INVALID_PARAMETER = 0xc000000d;
/**
 * 0xC0000010 (ntstatus.h): a WDF request has no buffer in the direction asked for (or is a METHOD_NEITHER
 * IRP_MJ_DEVICE_CONTROL from a user-mode requestor).
 */
export const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;
/** 0xC0000017 (ntstatus.h): AllocateClientBuffer found no room below the client's HighestUserAddress. */
export const STATUS_NO_MEMORY = 0xc0000017;
/**
 * 0xC0000022 (ntstatus.h): the LSA client process handle lacks the right the call needs
 * (LsaClientRequest.setAccess).
 */
export const STATUS_ACCESS_DENIED = 0xc0000022;
/**
 * 0xC0000023 (ntstatus.h): WdfMemoryCopyToBuffer offset or length past the object; a WDF request buffer
 * missing or empty.
 */
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
/**
 * 0xC0000024 (ntstatus.h): handle of the wrong object type. Not returned by ntcopy (unreachable in its LSA
 * model).
 */
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024;
/** 0xC0000095 (ntstatus.h): arithmetic overflow. Not returned by ntcopy. */
export const STATUS_INTEGER_OVERFLOW = 0xc0000095;
/** 0xC000009A (ntstatus.h): an allocation or a (simulated) mapping failed. Equals NDIS_STATUS_RESOURCES. */
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;
/** 0xC000009F (ntstatus.h): FreeClientBuffer address is in an allocation but past its first page. */
export const STATUS_FREE_VM_NOT_AT_BASE = 0xc000009f;
/** 0xC00000A0 (ntstatus.h): FreeClientBuffer address is in no allocation. */
export const STATUS_MEMORY_NOT_ALLOCATED = 0xc00000a0;
/** 0xC00000A1 (ntstatus.h): working set too small to lock pages. Not returned by ntcopy. */
export const STATUS_WORKING_SET_QUOTA = 0xc00000a1;
/** 0xC00000F2 (ntstatus.h): AllocateClientBuffer with LengthRequired 0. */
export const STATUS_INVALID_PARAMETER_4 = 0xc00000f2;
/** 0xC000010A (ntstatus.h): the LSA client process is running down (LsaClientRequest.terminate). */
export const STATUS_PROCESS_IS_TERMINATING = 0xc000010a;
/** 0xC0000206 (ntstatus.h): WdfMemoryCopyFromBuffer offset or length past the object. */
export const STATUS_INVALID_BUFFER_SIZE = 0xc0000206;
/** NDIS_STATUS_SUCCESS (ndis.h) = STATUS_SUCCESS. */
export const NDIS_STATUS_SUCCESS = STATUS_SUCCESS;
/** NDIS_STATUS_FAILURE (ndis.h) = STATUS_UNSUCCESSFUL. Not returned by ntcopy. */
export const NDIS_STATUS_FAILURE = STATUS_UNSUCCESSFUL;
/**
 * NDIS_STATUS_INVALID_PARAMETER (ndis.h) = STATUS_INVALID_PARAMETER. Not returned by ntcopy's NDIS routines.
 */
export const NDIS_STATUS_INVALID_PARAMETER = STATUS_INVALID_PARAMETER;
/**
 * NDIS_STATUS_RESOURCES (ndis.h) = STATUS_INSUFFICIENT_RESOURCES: an MDL could not be mapped, or the MDL a
 * Retreat needs could not be obtained.
 */
export const NDIS_STATUS_RESOURCES = STATUS_INSUFFICIENT_RESOURCES;
/**
 * 0xC0010014 NDIS_STATUS_INVALID_LENGTH (ndis.h). Not returned by ntcopy (NdisCopyFromNetBufferToNetBuffer
 * does not document it).
 */
export const NDIS_STATUS_INVALID_LENGTH = 0xc0010014;

// STATUS_ names win where an NDIS_STATUS_ value is equal (API.md section 7, Names).
const NAMES = new Map<number, string>();
const ALL: Record<string, number> = {
  STATUS_SUCCESS, STATUS_GUARD_PAGE_VIOLATION, STATUS_DATATYPE_MISALIGNMENT, STATUS_PARTIAL_COPY,
  STATUS_UNSUCCESSFUL, STATUS_ACCESS_VIOLATION, STATUS_IN_PAGE_ERROR, STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST, STATUS_NO_MEMORY, STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL, STATUS_OBJECT_TYPE_MISMATCH, STATUS_INTEGER_OVERFLOW, STATUS_INSUFFICIENT_RESOURCES,
  STATUS_FREE_VM_NOT_AT_BASE, STATUS_MEMORY_NOT_ALLOCATED, STATUS_WORKING_SET_QUOTA, STATUS_INVALID_PARAMETER_4,
  STATUS_PROCESS_IS_TERMINATING, STATUS_INVALID_BUFFER_SIZE, NDIS_STATUS_INVALID_LENGTH,
};
for (const [name, value] of Object.entries(ALL)) NAMES.set(value, name);

/** NT_SUCCESS (ntdef.h): true for success and informational statuses (severity 0 or 1, `(NTSTATUS)s >= 0`). */
export function NT_SUCCESS(s: number): boolean { return (s | 0) >= 0; }
/** NT_INFORMATION (ntdef.h): true for severity 1, informational. */
export function NT_INFORMATION(s: number): boolean { return s >>> 30 === 1; }
/** NT_WARNING (ntdef.h): true for severity 2, warning (STATUS_PARTIAL_COPY is one: neither success nor error). */
export function NT_WARNING(s: number): boolean { return s >>> 30 === 2; }
/** NT_ERROR (ntdef.h): true for severity 3, error. */
export function NT_ERROR(s: number): boolean { return s >>> 30 === 3; }

/**
 * The symbolic name of a status exported here ('STATUS_INVALID_BUFFER_SIZE'), or undefined. Where an NDIS_STATUS_
 * value equals a STATUS_ one, the STATUS_ name is given (0xC000009A is 'STATUS_INSUFFICIENT_RESOURCES').
 */
export function statusName(s: number): string | undefined { return NAMES.get(s >>> 0); }

function hex8(v: number): string { return '0x' + (v >>> 0).toString(16).toUpperCase().padStart(8, '0'); }

/** An NTSTATUS raised as an exception, for callers who prefer them (see {@link NT_CHECK}). */
export class NtStatusError extends Error {
  /** The status, unsigned 32-bit. */
  readonly status: number;
  /** @param status the NTSTATUS; the message is its name (if known) and hex value. */
  constructor(status: number) {
    super(`${statusName(status) ?? 'NTSTATUS'} (${hex8(status)})`);
    this.name = 'NtStatusError';
    this.status = status >>> 0;
  }
}

/** Throws {@link NtStatusError} unless NT_SUCCESS(s) (so STATUS_PARTIAL_COPY throws). */
export function NT_CHECK(s: number): void {
  if (!NT_SUCCESS(s)) throw new NtStatusError(s);
}
