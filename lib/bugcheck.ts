import { native, FAULTED } from './native';

// Bug check codes (bugcodes.h, wdfbugcodes.h).
/**
 * Bug check 0x0A IRQL_NOT_LESS_OR_EQUAL (bugcodes.h): pageable memory touched at too high an IRQL. Not
 * thrown by ntcopy (IRQL is not modelled).
 */
export const IRQL_NOT_LESS_OR_EQUAL = 0x0a;
/**
 * Bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED (bugcodes.h): thrown by the NDIS/MDL routines for a NULL, freed
 * or wrong-kind object (an unhandled access violation: P1 = 0xC0000005).
 */
export const KMODE_EXCEPTION_NOT_HANDLED = 0x1e;
/**
 * Bug check 0x3B SYSTEM_SERVICE_EXCEPTION (bugcodes.h): exception in a system service. Not thrown by ntcopy.
 */
export const SYSTEM_SERVICE_EXCEPTION = 0x3b;
/**
 * Bug check 0x50 PAGE_FAULT_IN_NONPAGED_AREA (bugcodes.h): a copy or address reached bytes of an MDL or
 * memory object whose view was detached, transferred or shrunk (P2 = 0 read, 1 write).
 */
export const PAGE_FAULT_IN_NONPAGED_AREA = 0x50;
/**
 * Bug check 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (bugcodes.h): unhandled exception in a system thread.
 * Not thrown by ntcopy.
 */
export const SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7e;
/**
 * Bug check 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL (bugcodes.h): a driver touched pageable memory at
 * DISPATCH_LEVEL or above. Not thrown by ntcopy (IRQL is not modelled).
 */
export const DRIVER_IRQL_NOT_LESS_OR_EQUAL = 0xd1;
/**
 * Bug check 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION (bugcodes.h): a copy would read or write past
 * the end of a caller's view (P2 = 0 read, 1 write).
 */
export const DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION = 0xd6;
/**
 * Bug check 0xEF CRITICAL_PROCESS_DIED (bugcodes.h): lsass died; thrown by the LSA routines for a NULL,
 * completed or wrong-kind client request (P1 = 0).
 */
export const CRITICAL_PROCESS_DIED = 0xef;
/**
 * Bug check 0x10D WDF_VIOLATION (bugcodes.h; P1 codes in wdfbugcodes.h): thrown by the WDF routines. P1 =
 * 0x5 (WDF_INVALID_HANDLE, P3 = the type expected) for a NULL, deleted or wrong-kind handle; P1 = 0x4
 * (WDF_REQUIRED_PARAMETER_IS_NULL) for a NULL required pointer.
 */
export const WDF_VIOLATION = 0x10d;
/**
 * Bug check 0x133 DPC_WATCHDOG_VIOLATION (bugcodes.h): an MDL chain walk that could never end (a cycle of
 * zero-length MDLs).
 */
export const DPC_WATCHDOG_VIOLATION = 0x133;

const NAMES: Record<number, string> = {
  [IRQL_NOT_LESS_OR_EQUAL]: 'IRQL_NOT_LESS_OR_EQUAL',
  [KMODE_EXCEPTION_NOT_HANDLED]: 'KMODE_EXCEPTION_NOT_HANDLED',
  [SYSTEM_SERVICE_EXCEPTION]: 'SYSTEM_SERVICE_EXCEPTION',
  [PAGE_FAULT_IN_NONPAGED_AREA]: 'PAGE_FAULT_IN_NONPAGED_AREA',
  [SYSTEM_THREAD_EXCEPTION_NOT_HANDLED]: 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
  [DRIVER_IRQL_NOT_LESS_OR_EQUAL]: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL',
  [DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION]: 'DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION',
  [CRITICAL_PROCESS_DIED]: 'CRITICAL_PROCESS_DIED',
  [WDF_VIOLATION]: 'WDF_VIOLATION',
  [DPC_WATCHDOG_VIOLATION]: 'DPC_WATCHDOG_VIOLATION',
};

/**
 * What Windows would have done instead of returning: a bug check (API.md section 1), thrown by the routine
 * instead. Nothing was written; the process and every other object stay usable. The message reads e.g.
 * 'BUGCHECK 0x0000010D WDF_VIOLATION (0x5, 0x0, 0x100A, 0x0)'.
 */
export class BugCheckError extends Error {
  /** Always 'BugCheckError'. */
  override readonly name = 'BugCheckError' as const;
  /** The bug check code, e.g. {@link WDF_VIOLATION} (0x10D). */
  readonly bugCheckCode: number;
  /** Bug check parameters P1..P4 (frozen); their meaning depends on the code (API.md section 1). */
  readonly parameters: readonly [bigint, bigint, bigint, bigint];
  /**
   * Set only when thrown by {@link CopyBatch.run}: the index of the op that bug checked (ops before it took
   * effect, it wrote nothing, later ops did not run).
   */
  declare readonly opIndex?: number;
  /** Builds the error; the message names the code and shows P1..P4 in hex. */
  constructor(code: number, parameters: readonly [bigint, bigint, bigint, bigint]) {
    const p = parameters.map((v) => '0x' + v.toString(16).toUpperCase()).join(', ');
    super(`BUGCHECK 0x${code.toString(16).toUpperCase().padStart(8, '0')} ${NAMES[code] ?? 'UNKNOWN'} (${p})`);
    this.bugCheckCode = code;
    this.parameters = Object.freeze([...parameters]) as unknown as readonly [bigint, bigint, bigint, bigint];
  }
}

/** Turns the core's fault record into BugCheckError. @internal */
export function throwFault(): never {
  const f = native.lastFault() as [number, bigint, bigint, bigint, bigint];
  throw new BugCheckError(f[0], [f[1], f[2], f[3], f[4]]);
}

/** A status a native entry returned: as unsigned 32-bit, or the recorded bug check thrown. @internal */
export function statusOf(r: number): number {
  if (r === FAULTED) throwFault();
  return r >>> 0;
}
