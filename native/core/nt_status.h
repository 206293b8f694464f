/* Status, bug check and flag values of SEMANTICS.md section 0.2 (real Windows values). */
#ifndef NT_STATUS_H
#define NT_STATUS_H

#define STATUS_SUCCESS                  0x00000000u
#define STATUS_GUARD_PAGE_VIOLATION     0x80000001u
#define STATUS_DATATYPE_MISALIGNMENT    0x80000002u
#define STATUS_PARTIAL_COPY             0x8000000Du
#define STATUS_UNSUCCESSFUL             0xC0000001u
#define STATUS_ACCESS_VIOLATION         0xC0000005u
#define STATUS_IN_PAGE_ERROR            0xC0000006u
#define STATUS_INVALID_HANDLE           0xC0000008u
#define STATUS_INVALID_PARAMETER        0xC000000Du
#define STATUS_INVALID_DEVICE_REQUEST   0xC0000010u
#define STATUS_NO_MEMORY                0xC0000017u
#define STATUS_ACCESS_DENIED            0xC0000022u
#define STATUS_BUFFER_TOO_SMALL         0xC0000023u
#define STATUS_OBJECT_TYPE_MISMATCH     0xC0000024u
#define STATUS_INTEGER_OVERFLOW         0xC0000095u
#define STATUS_FREE_VM_NOT_AT_BASE      0xC000009Fu
#define STATUS_INSUFFICIENT_RESOURCES   0xC000009Au
#define STATUS_MEMORY_NOT_ALLOCATED     0xC00000A0u
#define STATUS_WORKING_SET_QUOTA        0xC00000A1u
#define STATUS_INVALID_PARAMETER_4      0xC00000F2u
#define STATUS_PROCESS_IS_TERMINATING   0xC000010Au
#define STATUS_INVALID_BUFFER_SIZE      0xC0000206u

#define NDIS_STATUS_SUCCESS             STATUS_SUCCESS
#define NDIS_STATUS_FAILURE             STATUS_UNSUCCESSFUL
#define NDIS_STATUS_INVALID_PARAMETER   STATUS_INVALID_PARAMETER
#define NDIS_STATUS_RESOURCES           STATUS_INSUFFICIENT_RESOURCES
#define NDIS_STATUS_INVALID_LENGTH      0xC0010014u

#define IRQL_NOT_LESS_OR_EQUAL                     0x0Au
#define KMODE_EXCEPTION_NOT_HANDLED                0x1Eu
#define SYSTEM_SERVICE_EXCEPTION                   0x3Bu
#define PAGE_FAULT_IN_NONPAGED_AREA                0x50u
#define SYSTEM_THREAD_EXCEPTION_NOT_HANDLED        0x7Eu
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL              0xD1u
#define DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION 0xD6u
#define CRITICAL_PROCESS_DIED                      0xEFu
#define WDF_VIOLATION                              0x10Du
#define DPC_WATCHDOG_VIOLATION                     0x133u

/* WDF_VIOLATION P1 codes and framework type ids [SRC WDF-BC, fxtypes.h]. */
#define WDF_REQUIRED_PARAMETER_IS_NULL  0x4u
#define WDF_INVALID_HANDLE              0x5u
#define FX_TYPE_OBJECT                  0x1000u
#define FX_TYPE_REQUEST                 0x1008u
#define IFX_TYPE_MEMORY                 0x100Au
#define FX_TYPE_MEMORY_PREALLOCATED     0x1022u

#define IFX_MEMORY_FLAG_READ_ONLY       0x0001u

#define IRP_MJ_READ                     0x03u
#define IRP_MJ_WRITE                    0x04u
#define IRP_MJ_DEVICE_CONTROL           0x0Eu
#define IRP_MJ_INTERNAL_DEVICE_CONTROL  0x0Fu
#define METHOD_BUFFERED                 0u
#define METHOD_IN_DIRECT                1u
#define METHOD_OUT_DIRECT               2u
#define METHOD_NEITHER                  3u
/* KPROCESSOR_MODE: an IRP's RequestorMode (v1.3). */
#define KernelMode                      0u
#define UserMode                        1u

#endif
