// Reference model of WdfMemoryCopyFromBuffer / CopyToBuffer (SEMANTICS.md 1.2, 1.3, API.md 1 and 7).
// Deliberately plain: arrays of numbers and the rule table read top to bottom. Never imports lib/.

export type Outcome = { status: number } | { bugCheck: number; p1: bigint; p2: bigint };

export interface ModelMemory {
  bytes: number[];      // the object's backing bytes that still exist (a shrunk view is shorter)
  size: bigint;         // the object's size
  readOnly: boolean;
  handle: 'ok' | 'null' | 'bad';
}

const WDF_VIOLATION = 0x10d;
const STATUS_SUCCESS = 0;
const STATUS_INVALID_PARAMETER = 0xc000000d;
const STATUS_ACCESS_VIOLATION = 0xc0000005;
const STATUS_INVALID_BUFFER_SIZE = 0xc0000206;
const STATUS_BUFFER_TOO_SMALL = 0xc0000023;

export function copyFromBuffer(m: ModelMemory, off: bigint, src: number[] | null, n: bigint): Outcome {
  if (m.handle !== 'ok') return { bugCheck: WDF_VIOLATION, p1: 5n, p2: 0n };             // W1, W2
  if (src === null) return { bugCheck: WDF_VIOLATION, p1: 4n, p2: 0n };                   // W3
  if (n === 0n) return { status: STATUS_INVALID_PARAMETER };                              // W4
  if (m.readOnly) return { status: STATUS_ACCESS_VIOLATION };                             // W5
  if (off !== 0n && off >= m.size) return { status: STATUS_INVALID_BUFFER_SIZE };         // W6
  if (n > m.size - off) return { status: STATUS_INVALID_BUFFER_SIZE };                    // W7
  if (off + n > BigInt(m.bytes.length)) return { bugCheck: 0x50, p1: 0n, p2: 1n };        // gone object bytes
  if (n > BigInt(src.length)) return { bugCheck: 0xd6, p1: 0n, p2: 0n };                  // past the caller's view
  const copy = src.slice(0, Number(n));                                                   // memmove: read all first
  for (let i = 0; i < copy.length; i++) m.bytes[Number(off) + i] = copy[i];               // W8
  return { status: STATUS_SUCCESS };
}

export function copyToBuffer(m: ModelMemory, off: bigint, dst: number[] | null, n: bigint): Outcome {
  if (m.handle !== 'ok') return { bugCheck: WDF_VIOLATION, p1: 5n, p2: 0n };             // T1
  if (dst === null) return { bugCheck: WDF_VIOLATION, p1: 4n, p2: 0n };                   // T2
  if (n === 0n) return { status: STATUS_INVALID_PARAMETER };                              // T3
  if (off !== 0n && off >= m.size) return { status: STATUS_BUFFER_TOO_SMALL };            // T5
  if (n > m.size - off) return { status: STATUS_BUFFER_TOO_SMALL };                       // T6
  if (off + n > BigInt(m.bytes.length)) return { bugCheck: 0x50, p1: 0n, p2: 0n };
  if (n > BigInt(dst.length)) return { bugCheck: 0xd6, p1: 0n, p2: 1n };
  const copy = m.bytes.slice(Number(off), Number(off + n));
  for (let i = 0; i < copy.length; i++) dst[i] = copy[i];                                 // T7
  return { status: STATUS_SUCCESS };
}
