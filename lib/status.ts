/** NTSTATUS and NDIS_STATUS values (unsigned 32-bit, as in ntstatus.h / ndis.h). */
export const STATUS_SUCCESS = 0x00000000;
export const STATUS_GUARD_PAGE_VIOLATION = 0x80000001;
export const STATUS_DATATYPE_MISALIGNMENT = 0x80000002;
export const STATUS_PARTIAL_COPY = 0x8000000d;
export const STATUS_UNSUCCESSFUL = 0xc0000001;
export const STATUS_ACCESS_VIOLATION = 0xc0000005;
export const STATUS_IN_PAGE_ERROR = 0xc0000006;
export const STATUS_INVALID_HANDLE = 0xc0000008;
export const STATUS_INVALID_PARAMETER = 0xc000000d;
export const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;
export const STATUS_NO_MEMORY = 0xc0000017;
export const STATUS_ACCESS_DENIED = 0xc0000022;
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024;
export const STATUS_INTEGER_OVERFLOW = 0xc0000095;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;
export const STATUS_FREE_VM_NOT_AT_BASE = 0xc000009f;
export const STATUS_MEMORY_NOT_ALLOCATED = 0xc00000a0;
export const STATUS_WORKING_SET_QUOTA = 0xc00000a1;
export const STATUS_INVALID_PARAMETER_4 = 0xc00000f2;
export const STATUS_PROCESS_IS_TERMINATING = 0xc000010a;
export const STATUS_INVALID_BUFFER_SIZE = 0xc0000206;
export const NDIS_STATUS_SUCCESS = STATUS_SUCCESS;
export const NDIS_STATUS_FAILURE = STATUS_UNSUCCESSFUL;
export const NDIS_STATUS_INVALID_PARAMETER = STATUS_INVALID_PARAMETER;
export const NDIS_STATUS_RESOURCES = STATUS_INSUFFICIENT_RESOURCES;
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

/** Severity bits (ntdef.h): success or informational (0x0/0x4 in the top two bits). */
export function NT_SUCCESS(s: number): boolean { return (s | 0) >= 0; }
/** Severity 1: informational. */
export function NT_INFORMATION(s: number): boolean { return s >>> 30 === 1; }
/** Severity 2: warning (STATUS_PARTIAL_COPY is one: neither success nor error). */
export function NT_WARNING(s: number): boolean { return s >>> 30 === 2; }
/** Severity 3: error. */
export function NT_ERROR(s: number): boolean { return s >>> 30 === 3; }

/** The symbolic name of a status ('STATUS_INVALID_BUFFER_SIZE'), or undefined. */
export function statusName(s: number): string | undefined { return NAMES.get(s >>> 0); }

function hex8(v: number): string { return '0x' + (v >>> 0).toString(16).toUpperCase().padStart(8, '0'); }

/** An NTSTATUS raised as an exception, for callers who prefer them (see NT_CHECK). */
export class NtStatusError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`${statusName(status) ?? 'NTSTATUS'} (${hex8(status)})`);
    this.name = 'NtStatusError';
    this.status = status >>> 0;
  }
}

/** Throws NtStatusError unless NT_SUCCESS(s). */
export function NT_CHECK(s: number): void {
  if (!NT_SUCCESS(s)) throw new NtStatusError(s);
}
