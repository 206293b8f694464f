// CopyBatch (API.md section 8): queue calls of the five copy routines, run them all in one native call.
// JS checks the arguments at queue time with the routines' own checks (wdfCopyChecks, ndisCopyChecks,
// lsaCopyChecks); handle validity and every Windows rule are decided by the core when the batch runs, by
// the routines' own single-call entries (native/core/nt_batch.c).
import { native, args, RESULT0, STATUS, FAULTED } from './native';
import { BugCheckError } from './bugcheck';
import { wdfCopyChecks } from './wdf';
import type { WDFMEMORY } from './wdf';
import { ndisCopyChecks } from './ndis';
import type { PNET_BUFFER } from './ndis';
import { lsaCopyChecks } from './lsa';
import type { PLSA_CLIENT_REQUEST } from './lsa';

// Op encoding (nt_batch.h): six 64-bit words per op in a library-private block the native side reads.
const WORDS = 6;
const WDF_FROM = 1, WDF_TO = 2, NDIS = 3, LSA_FROM = 4, LSA_TO = 5;
const RAW2 = 0x10, RAW3 = 0x20; // word 2 / 3 holds a uint64 (a bigint size_t), not a double
const MAX_OPS = 2 ** 24;
const DEFAULT_CAPACITY = 32;
const SCAN = 16;

const runNative: (views?: unknown[]) => void = native.batchRun;
/** Native halves of CopyBatch objects that are gone: their views and op blocks are released. */
const reaper = new FinalizationRegistry<number>((id) => native.batchFree(id));

/**
 * A queue of copy-routine calls run in one native call (API.md section 8): for host applications that make
 * millions of small copies, where the fixed cost of one native call is most of the work. A host-side helper,
 * not a WDK routine.
 *
 * - Queueing checks the JS arguments exactly as the routine does (TypeError / RangeError, nothing queued);
 *   handle validity and every Windows rule are decided when the batch runs.
 * - {@link CopyBatch.run} is exactly equivalent to calling the queued routines one after another: the same
 *   statuses, bytes, BytesCopied, MdlFlags and bug checks, and each op sees what the ops before it wrote.
 * - A bug check in op i: ops 0 .. i-1 took effect (results in {@link CopyBatch.Status} /
 *   {@link CopyBatch.BytesCopied}), op i wrote nothing, later ops did not run, and `run()` throws the
 *   {@link BugCheckError} with `opIndex: i`.
 * - The queue stays after `run()` until {@link CopyBatch.clear}; the batch keeps the handles and views it
 *   queued alive until then. API.md section 6 applies to every op at every run (a view detached between
 *   queueing and running is gone memory for that op).
 * - A batch belongs to the thread (environment) that made it; it cannot be used from another (TypeError).
 *
 * @example
 * ```ts
 * const batch = new CopyBatch(32);
 * for (const f of frames) batch.WdfMemoryCopyFromBuffer(ring, f.offset, f.bytes, f.bytes.byteLength);
 * batch.run();                      // one native call
 * if (batch.Status.subarray(0, batch.length).some((s) => s !== STATUS_SUCCESS)) ...;
 * batch.clear();
 * ```
 */
export class CopyBatch {
  #id: number;
  #cap: number;
  #n = 0;
  #f!: Float64Array;      // the op block, as doubles
  #u!: BigUint64Array;    // the same bytes, for size_t bigints past 2^53
  #results!: ArrayBuffer; // [Status | BytesCopied], registered with the native side as a view
  #status!: Uint32Array;
  #copied!: Uint32Array;
  #keep: unknown[];       // the handles of queued ops (two per op), kept alive until clear()
  // Views: each distinct view gets a batch-local index, registered natively once (at the next run) and
  // kept registered while the batch keeps queueing it: re-queueing and rerunning cost no registration.
  #views = new Map<ArrayBufferView, number>();
  #pending: unknown[] = [];   // [index, view, ...] not registered yet
  #lastUse: number[] = [];    // index -> the clear() cycle that last queued it
  #freeIndex: number[] = [];
  #nextIndex = 0;
  #cycle = 1;
  #used = 0;                  // distinct views queued in this cycle
  // The first SCAN distinct views of this cycle, scanned before the Map (a Map lookup costs more than
  // a small copy): a view costs one Map lookup per cycle, then a few compares per op.
  #cycViews: (ArrayBufferView | null)[] = new Array(SCAN).fill(null);
  #cycIndex: number[] = new Array(SCAN).fill(0);
  #cycN = 0;

  /**
   * An empty batch with room for `capacity` ops (default 32); it grows as needed (up to 2^24 ops), amortized.
   * @param capacity - initial number of ops: an integer in 1..2^24, else RangeError (TypeError if not a number).
   */
  constructor(capacity?: number) {
    let cap = DEFAULT_CAPACITY;
    if (capacity !== undefined) {
      if (typeof capacity !== 'number') throw new TypeError(`capacity must be a number, got ${capacity === null ? 'null' : typeof capacity}`);
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_OPS) {
        throw new RangeError(`capacity must be an integer in 1..2^24, got ${capacity}`);
      }
      cap = capacity;
    }
    this.#cap = cap;
    this.#keep = new Array(2 * cap).fill(undefined);
    const results = this.#newResults(cap);
    const [id, block] = native.batchNew(cap, new Uint8Array(results));
    this.#id = id;
    this.#setBlock(block);
    reaper.register(this, id);
  }

  /** Number of ops queued. */
  get length(): number {
    return this.#n;
  }

  /**
   * `Status[i]`: what op i returned (unsigned 32-bit), valid for i below the count the last {@link CopyBatch.run}
   * returned (or, after a bug check, below its `opIndex`). Belongs to the batch; replaced by a larger array
   * when the queue grows, so read it after `run()`.
   */
  get Status(): Uint32Array {
    return this.#status;
  }

  /**
   * `BytesCopied[i]`: op i's BytesCopied (NdisCopyFromNetBufferToNetBuffer ops; 0 for the other routines),
   * valid as {@link CopyBatch.Status} is. Belongs to the batch; replaced by a larger array when the queue grows.
   */
  get BytesCopied(): Uint32Array {
    return this.#copied;
  }

  /**
   * Queues WdfMemoryCopyFromBuffer(DestinationMemory, DestinationOffset, Buffer, NumBytesToCopyFrom) (see
   * {@link WdfMemoryCopyFromBuffer}). Its JS argument errors are thrown here, nothing queued.
   * @returns this batch, for chaining.
   */
  WdfMemoryCopyFromBuffer(DestinationMemory: WDFMEMORY, DestinationOffset: number | bigint,
    Buffer: ArrayBufferView | null, NumBytesToCopyFrom: number | bigint): this {
    const id = wdfCopyChecks(DestinationMemory, 'DestinationMemory', DestinationOffset, 'DestinationOffset', Buffer,
      NumBytesToCopyFrom, 'NumBytesToCopyFrom');
    this.#queueView(WDF_FROM, DestinationMemory, id, DestinationOffset, NumBytesToCopyFrom, Buffer ?? null);
    return this;
  }

  /**
   * Queues WdfMemoryCopyToBuffer(SourceMemory, SourceOffset, Buffer, NumBytesToCopyTo) (see
   * {@link WdfMemoryCopyToBuffer}). Its JS argument errors are thrown here, nothing queued.
   * @returns this batch, for chaining.
   */
  WdfMemoryCopyToBuffer(SourceMemory: WDFMEMORY, SourceOffset: number | bigint, Buffer: ArrayBufferView | null,
    NumBytesToCopyTo: number | bigint): this {
    const id = wdfCopyChecks(SourceMemory, 'SourceMemory', SourceOffset, 'SourceOffset', Buffer, NumBytesToCopyTo,
      'NumBytesToCopyTo');
    this.#queueView(WDF_TO, SourceMemory, id, SourceOffset, NumBytesToCopyTo, Buffer ?? null);
    return this;
  }

  /**
   * Queues NdisCopyFromNetBufferToNetBuffer(Destination, DestinationOffset, BytesToCopy, Source, SourceOffset,
   * BytesCopied) (see {@link NdisCopyFromNetBufferToNetBuffer}); its BytesCopied is
   * {@link CopyBatch.BytesCopied}`[i]`. Its JS argument errors are thrown here, nothing queued.
   * @returns this batch, for chaining.
   */
  NdisCopyFromNetBufferToNetBuffer(Destination: PNET_BUFFER, DestinationOffset: number, BytesToCopy: number,
    Source: PNET_BUFFER, SourceOffset: number): this {
    if (this.#n === this.#cap) this.#grow();
    const i = this.#n, o = i * WORDS;
    ndisCopyChecks(Destination, DestinationOffset, BytesToCopy, Source, SourceOffset, this.#f, o + 1);
    this.#f[o] = NDIS;
    this.#keep[2 * i] = Destination;
    this.#keep[2 * i + 1] = Source;
    this.#n = i + 1;
    return this;
  }

  /**
   * Queues LsaFunctions.CopyFromClientBuffer(ClientRequest, Length, BufferToCopy, ClientBaseAddress) (see
   * {@link LSA_SECPKG_FUNCTION_TABLE.CopyFromClientBuffer}). Its JS argument errors are thrown here, nothing queued.
   * @returns this batch, for chaining.
   */
  CopyFromClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, Length: number | bigint, BufferToCopy: ArrayBufferView | null,
    ClientBaseAddress: number | bigint | null): this {
    const id = lsaCopyChecks(false, ClientRequest, Length, BufferToCopy, ClientBaseAddress);
    this.#queueView(LSA_FROM, ClientRequest, id, typeof Length === 'number' ? Length : Number(Length), ClientBaseAddress ?? 0, BufferToCopy ?? null);
    return this;
  }

  /**
   * Queues LsaFunctions.CopyToClientBuffer(ClientRequest, Length, ClientBaseAddress, BufferToCopy) (see
   * {@link LSA_SECPKG_FUNCTION_TABLE.CopyToClientBuffer}). Its JS argument errors are thrown here, nothing queued.
   * @returns this batch, for chaining.
   */
  CopyToClientBuffer(ClientRequest: PLSA_CLIENT_REQUEST, Length: number | bigint, ClientBaseAddress: number | bigint | null,
    BufferToCopy: ArrayBufferView | null): this {
    const id = lsaCopyChecks(true, ClientRequest, Length, BufferToCopy, ClientBaseAddress);
    this.#queueView(LSA_TO, ClientRequest, id, typeof Length === 'number' ? Length : Number(Length), ClientBaseAddress ?? 0, BufferToCopy ?? null);
    return this;
  }

  /**
   * Runs every queued op in queue order, in one native call, exactly as calling the routines one after another.
   * Each ArrayBuffer the ops touch is checked once per run (never trusted from an earlier run).
   * @returns the number of ops that ran (= {@link CopyBatch.length}); their results are in
   * {@link CopyBatch.Status} and {@link CopyBatch.BytesCopied}.
   * @throws {@link BugCheckError} with `opIndex: i` when op i bug checks: ops 0 .. i-1 took effect, op i
   * wrote nothing, later ops did not run.
   */
  run(): number {
    if (this.#results.byteLength === 0) this.#replaceResults(); // the caller detached Status' buffer
    args[0] = this.#id;
    args[1] = this.#n;
    if (this.#pending.length === 0) runNative();
    else {
      runNative(this.#pending);
      this.#pending = [];
    }
    const r = args[STATUS];
    if (r === 0) return this.#n;
    if (r === FAULTED) {
      const f = native.lastFault() as [number, bigint, bigint, bigint, bigint];
      const e = new BugCheckError(f[0], [f[1], f[2], f[3], f[4]]);
      Object.defineProperty(e, 'opIndex', { value: args[RESULT0], enumerable: true });
      throw e;
    }
    throw new Error(`ntcopy: internal batch error ${r}`);
  }

  /**
   * Empties the queue (capacity kept) and lets go of the handles it held. Views the cleared queue did not
   * use are released; views it used stay registered with the batch so that queueing them again costs nothing,
   * until a later `clear()` finds them unused (so `clear()` twice releases every view).
   */
  clear(): void {
    const keep = this.#keep; // a loop: Array.prototype.fill on a holey array is a runtime call
    for (let k = 2 * this.#n - 1; k >= 0; k--) keep[k] = undefined;
    this.#n = 0;
    this.#cycN = 0;
    if (this.#used < this.#views.size) this.#sweep();
    this.#used = 0;
    this.#cycle++;
  }

  // ---- internals

  /** Queues an op of the WDF / LSA shape: [kind, id, a, b, view]. a / b: numbers, or bigint size_t values. */
  #queueView(kind: number, handle: unknown, id: number, a: number | bigint, b: number | bigint,
    view: ArrayBufferView | null): void {
    if (this.#n === this.#cap) this.#grow();
    const i = this.#n, o = i * WORDS, f = this.#f;
    let k = kind;
    if (typeof a === 'number') f[o + 2] = a;
    else { this.#u[o + 2] = a; k |= RAW2; }
    if (typeof b === 'number') f[o + 3] = b;
    else { this.#u[o + 3] = b; k |= RAW3; }
    f[o] = k;
    f[o + 1] = id;
    f[o + 4] = view === null ? -1 : this.#viewIndex(view);
    this.#keep[2 * i] = handle;
    this.#n = i + 1;
  }

  /** The batch-local index of a view (a new one is registered natively at the next run). */
  #viewIndex(v: ArrayBufferView): number {
    const views = this.#cycViews, n = this.#cycN;
    for (let k = 0; k < n; k++) if (views[k] === v) return this.#cycIndex[k];
    let i = this.#views.get(v);
    if (i === undefined) {
      i = this.#freeIndex.length > 0 ? this.#freeIndex.pop()! : this.#nextIndex++;
      this.#views.set(v, i);
      this.#pending.push(i, v);
    }
    if (this.#lastUse[i] !== this.#cycle) {
      this.#lastUse[i] = this.#cycle;
      this.#used++;
      if (n < SCAN) {
        views[n] = v;
        this.#cycIndex[n] = i;
        this.#cycN = n + 1;
      }
    }
    return i;
  }

  /** clear(): releases the views this cycle did not queue. */
  #sweep(): void {
    const released: number[] = [];
    for (const [v, i] of this.#views) {
      if (this.#lastUse[i] === this.#cycle) continue;
      this.#views.delete(v);
      released.push(i);
      this.#freeIndex.push(i);
    }
    if (released.length === 0) return;
    this.#cycViews.fill(null); // no reference to a released view stays behind
    // Not registered yet: simply forgotten. Registered: released natively (unknown indices are ignored there).
    const gone = new Set(released);
    const pending: unknown[] = [];
    for (let k = 0; k < this.#pending.length; k += 2) {
      if (!gone.has(this.#pending[k] as number)) pending.push(this.#pending[k], this.#pending[k + 1]);
    }
    this.#pending = pending;
    native.batchViews(this.#id, [], released);
  }

  #newResults(cap: number): ArrayBuffer {
    const results = new ArrayBuffer(cap * 8);
    this.#results = results;
    this.#status = new Uint32Array(results, 0, cap);
    this.#copied = new Uint32Array(results, cap * 4, cap);
    return results;
  }

  #setBlock(block: ArrayBuffer): void {
    this.#f = new Float64Array(block);
    this.#u = new BigUint64Array(block);
  }

  /** Doubles the capacity (op block, results, handle list); the queued ops are kept. */
  #grow(): void {
    if (this.#cap >= MAX_OPS) throw new RangeError('a CopyBatch holds at most 2^24 ops');
    const cap = Math.min(this.#cap * 2, MAX_OPS);
    const oldStatus = this.#status, oldCopied = this.#copied;
    const results = this.#newResults(cap);
    this.#status.set(oldStatus);
    this.#copied.set(oldCopied);
    this.#setBlock(native.batchGrow(this.#id, cap, new Uint8Array(results)));
    this.#cap = cap;
    this.#keep.length = 2 * cap;
    this.#keep.fill(undefined, 2 * this.#n);
  }

  /** Status and BytesCopied anew, after the caller detached (transferred) their buffer. */
  #replaceResults(): void {
    const results = this.#newResults(this.#cap);
    this.#setBlock(native.batchGrow(this.#id, this.#cap, new Uint8Array(results)));
  }
}
