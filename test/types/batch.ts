// Compile-time contract of CopyBatch (API.md section 8; run by test/types.test.ts against dist/*.d.ts).
// Every @ts-expect-error line must be a real error: the test also compiles this file without them.
import * as nt from '../..';

declare const memory: nt.WDFMEMORY;
declare const request: nt.WDFREQUEST;
declare const nb: nt.PNET_BUFFER;
declare const mdl: nt.PMDL;
declare const client: nt.PLSA_CLIENT_REQUEST;
const buf = Buffer.alloc(16);

const batch = new nt.CopyBatch(32);
const chained: nt.CopyBatch = batch
  .WdfMemoryCopyFromBuffer(memory, 0, buf, 16)
  .WdfMemoryCopyToBuffer(memory, 0n, new Float64Array(2), 16n)
  .NdisCopyFromNetBufferToNetBuffer(nb, 0, 64, nb, 3)
  .CopyFromClientBuffer(client, 16, buf, 0x10000n)
  .CopyToClientBuffer(client, 16, null, null);
const ran: number = batch.run();
const length: number = batch.length;
const status: Uint32Array = batch.Status;
const copied: Uint32Array = batch.BytesCopied;
batch.clear();
new nt.CopyBatch();

function opIndexOf(e: nt.BugCheckError): number | undefined {
  return e.opIndex;
}

// @ts-expect-error a WDFREQUEST is not a WDFMEMORY
batch.WdfMemoryCopyFromBuffer(request, 0, buf, 16);
// @ts-expect-error a PMDL is not a PNET_BUFFER
batch.NdisCopyFromNetBufferToNetBuffer(mdl, 0, 1, nb, 0);
// @ts-expect-error the batch supplies BytesCopied: no sixth argument
batch.NdisCopyFromNetBufferToNetBuffer(nb, 0, 1, nb, 0, new Uint32Array(1));
// @ts-expect-error a WDFMEMORY is not a PLSA_CLIENT_REQUEST
batch.CopyFromClientBuffer(memory, 16, buf, 0);
// @ts-expect-error an ArrayBuffer is not an ArrayBufferView
batch.CopyToClientBuffer(client, 4, 0, new ArrayBuffer(4));
// @ts-expect-error capacity is a number
new nt.CopyBatch('32');
// @ts-expect-error length is read-only
batch.length = 3;
// @ts-expect-error Status is read-only (the batch owns it)
batch.Status = new Uint32Array(4);
// @ts-expect-error opIndex is read-only
function setOp(e: nt.BugCheckError): void { e.opIndex = 1; }

export { chained, ran, length, status, copied, opIndexOf, setOp };
