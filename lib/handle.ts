// Opaque handles. A handle object carries only the core's id (index + generation); whether it is
// live and of the right kind is decided by the core, never here (API.md section 7).

/** Key of the core id on every handle object. Not exported from the package. @internal */
export const ID: unique symbol = Symbol('ntcopy.id');

/**
 * Base of every ntcopy handle (WDFMEMORY, PMDL, PLSA_CLIENT_REQUEST, ...). A handle is opaque: it carries only
 * the core's id; whether it is live and of the right kind is decided at each call (a stale or wrong-kind one
 * is the family's bug check). Each kind is a distinct class, so passing one kind where another is expected is
 * a compile-time error.
 */
export abstract class NtObject {
  /** @internal */
  readonly [ID]: number;
  /** @internal */
  constructor(id: number) {
    this[ID] = id;
  }
}

// Canonical objects: one JS object per live id while it is referenced, so `nb.MdlChain === mdl`.
// Weakly held: a dropped handle object costs nothing; the core object lives until it is freed.
const cache = new Map<number, WeakRef<NtObject>>();
const reaper = new FinalizationRegistry<number>((id) => {
  const r = cache.get(id);
  if (r && r.deref() === undefined) cache.delete(id);
});

/** The handle object for a core id (0 -> null). @internal */
export function handleFor<T extends NtObject>(id: number, ctor: new (id: number) => T): T | null {
  if (id === 0) return null;
  const hit = cache.get(id)?.deref();
  if (hit instanceof ctor) return hit;
  const h = new ctor(id);
  cache.set(id, new WeakRef(h));
  reaper.register(h, id);
  return h;
}

/** Forgets the canonical object of a freed id at once (the finalizer would, but only after a GC). @internal */
export function forget(id: number): void {
  cache.delete(id);
}

/**
 * The core id of a handle argument: 0 for null/undefined (the family's NULL bug check follows in the
 * core); TypeError for anything that is no ntcopy handle at all. @internal
 */
export function idOf(h: unknown, name: string): number {
  if (h === null || h === undefined) return 0;
  const id = (h as { [ID]?: unknown })[ID];
  if (typeof id !== 'number') throw new TypeError(`${name} must be an ntcopy handle or null`);
  return id;
}
