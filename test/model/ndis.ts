// Reference model of NdisCopyFromNetBufferToNetBuffer (SEMANTICS.md 2.3, 6.1, 6.6, 6.7), written from
// the spec text alone: flat arrays, one literal walk, no index. Oracle of the fast-check properties;
// never imports lib/ or the addon.

export const MAPPED = 0x0001;
export const NONPAGED = 0x0004;
export const RESOURCES = 0xc000009a;
export const SUCCESS = 0;

/**
 * One MDL: `mem` is its backing memory (mem.length = bytes still there), byteCount its ByteCount. With
 * `win`, its bytes are instead buf[at .. at + len) of a buffer other MDLs may share (len = bytes still
 * there), so MDLs can be adjacent or alias each other.
 */
export interface MMdl {
  mem: number[];
  byteCount: number;
  next: number; // index into the MDL array, -1 = NULL, -2 = a freed MDL
  flags: number;
  fails: boolean;
  win?: { buf: number[]; at: number; len: number };
}

/** The MDL's bytes: [array, start, count still there]. */
function bytesOf(m: MMdl): [number[], number, number] {
  return m.win ? [m.win.buf, m.win.at, m.win.len] : [m.mem, 0, m.mem.length];
}

/** One NET_BUFFER's cursor. */
export interface MNb {
  cur: number; // CurrentMdl: index, -1 = NULL, -2 = freed
  curOff: number;
}

export type MResult =
  | { fault: false; status: number; copied: number }
  | { fault: true; code: number; p2?: number };

class Fault {
  constructor(readonly code: number, readonly p2?: number) {}
}

interface Cursor {
  m: number; // -1 = NULL
  pos: number;
}

function follow(mdls: MMdl[], id: number): number {
  if (id === -2) throw new Fault(0x1e); // a freed MDL met by the walk: access violation
  return id;
}

/** Step 3: seek from (start, target). A revisit of an MDL means a cycle: bytes consumed since the
 * first visit are its length; zero = never ends (0x133), else the target is reduced modulo it. */
function seek(mdls: MMdl[], start: number, target: number): Cursor {
  let m = follow(mdls, start);
  let pos = target;
  let seen = new Map<number, number>();
  while (m !== -1 && pos >= mdls[m].byteCount) {
    const first = seen.get(m);
    if (first !== undefined) {
      const cycle = first - pos;
      if (cycle === 0) throw new Fault(0x133);
      pos = pos % cycle;
      seen = new Map();
      continue;
    }
    seen.set(m, pos);
    pos -= mdls[m].byteCount;
    m = follow(mdls, mdls[m].next);
  }
  return { m, pos };
}

/** Step 4a: past exhausted and zero-length MDLs; revisiting one while skipping = a zero-length cycle. */
function skip(mdls: MMdl[], c: Cursor): void {
  const seen = new Set<number>();
  while (c.m !== -1 && c.pos >= mdls[c.m].byteCount) {
    if (seen.has(c.m)) throw new Fault(0x133);
    seen.add(c.m);
    c.m = follow(mdls, mdls[c.m].next);
    c.pos = 0;
  }
}

function canMap(m: MMdl): boolean {
  return (m.flags & (MAPPED | NONPAGED)) !== 0 || !m.fails;
}

/**
 * The copy. `dst` / `src` null = NULL NET_BUFFER (or freed). Mutates `mdls` (bytes, flags) only when no
 * bug check happens.
 */
export function modelCopy(
  mdls: MMdl[],
  dst: MNb | null,
  dOff: number,
  n: number,
  src: MNb | null,
  sOff: number,
  hasBytesCopied = true,
): MResult {
  if (!dst || !src || !hasBytesCopied) return { fault: true, code: 0x1e };
  if (n === 0) return { fault: false, status: SUCCESS, copied: 0 };
  const ops: Array<() => void> = [];
  let status = SUCCESS;
  let copied = 0;
  try {
    const s = seek(mdls, src.cur, src.curOff + sOff); // 64-bit: JS numbers do not wrap here
    const d = seek(mdls, dst.cur, dst.curOff + dOff);
    while (copied < n) {
      skip(mdls, s);
      skip(mdls, d);
      if (s.m === -1 || d.m === -1) break;
      const sm = mdls[s.m], dm = mdls[d.m];
      const chunk = Math.min(sm.byteCount - s.pos, dm.byteCount - d.pos, n - copied);
      if (!canMap(sm)) { status = RESOURCES; break; }
      if (!(sm.flags & (MAPPED | NONPAGED))) ops.push(() => { sm.flags |= MAPPED; });
      if (!canMap(dm)) { status = RESOURCES; break; }
      if (!(dm.flags & (MAPPED | NONPAGED))) ops.push(() => { dm.flags |= MAPPED; });
      const [sb, sAt, sLen] = bytesOf(sm), [db, dAt, dLen] = bytesOf(dm);
      if (s.pos + chunk > sLen) throw new Fault(0x50, 0);
      if (d.pos + chunk > dLen) throw new Fault(0x50, 1);
      const sp = sAt + s.pos, dp = dAt + d.pos;
      ops.push(() => { // one memmove per segment (step 4e)
        const tmp = sb.slice(sp, sp + chunk);
        for (let i = 0; i < chunk; i++) db[dp + i] = tmp[i];
      });
      s.pos += chunk;
      d.pos += chunk;
      copied += chunk;
    }
  } catch (e) {
    if (e instanceof Fault) return { fault: true, code: e.code, p2: e.p2 };
    throw e;
  }
  for (const op of ops) op();
  return { fault: false, status, copied };
}

/** Whether a walk from `start` ever ends (reaches NULL or a freed id) rather than cycling. */
export function walkEnds(mdls: MMdl[], start: number): boolean {
  const seen = new Set<number>();
  let m = start;
  while (m >= 0) {
    if (seen.has(m)) return false;
    seen.add(m);
    m = mdls[m].next;
  }
  return true;
}
