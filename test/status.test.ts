import * as nt from '../lib';

describe('status helpers (API.md section 2)', () => {
  test('values are the unsigned ntstatus.h values', () => {
    expect(nt.STATUS_PARTIAL_COPY).toBe(0x8000000d);
    expect(nt.STATUS_INVALID_BUFFER_SIZE).toBe(3221225990);
    expect(nt.NDIS_STATUS_RESOURCES).toBe(nt.STATUS_INSUFFICIENT_RESOURCES);
    expect(nt.STATUS_FREE_VM_NOT_AT_BASE).toBe(0xc000009f);
    expect(nt.STATUS_MEMORY_NOT_ALLOCATED).toBe(0xc00000a0);
  });
  test('severity: PARTIAL_COPY is a warning, neither success nor error', () => {
    expect(nt.NT_SUCCESS(nt.STATUS_PARTIAL_COPY)).toBe(false);
    expect(nt.NT_ERROR(nt.STATUS_PARTIAL_COPY)).toBe(false);
    expect(nt.NT_WARNING(nt.STATUS_PARTIAL_COPY)).toBe(true);
    expect(nt.NT_SUCCESS(nt.STATUS_SUCCESS)).toBe(true);
    expect(nt.NT_SUCCESS(0x40000000)).toBe(true);
    expect(nt.NT_INFORMATION(0x40000000)).toBe(true);
    expect(nt.NT_ERROR(nt.STATUS_ACCESS_VIOLATION)).toBe(true);
    expect(nt.NT_INFORMATION(nt.STATUS_SUCCESS)).toBe(false);
  });
  test('statusName prefers STATUS_ names over equal NDIS_STATUS_ ones', () => {
    expect(nt.statusName(0xc000009a)).toBe('STATUS_INSUFFICIENT_RESOURCES');
    expect(nt.statusName(0xc0000001)).toBe('STATUS_UNSUCCESSFUL');
    expect(nt.statusName(0xc0010014)).toBe('NDIS_STATUS_INVALID_LENGTH');
    expect(nt.statusName(-1073741306)).toBe('STATUS_INVALID_BUFFER_SIZE'); // int32 spelling
    expect(nt.statusName(0x12345678)).toBeUndefined();
  });
  test('NT_CHECK throws NtStatusError unless NT_SUCCESS', () => {
    expect(() => nt.NT_CHECK(nt.STATUS_SUCCESS)).not.toThrow();
    let err: unknown;
    try { nt.NT_CHECK(nt.STATUS_PARTIAL_COPY); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(nt.NtStatusError);
    expect((err as nt.NtStatusError).status).toBe(0x8000000d);
    expect((err as Error).message).toContain('STATUS_PARTIAL_COPY');
  });
  test('bug check codes', () => {
    expect([nt.IRQL_NOT_LESS_OR_EQUAL, nt.KMODE_EXCEPTION_NOT_HANDLED, nt.PAGE_FAULT_IN_NONPAGED_AREA,
      nt.DRIVER_IRQL_NOT_LESS_OR_EQUAL, nt.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, nt.CRITICAL_PROCESS_DIED,
      nt.WDF_VIOLATION, nt.DPC_WATCHDOG_VIOLATION]).toEqual([0x0a, 0x1e, 0x50, 0xd1, 0xd6, 0xef, 0x10d, 0x133]);
  });
});
