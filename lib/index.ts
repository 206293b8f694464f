// Public surface of ntcopy (API.md). Exports only.
export * from './status';
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
  METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT, METHOD_NEITHER, CTL_CODE,
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
