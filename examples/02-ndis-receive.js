// Scene: an NDIS filter on the receive path. A frame arrives as a NET_BUFFER_LIST over a chain of
// small MDLs; the filter clones it into buffers segmented differently with
// NdisCopyFromNetBufferToNetBuffer, checks BytesCopied against DataLength, then meets a short copy and
// an NDIS_STATUS_RESOURCES.
'use strict';
const nt = require('..');

const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').replace(/(..)/g, '$1 ').trim();
const name = (s) => nt.statusName(s) || '0x' + s.toString(16);

/** MDLs over consecutive pieces of `bytes`, of the given sizes, linked in order. */
function chain(bytes, sizes) {
  const mdls = [];
  let at = 0;
  for (const n of sizes) {
    mdls.push(nt.NdisAllocateMdl(null, bytes.subarray(at, at + n)));
    at += n;
  }
  mdls.forEach((m, i) => { m.Next = mdls[i + 1] || null; });
  return mdls;
}

function run() {
  const nblPool = nt.NdisAllocateNetBufferListPool(null);
  const nbPool = nt.NdisAllocateNetBufferPool(null);

  // A 42-byte ARP-like frame as the miniport indicates it: 6 + 8 + 0 + 14 + 14 bytes of MDLs.
  const wire = Buffer.from(
    'ffffffffffff' + '02000000aa01' + '0806' + '0001080006040001' + '02000000aa01' + 'c0a80001' +
      '000000000000' + 'c0a80002', 'hex');
  const rx = chain(wire, [6, 8, 0, 14, 14]);
  const nbl = nt.NdisAllocateNetBufferAndNetBufferList(nblPool, 0, 0, rx[0], 0, wire.length);
  const frame = nt.NET_BUFFER_LIST_FIRST_NB(nbl);
  console.log(`received NBL: ${nt.NET_BUFFER_DATA_LENGTH(frame)} bytes over MDLs of ${rx.map((m) => m.ByteCount).join('+')} bytes`);

  // The filter's clone: 16-byte buffers, another segmentation.
  const cloneMem = Buffer.alloc(48);
  const tx = chain(cloneMem, [16, 16, 16]);
  const clone = nt.NdisAllocateNetBuffer(nbPool, tx[0], 0, 0);
  const copied = new Uint32Array(1);
  let st = nt.NdisCopyFromNetBufferToNetBuffer(clone, 0, frame.DataLength, frame, 0, copied);
  console.log(`clone copy: ${name(st)}, BytesCopied ${copied[0]} of DataLength ${frame.DataLength}` +
    (copied[0] === frame.DataLength ? ' -> complete' : ' -> SHORT'));
  clone.DataLength = copied[0]; // NDIS never updates the destination's fields: the caller does
  console.log(`  clone bytes: ${hex(cloneMem.subarray(0, copied[0]))}`);
  console.log(`  MdlFlags of the receive MDLs: ${rx.map((m) => '0x' + m.MdlFlags.toString(16)).join(' ')}` +
    ' (MDL_SOURCE_IS_NONPAGED_POOL: NdisAllocateMdl built them, mapping cannot fail)');

  // A short copy: the header-only buffer has room for 14 bytes; NDIS still says SUCCESS.
  const hdrMem = Buffer.alloc(14);
  const hdrMdl = nt.NdisAllocateMdl(null, hdrMem);
  const hdr = nt.NdisAllocateNetBuffer(nbPool, hdrMdl, 0, 0);
  st = nt.NdisCopyFromNetBufferToNetBuffer(hdr, 0, frame.DataLength, frame, 0, copied);
  console.log(`header copy: ${name(st)}, BytesCopied ${copied[0]} of ${frame.DataLength}` +
    ' -> a SUCCESS that is short: check BytesCopied, not only the status');
  console.log(`  destination MAC ${hex(hdrMem.subarray(0, 6))}, EtherType ${hex(hdrMem.subarray(12, 14))}`);

  // NDIS_STATUS_RESOURCES: an MDL that is not mapped yet and cannot be mapped (IoAllocateMdl, not
  // built for nonpaged pool); the bytes before it stay copied.
  const slowMem = Buffer.alloc(48);
  const s1 = nt.IoAllocateMdl(slowMem.subarray(0, 20));
  const s2 = nt.IoAllocateMdl(slowMem.subarray(20));
  s1.Next = s2;
  nt.Sim.setMdlMappingFails(s2, true);
  const slow = nt.NdisAllocateNetBuffer(nbPool, s1, 0, 0);
  st = nt.NdisCopyFromNetBufferToNetBuffer(slow, 0, frame.DataLength, frame, 0, copied);
  console.log(`copy into an unmappable MDL: ${name(st)} (= NDIS_STATUS_RESOURCES: ${st === nt.NDIS_STATUS_RESOURCES}),` +
    ` BytesCopied ${copied[0]} (the first MDL's bytes stay copied)`);
  console.log(`  MdlFlags: first 0x${s1.MdlFlags.toString(16)} (mapped by the copy), second 0x${s2.MdlFlags.toString(16)}`);

  // The data start moves like a protocol driver's: strip the 14-byte Ethernet header, then put it back.
  nt.NdisAdvanceNetBufferDataStart(frame, 14, false);
  const arp = nt.NdisGetDataBuffer(frame, 8, Buffer.alloc(8), 1, 0);
  console.log(`after Advance(14): DataOffset ${frame.DataOffset}, ARP header ${hex(arp)}`);
  nt.NdisRetreatNetBufferDataStart(frame, 14, 0);
  console.log(`after Retreat(14): DataOffset ${frame.DataOffset}, DataLength ${frame.DataLength}`);

  for (const nb of [clone, hdr, slow]) nt.NdisFreeNetBuffer(nb);
  nt.NdisFreeNetBufferList(nbl);
  for (const m of [...rx, ...tx, hdrMdl, s1, s2]) nt.NdisFreeMdl(m);
  nt.NdisFreeNetBufferPool(nbPool);
  nt.NdisFreeNetBufferListPool(nblPool);
}

module.exports = { run };
if (require.main === module) run();
