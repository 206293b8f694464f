// Compile-time contract of the WDF handles (run by test/types.test.ts against dist/*.d.ts).
// Every @ts-expect-error line must be a real error: the test also compiles this file without them.
import * as nt from '../..';

declare const memory: nt.WDFMEMORY;
declare const request: nt.WDFREQUEST;
const buf = Buffer.alloc(16);

const s1: number = nt.WdfMemoryCopyFromBuffer(memory, 0, buf, 16);
const s2: number = nt.WdfMemoryCopyToBuffer(memory, 0n, new Float64Array(2), 16n);
const created: { status: number; memory: nt.WDFMEMORY | null; buffer: Buffer | null } = nt.WdfMemoryCreate(null, nt.NonPagedPoolNx, 0, 64);
const retrieved: nt.WDFMEMORY | null = nt.WdfRequestRetrieveOutputMemory(request).memory;
nt.WdfObjectDelete(memory);
nt.WdfObjectDelete(request);
const req2: nt.WDFREQUEST = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: buf });
const req3: nt.WDFREQUEST = nt.Sim.createRequest({
  MajorFunction: nt.IRP_MJ_DEVICE_CONTROL, IoControlCode: nt.CTL_CODE(0x22, 0x800, nt.METHOD_NEITHER, 0),
  InputBuffer: buf, RequestorMode: nt.KernelMode,
});
const params: nt.SimRequestParameters = { MajorFunction: nt.IRP_MJ_READ, RequestorMode: nt.UserMode };
const modes: [number, number] = [nt.KernelMode, nt.UserMode];
nt.WdfMemoryCreate({ ParentObject: request }, nt.PagedPool, 0, 1);

// @ts-expect-error a WDFREQUEST is not a WDFMEMORY
nt.WdfMemoryCopyFromBuffer(request, 0, buf, 16);
// @ts-expect-error a WDFMEMORY is not a WDFREQUEST
nt.WdfRequestRetrieveInputMemory(memory);
// @ts-expect-error a plain object is not a handle
nt.WdfMemoryCopyToBuffer({}, 0, buf, 1);
// @ts-expect-error offsets are numbers or bigints, not strings
nt.WdfMemoryCopyFromBuffer(memory, '0', buf, 16);
// @ts-expect-error an ArrayBuffer is not an ArrayBufferView
nt.WdfMemoryCopyFromBuffer(memory, 0, new ArrayBuffer(4), 4);
// @ts-expect-error the status is a number
const wrong: string = nt.WdfMemoryCopyFromBuffer(memory, 0, buf, 1);
// @ts-expect-error MajorFunction is required
nt.Sim.createRequest({ OutputBuffer: buf });
// @ts-expect-error RequestorMode is a number (KernelMode / UserMode), not a string
nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, RequestorMode: 'KernelMode' });

function handles(e: nt.BugCheckError): bigint {
  const code: number = e.bugCheckCode;
  // @ts-expect-error parameters are read-only
  e.parameters[0] = 1n;
  return e.parameters[3] + BigInt(code);
}

export { s1, s2, created, retrieved, req2, req3, params, modes, wrong, handles };
