// Public surface of ntcopy (API.md). Exports only.
// Named, not `export *`: Node's ESM loader finds CommonJS named exports by reading this file (see the end).
export {
  STATUS_SUCCESS, STATUS_GUARD_PAGE_VIOLATION, STATUS_DATATYPE_MISALIGNMENT, STATUS_PARTIAL_COPY,
  STATUS_UNSUCCESSFUL, STATUS_ACCESS_VIOLATION, STATUS_IN_PAGE_ERROR, STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST, STATUS_NO_MEMORY, STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL, STATUS_OBJECT_TYPE_MISMATCH, STATUS_INTEGER_OVERFLOW,
  STATUS_INSUFFICIENT_RESOURCES, STATUS_FREE_VM_NOT_AT_BASE, STATUS_MEMORY_NOT_ALLOCATED,
  STATUS_WORKING_SET_QUOTA, STATUS_INVALID_PARAMETER_4, STATUS_PROCESS_IS_TERMINATING,
  STATUS_INVALID_BUFFER_SIZE, NDIS_STATUS_SUCCESS, NDIS_STATUS_FAILURE, NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_RESOURCES, NDIS_STATUS_INVALID_LENGTH, NT_SUCCESS, NT_INFORMATION, NT_WARNING, NT_ERROR,
  statusName, NtStatusError, NT_CHECK,
} from './status';
export {
  BugCheckError,
  IRQL_NOT_LESS_OR_EQUAL, KMODE_EXCEPTION_NOT_HANDLED, SYSTEM_SERVICE_EXCEPTION, PAGE_FAULT_IN_NONPAGED_AREA,
  SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, DRIVER_IRQL_NOT_LESS_OR_EQUAL, DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
  CRITICAL_PROCESS_DIED, WDF_VIOLATION, DPC_WATCHDOG_VIOLATION,
} from './bugcheck';
export type { NtObject } from './handle';
export {
  NonPagedPool, PagedPool, NonPagedPoolNx,
  IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL,
  METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT, METHOD_NEITHER, KernelMode, UserMode, CTL_CODE,
  WdfMemoryCreate, WdfMemoryCreatePreallocated, WdfMemoryAssignBuffer, WdfMemoryGetBuffer,
  WdfMemoryCopyFromBuffer, WdfMemoryCopyToBuffer, WdfObjectDelete,
  WdfRequestRetrieveInputMemory, WdfRequestRetrieveOutputMemory,
} from './wdf';
export type { WDFMEMORY, WDFREQUEST, WDF_OBJECT_ATTRIBUTES, SimRequestParameters } from './wdf';
export { Sim } from './sim';
// NDIS family (API.md section 4); explicit names so ndisSim stays internal
export {
  MDL_MAPPED_TO_SYSTEM_VA, MDL_PAGES_LOCKED, MDL_SOURCE_IS_NONPAGED_POOL, MDL_ALLOCATED_FIXED_SIZE, MDL_PARTIAL,
  MDL_PARTIAL_HAS_BEEN_MAPPED, MDL_IO_PAGE_READ, MDL_WRITE_OPERATION, MDL_PARENT_MAPPED_SYSTEM_VA,
  MDL_LOCKED_PAGE_TABLES, MDL_FREE_EXTRA_PTES, MDL_DESCRIBES_AWE, MDL_IO_SPACE, MDL_NETWORK_HEADER,
  MDL_MAPPING_CAN_FAIL, MDL_ALLOCATED_MUST_SUCCEED, MDL_PAGE_CONTENTS_INVARIANT, MDL_INTERNAL,
  LowPagePriority, NormalPagePriority, HighPagePriority,
  IoAllocateMdl, NdisAllocateMdl, MmBuildMdlForNonPagedPool, IoFreeMdl, NdisFreeMdl, MmGetMdlByteCount,
  MmGetMdlVirtualAddress, MmGetSystemAddressForMdlSafe,
  NdisAllocateNetBufferPool, NdisFreeNetBufferPool, NdisAllocateNetBufferListPool, NdisFreeNetBufferListPool,
  NdisAllocateNetBuffer, NdisFreeNetBuffer,
  NET_BUFFER_NEXT_NB, NET_BUFFER_FIRST_MDL, NET_BUFFER_DATA_LENGTH, NET_BUFFER_DATA_OFFSET,
  NET_BUFFER_CURRENT_MDL, NET_BUFFER_CURRENT_MDL_OFFSET,
  NdisAllocateNetBufferList, NdisAllocateNetBufferAndNetBufferList, NdisFreeNetBufferList,
  NET_BUFFER_LIST_FIRST_NB, NET_BUFFER_LIST_NEXT_NBL,
  NdisCopyFromNetBufferToNetBuffer, NdisAdvanceNetBufferDataStart, NdisRetreatNetBufferDataStart,
  NdisGetDataBuffer,
} from './ndis';
export type {
  PMDL, PNET_BUFFER, PNET_BUFFER_LIST, NDIS_HANDLE, MdlHandle, NetBufferHandle, NetBufferListHandle, NdisHandleObject,
} from './ndis';
// LSA family (API.md section 5)
export {
  PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE, PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY, PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE,
  LsaFunctions,
} from './lsa';
export type { PLSA_CLIENT_REQUEST, LsaClientRequest, ClientRequestOptions, LSA_SECPKG_FUNCTION_TABLE } from './lsa';
// Batches (API.md section 8)
export { CopyBatch } from './batch';

// Every `nt.X(...)` (and TypeScript's compiled `(0, ntcopy_1.X)(...)`) loads X from this module object.
// The getters TypeScript emits for re-exports put it in V8's dictionary mode, which cost ~12 ns per
// call here, more than a 16-byte copy: replace it by an object of plain data properties, which V8
// keeps in fast mode. Same names and values; ESM named imports read them from it too. Writable and
// configurable as TypeScript's were, so jest.spyOn, sinon and jest.replaceProperty still work.
function dataProperties(m: Record<string, unknown>): Record<string, unknown> {
  const o = {};
  Object.defineProperty(o, '__esModule', { value: true });
  for (const k of Object.keys(m)) {
    Object.defineProperty(o, k, { value: m[k], enumerable: true, writable: true, configurable: true });
  }
  return o as Record<string, unknown>;
}
module.exports = dataProperties(exports);
