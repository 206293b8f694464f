// Scene 1 (WDF): an EvtIoRead handler copies a device buffer into the request's output memory,
// then every way that copy can go wrong, as Windows would report it.
'use strict';
const nt = require('..');

const name = (s) => `${nt.statusName(s)} (0x${s.toString(16).toUpperCase().padStart(8, '0')})`;

function run() {
  // The I/O manager hands the driver a 16-byte read.
  const userBuffer = Buffer.alloc(16);
  const request = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: userBuffer });

  // EvtIoRead: retrieve the output memory, copy the device's bytes into it.
  const { status, memory } = nt.WdfRequestRetrieveOutputMemory(request);
  console.log(`WdfRequestRetrieveOutputMemory -> ${name(status)}`);
  const device = Buffer.from('ntcopy-device-01');
  console.log(`WdfMemoryCopyFromBuffer(out, 0, device, 16) -> ${name(nt.WdfMemoryCopyFromBuffer(memory, 0, device, 16))}`);
  console.log(`  the user's buffer now holds: "${userBuffer.toString()}"`);

  console.log('\nWhat each mistake returns:');
  const cases = [
    ['zero bytes', () => nt.WdfMemoryCopyFromBuffer(memory, 0, device, 0)],
    ['offset == size', () => nt.WdfMemoryCopyFromBuffer(memory, 16, device, 1)],
    ['one byte too many', () => nt.WdfMemoryCopyFromBuffer(memory, 8, device, 9)],
    ['same mistake, reading (CopyToBuffer)', () => nt.WdfMemoryCopyToBuffer(memory, 8, Buffer.alloc(9), 9)],
  ];
  for (const [what, call] of cases) console.log(`  ${what.padEnd(38)} -> ${name(call())}`);

  // A write request's input memory is read-only: writing into it is a returned status.
  const write = nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_WRITE, InputBuffer: Buffer.from('payload') });
  const input = nt.WdfRequestRetrieveInputMemory(write).memory;
  console.log(`  ${'writing into IRP_MJ_WRITE input memory'.padEnd(38)} -> ${name(nt.WdfMemoryCopyFromBuffer(input, 0, device, 4))}`);
  console.log(`  ${'retrieving input of an IRP_MJ_READ'.padEnd(38)} -> ${name(nt.WdfRequestRetrieveInputMemory(request).status)}`);

  // Using the memory after the request was completed and deleted: Windows bug checks.
  nt.WdfObjectDelete(request);
  try {
    nt.WdfMemoryCopyFromBuffer(memory, 0, device, 16);
  } catch (e) {
    if (!(e instanceof nt.BugCheckError)) throw e;
    console.log(`\nCopy into memory of a deleted request: ${e.message}`);
    console.log('  (caught as BugCheckError: nothing was written, and the process goes on)');
  }
  nt.WdfObjectDelete(write);
}

module.exports = { run };
if (require.main === module) run();
