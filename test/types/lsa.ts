// Compile-time contract of the LSA handles and signatures (run by test/types.test.ts against
// dist/*.d.ts): WDF and LSA handles do not mix, and CopyToClientBuffer's argument order is typed.
import * as nt from '../..';
declare const req: nt.PLSA_CLIENT_REQUEST;
declare const mem: nt.WDFMEMORY;
const buf = new Uint8Array(16);
// correct uses compile
const s1: number = nt.LsaFunctions.CopyFromClientBuffer(req, 16, buf, 0x10000n);
const s2: number = nt.LsaFunctions.CopyToClientBuffer(req, 16, 0x10000, null);
const a: { status: number; ClientBaseAddress: bigint | null } = nt.LsaFunctions.AllocateClientBuffer(req, 16);
const s3: number = nt.LsaFunctions.FreeClientBuffer(req, null);
const r: nt.PLSA_CLIENT_REQUEST = nt.Sim.createClientRequest({ HighestUserAddress: 0x7ffeffffn });
r.map(0x10000, buf, nt.PAGE_READWRITE);
const b: Buffer = r.peek(0x10000, 4);
// @ts-expect-error a WDFMEMORY is not a PLSA_CLIENT_REQUEST
nt.LsaFunctions.CopyFromClientBuffer(mem, 16, buf, 0x10000);
// @ts-expect-error a PLSA_CLIENT_REQUEST is not a WDFMEMORY
nt.WdfMemoryCopyFromBuffer(req, 0, buf, 16);
// @ts-expect-error nor can it be deleted as a WDF object
nt.WdfObjectDelete(req);
// @ts-expect-error CopyToClientBuffer takes the client address third (argument-order trap)
nt.LsaFunctions.CopyToClientBuffer(req, 16, buf, 0x10000);
// @ts-expect-error the returned address is a bigint | null, not a number
const n: number = nt.LsaFunctions.AllocateClientBuffer(req, 1).ClientBaseAddress;
// @ts-expect-error lsaSim stays internal
nt.lsaSim;
export { s1, s2, a, s3, b, n };
