// Scene 3: an LSA authentication package serving LsaLogonUser.
// The client submits a buffer whose UNICODE_STRINGs point into the client's own address space; the
// package fetches them with CopyFromClientBuffer, answers with AllocateClientBuffer +
// CopyToClientBuffer, and a second client with a dangling pointer gets STATUS_PARTIAL_COPY.
'use strict';
const nt = require('..');

const { CopyFromClientBuffer, CopyToClientBuffer, AllocateClientBuffer, FreeClientBuffer } = nt.LsaFunctions;
const hex = (v) => '0x' + BigInt(v).toString(16).toUpperCase();
const name = (s) => `${nt.statusName(s)} (${hex(s)})`;
const say = (call, rest) => console.log(`  ${call.padEnd(58)} -> ${rest}`);

// x64 layouts: UNICODE_STRING { USHORT Length; USHORT MaximumLength; PWSTR Buffer @8 } = 16 bytes;
// DEMO_LOGON { ULONG MessageType; UNICODE_STRING UserName @8; UNICODE_STRING Password @24 } = 40 bytes.
function unicodeString(buf, off, text, address) {
  buf.writeUInt16LE(text.length * 2, off);
  buf.writeUInt16LE(text.length * 2, off + 2);
  buf.writeBigUInt64LE(BigInt(address), off + 8);
}

// The client process: it lays out its strings and the logon structure in its own memory.
function makeClient(userPtr, passPtr) {
  const client = nt.Sim.createClientRequest();
  client.map(0x7ff600000000n, Buffer.from('alice\0', 'utf16le'), nt.PAGE_READWRITE);
  client.map(0x7ff600010000n, Buffer.from('correct horse\0', 'utf16le'), nt.PAGE_READONLY);
  const submit = Buffer.alloc(40);
  submit.writeUInt32LE(2, 0); // MessageType: interactive logon
  unicodeString(submit, 8, 'alice', userPtr);
  unicodeString(submit, 24, 'correct horse', passPtr);
  client.map(0x7ff600020000n, submit, nt.PAGE_READWRITE);
  return client;
}

// The authentication package's LsaApLogonUser, reduced to the buffer traffic.
function logonUser(client, submitAddress) {
  const hdr = Buffer.alloc(40);
  let st = CopyFromClientBuffer(client, hdr.length, hdr, submitAddress);
  say('CopyFromClientBuffer(submit buffer, 40 bytes)', name(st));
  if (!nt.NT_SUCCESS(st)) return st;
  const strings = {};
  for (const [field, off] of [['UserName', 8], ['Password', 24]]) {
    const len = hdr.readUInt16LE(off);
    const ptr = hdr.readBigUInt64LE(off + 8); // a client address: it must be fetched, not dereferenced
    const text = Buffer.alloc(len);
    st = CopyFromClientBuffer(client, len, text, ptr);
    say(`CopyFromClientBuffer(${field} @ ${hex(ptr)}, ${len} bytes)`, name(st));
    // STATUS_PARTIAL_COPY is a warning: NT_ERROR() is false for it, so test NT_SUCCESS
    if (!nt.NT_SUCCESS(st)) return st;
    strings[field] = text.toString('utf16le');
  }
  console.log(`  package sees UserName="${strings.UserName}", Password=${'*'.repeat(strings.Password.length)}`);

  // The profile buffer goes back into the client's address space.
  const profile = Buffer.from(`PROFILE user=${strings.UserName} logonCount=42\0`, 'latin1');
  const a = AllocateClientBuffer(client, profile.length);
  say(`AllocateClientBuffer(${profile.length})`, `${name(a.status)}, ClientBaseAddress ${hex(a.ClientBaseAddress ?? 0)}`);
  if (!nt.NT_SUCCESS(a.status)) return a.status;
  st = CopyToClientBuffer(client, profile.length, a.ClientBaseAddress, profile);
  say('CopyToClientBuffer(profile)', name(st));
  if (!nt.NT_SUCCESS(st)) {
    FreeClientBuffer(client, a.ClientBaseAddress);
    return st;
  }
  console.log(`  client reads its profile: "${client.peek(a.ClientBaseAddress, profile.length - 1).toString('latin1')}"`);
  return st;
}

function run() {
  console.log('Client 1: a well-formed logon request');
  const c1 = makeClient(0x7ff600000000n, 0x7ff600010000n);
  const st1 = logonUser(c1, 0x7ff600020000n);
  console.log(`  LsaApLogonUser -> ${name(st1)}`);
  c1.complete();
  try {
    CopyFromClientBuffer(c1, 4, Buffer.alloc(4), 0x7ff600020000n);
  } catch (e) {
    console.log(`  using the request after it completed: ${e.name}: ${e.message}`);
  }

  console.log('\nClient 2: the Password pointer is dangling (its page was never mapped)');
  const c2 = makeClient(0x7ff600000000n, 0x7ff600030000n);
  const st2 = logonUser(c2, 0x7ff600020000n);
  console.log(`  LsaApLogonUser -> ${name(st2)}  NT_SUCCESS=${nt.NT_SUCCESS(st2)} NT_ERROR=${nt.NT_ERROR(st2)}`);

  console.log('\nClient 3: the submit buffer address is a kernel address');
  const c3 = makeClient(0x7ff600000000n, 0x7ff600010000n);
  console.log(`  LsaApLogonUser -> ${name(logonUser(c3, 0xffff800000000000n))}`);
}

module.exports = { run };
if (require.main === module) run();
