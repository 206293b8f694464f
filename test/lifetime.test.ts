// Lifetime (issue: hardening): 10^6 create/free cycles of every kind of object keep live objects, heap
// and RSS flat. Runs in a child `node --expose-gc` so the measurement is not jest's heap.
import { runChild } from './child';

test('10^6 create/free cycles of each kind keep objects, heap and RSS flat', () => {
  const r = runChild(`
    const N = 1e6, ROUNDS = 5, per = N / ROUNDS;
    const b = Buffer.alloc(64), pool = nt.NdisAllocateNetBufferPool(null), nblPool = nt.NdisAllocateNetBufferListPool(null);
    const kinds = {
      'WdfMemoryCreate': () => nt.WdfObjectDelete(nt.WdfMemoryCreate(null, 0, 0, 64).memory),
      'WdfMemoryCreatePreallocated': () => nt.WdfObjectDelete(nt.WdfMemoryCreatePreallocated(null, b).memory),
      'Sim.createRequest': () => nt.WdfObjectDelete(nt.Sim.createRequest({ MajorFunction: nt.IRP_MJ_READ, OutputBuffer: b })),
      'IoAllocateMdl': () => nt.IoFreeMdl(nt.IoAllocateMdl(b)),
      'NdisAllocateNetBuffer': () => nt.NdisFreeNetBuffer(nt.NdisAllocateNetBuffer(pool, null, 0, 0)),
      'NdisAllocateNetBufferAndNetBufferList': () => nt.NdisFreeNetBufferList(nt.NdisAllocateNetBufferAndNetBufferList(nblPool, 0, 0, null, 0, 0)),
      'NdisAllocateNetBufferPool': () => nt.NdisFreeNetBufferPool(nt.NdisAllocateNetBufferPool(null)),
      // a client request has no free routine: it goes when its handle is unreachable (finalizer)
      'Sim.createClientRequest': () => { const c = nt.Sim.createClientRequest(); c.map(0x10000, 0x1000, nt.PAGE_READWRITE); },
    };
    const settle = () => new Promise((res) => setImmediate(res)).then(() => global.gc());
    (async () => {
      const out = {};
      for (const [name, cycle] of Object.entries(kinds)) {
        const live0 = native.liveObjects();
        const rss = [], heap = [], cheap = [];
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < per; i++) cycle();
          // client requests go in FinalizationRegistry callbacks, which lag under load: measure once they ran
          for (let k = 0; k < 100 && native.liveObjects() > live0; k++) await settle();
          await settle(); await settle();
          // RSS outside V8's heap (whose young generation may grow late under load without any leak;
          // heapUsed is checked on its own): what a native leak would raise
          const m = process.memoryUsage();
          rss.push(m.rss - m.heapTotal); heap.push(m.heapUsed); cheap.push(native.mallocInUse());
        }
        // the allocator settles on its working set in the first rounds: the last must not exceed that plateau
        out[name] = { leaked: native.liveObjects() - live0, rssGrowthMiB: (rss[ROUNDS - 1] - Math.max(rss[0], rss[1], rss[2])) / 1048576,
          heapGrowthMiB: (heap[ROUNDS - 1] - heap[1]) / 1048576,
          // the C heap's bytes in use (glibc), immune to the host reclaiming pages: null elsewhere
          mallocGrowthMiB: cheap[0] < 0 ? null : (cheap[ROUNDS - 1] - Math.max(cheap[0], cheap[1], cheap[2])) / 1048576 };
      }
      console.log(JSON.stringify(out));
    })();
  `, 300000);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as Record<string, { leaked: number; rssGrowthMiB: number; heapGrowthMiB: number; mallocGrowthMiB: number | null }>;
  expect(Object.keys(out)).toHaveLength(8);
  // glibc >= 2.33 (this project's Linux machines) has mallinfo2: then the C heap is judged exactly and
  // RSS, which the host's page reclaim moves by tens of MiB either way, only for gross growth.
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  const exact = glibc !== undefined && Number(glibc.split('.')[1]) >= 33;
  for (const [name, v] of Object.entries(out)) {
    expect({ name, leaked: v.leaked }).toEqual({ name, leaked: 0 });
    expect({ name, heapFlat: v.heapGrowthMiB < 2 }).toEqual({ name, heapFlat: true });
    if (exact) {
      expect({ name, mallocFlat: v.mallocGrowthMiB !== null && v.mallocGrowthMiB < 4 }).toEqual({ name, mallocFlat: true });
      expect({ name, rssFlat: v.rssGrowthMiB < 64 }).toEqual({ name, rssFlat: true });
    } else {
      expect({ name, rssFlat: v.rssGrowthMiB < 16 }).toEqual({ name, rssFlat: true });
    }
  }
});
