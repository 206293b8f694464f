import { native } from './native';

/** Bug check codes (bugcodes.h, wdfbugcodes.h). */
export const IRQL_NOT_LESS_OR_EQUAL = 0x0a;
export const KMODE_EXCEPTION_NOT_HANDLED = 0x1e;
export const SYSTEM_SERVICE_EXCEPTION = 0x3b;
export const PAGE_FAULT_IN_NONPAGED_AREA = 0x50;
export const SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7e;
export const DRIVER_IRQL_NOT_LESS_OR_EQUAL = 0xd1;
export const DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION = 0xd6;
export const CRITICAL_PROCESS_DIED = 0xef;
export const WDF_VIOLATION = 0x10d;
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

/** What Windows would have done instead of returning: a bug check (API.md section 1). Nothing was written. */
export class BugCheckError extends Error {
  override readonly name = 'BugCheckError' as const;
  readonly bugCheckCode: number;
  readonly parameters: readonly [bigint, bigint, bigint, bigint];
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
