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

// ---- Requests and object lifetime (SEMANTICS 1.1, 6.2, 7.5, 7.6; API.md 7) ----

export const KERNEL_MODE = 0;
export const USER_MODE = 1;
const IRP_MJ_READ = 0x03;
const IRP_MJ_WRITE = 0x04;
const IRP_MJ_DEVICE_CONTROL = 0x0e;
const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;

export interface MRequest {
  major: number;
  ioctl: number;
  mode: number;                 // RequestorMode
  inLen: number | null;         // null: no buffer
  outLen: number | null;
  alive: boolean;
  memIn: number | null;         // index into MWorld.memories once retrieved
  memOut: number | null;
}
export interface MMemory { request: number; output: boolean; readOnly: boolean; size: number; alive: boolean }
export interface MWorld { requests: MRequest[]; memories: MMemory[] }

export type RetrieveOutcome =
  | { status: number; memory: number | null }
  | { bugCheck: number; p1: bigint; p3: bigint };

/** WdfRequestRetrieveInputMemory / OutputMemory. */
export function retrieve(w: MWorld, req: number, output: boolean): RetrieveOutcome {
  const r = w.requests[req];
  if (!r.alive) return { bugCheck: WDF_VIOLATION, p1: 5n, p3: 0x1008n };                     // stale request
  if (!output && r.major === IRP_MJ_READ) return { status: STATUS_INVALID_DEVICE_REQUEST, memory: null }; // 6.2
  if (output && r.major === IRP_MJ_WRITE) return { status: STATUS_INVALID_DEVICE_REQUEST, memory: null };
  const len = output ? r.outLen : r.inLen;
  if (len === null || len === 0) return { status: STATUS_BUFFER_TOO_SMALL, memory: null };     // 6.2, before 7.6
  const method = r.ioctl & 3;
  if (r.major === IRP_MJ_DEVICE_CONTROL && method === 3 && r.mode !== KERNEL_MODE) {
    return { status: STATUS_INVALID_DEVICE_REQUEST, memory: null };                            // 7.6
  }
  const known = output ? r.memOut : r.memIn;
  if (known !== null) return { status: STATUS_SUCCESS, memory: known };                        // the same object
  const ioctl = r.major === IRP_MJ_DEVICE_CONTROL || r.major === IRP_MJ_INTERNAL_DEVICE_CONTROL;
  const readOnly = output ? ioctl && method === 1                                              // 1.1
    : r.major === IRP_MJ_WRITE || (ioctl && (method === 1 || method === 2));
  w.memories.push({ request: req, output, readOnly, size: len, alive: true });
  const m = w.memories.length - 1;
  if (output) r.memOut = m; else r.memIn = m;
  return { status: STATUS_SUCCESS, memory: m };
}

function killRequest(w: MWorld, req: number): void {
  const r = w.requests[req];
  r.alive = false;
  for (const m of [r.memIn, r.memOut]) if (m !== null) w.memories[m].alive = false;
}

/** WdfObjectDelete of a request or of memory retrieved from one: null, or the bug check (P3 FX_TYPE_OBJECT). */
export function deleteObject(w: MWorld, target: { request: number } | { memory: number }): { bugCheck: number; p1: bigint; p3: bigint } | null {
  const alive = 'request' in target ? w.requests[target.request].alive : w.memories[target.memory].alive;
  if (!alive) return { bugCheck: WDF_VIOLATION, p1: 5n, p3: 0x1000n };
  // 7.5: request memory resolves to its request, which is deleted with both of its memories
  killRequest(w, 'request' in target ? target.request : w.memories[target.memory].request);
  return null;
}
