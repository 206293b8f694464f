// Compile-time contract of the NDIS handles (run by test/types.test.ts against dist/*.d.ts): every
// expect-error directive below must mark a compile error (API.md 0: one handle kind for another).
import * as nt from '../..';

declare const mdl: nt.PMDL;
declare const nb: nt.PNET_BUFFER;
declare const nbl: nt.PNET_BUFFER_LIST;
declare const pool: nt.NDIS_HANDLE;
declare const mem: nt.WDFMEMORY;
const bc = new Uint32Array(1);

// the right kinds compile
nt.NdisCopyFromNetBufferToNetBuffer(nb, 0, 1, nb, 0, bc);
nt.IoFreeMdl(mdl);
nb.CurrentMdl = mdl;
nbl.FirstNetBuffer = nb;
const n: nt.PNET_BUFFER | null = nt.NdisAllocateNetBuffer(pool, mdl, 0, 0);
void n;

// @ts-expect-error an MDL is not a NET_BUFFER
nt.NdisCopyFromNetBufferToNetBuffer(mdl, 0, 1, nb, 0, bc);
// @ts-expect-error a NET_BUFFER_LIST is not a NET_BUFFER
nt.NdisCopyFromNetBufferToNetBuffer(nb, 0, 1, nbl, 0, bc);
// @ts-expect-error a NET_BUFFER is not an MDL
nt.IoFreeMdl(nb);
// @ts-expect-error a WDFMEMORY is not an MDL
nt.MmGetMdlByteCount(mem);
// @ts-expect-error an MDL is not a pool handle
nt.NdisAllocateNetBuffer(mdl, null, 0, 0);
// @ts-expect-error a NET_BUFFER is not an MDL field value
mdl.Next = nb;
// @ts-expect-error a pool is not a NET_BUFFER
nbl.FirstNetBuffer = pool;
// @ts-expect-error MdlFlags is read-only
mdl.MdlFlags = 1;
// @ts-expect-error BytesCopied is a Uint32Array
nt.NdisCopyFromNetBufferToNetBuffer(nb, 0, 1, nb, 0, new Uint8Array(4));
// @ts-expect-error ndisSim stays internal: not exported
void nt.ndisSim;
