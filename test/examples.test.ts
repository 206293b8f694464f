// The demo scenes run and say what the spec says they should (statuses by name).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const dir = path.join(__dirname, '..', 'examples');
const scenes = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.js$/.test(f)).sort();

// Lines each scene must print: expected from SEMANTICS.md, not from a previous run.
const expectations: Record<string, RegExp[]> = {
  '01-wdf-request.js': [
    /WdfMemoryCopyFromBuffer\(out, 0, device, 16\) -> STATUS_SUCCESS/,
    /the user's buffer now holds: "ntcopy-device-01"/,
    /zero bytes\s+-> STATUS_INVALID_PARAMETER \(0xC000000D\)/,
    /offset == size\s+-> STATUS_INVALID_BUFFER_SIZE/,
    /one byte too many\s+-> STATUS_INVALID_BUFFER_SIZE/,
    /\(CopyToBuffer\)\s+-> STATUS_BUFFER_TOO_SMALL/,
    /IRP_MJ_WRITE input memory -> STATUS_ACCESS_VIOLATION/,
    /input of an IRP_MJ_READ\s+-> STATUS_INVALID_DEVICE_REQUEST/,
    /BUGCHECK 0x0000010D WDF_VIOLATION \(0x5, 0x[0-9A-F]+, 0x100A, 0x0\)/,
  ],
  '02-ndis-receive.js': [
    /received NBL: 42 bytes over MDLs of 6\+8\+0\+14\+14 bytes/,
    /clone copy: STATUS_SUCCESS, BytesCopied 42 of DataLength 42/,                 // 2.3: zero-length MDL skipped
    /MdlFlags of the receive MDLs: (0x4 ){4}0x4/,                                    // NdisAllocateMdl: nonpaged pool
    /header copy: STATUS_SUCCESS, BytesCopied 14 of 42/,                             // 2.3 step 5: short SUCCESS
    /unmappable MDL: STATUS_INSUFFICIENT_RESOURCES \(= NDIS_STATUS_RESOURCES: true\), BytesCopied 20/, // 4d
    /MdlFlags: first 0x1 \(mapped by the copy\), second 0x0/,                       // 2.4 mapping side effect
    /after Advance\(14\): DataOffset 14, ARP header 00 01 08 00 06 04 00 01/,
    /after Retreat\(14\): DataOffset 0, DataLength 42/,
  ],
  '03-lsa-auth.js': [
    /Password @ 0x7FF600010000, 26 bytes\)\s+-> STATUS_SUCCESS/,
    /AllocateClientBuffer\(33\)\s+-> STATUS_SUCCESS \(0x0\), ClientBaseAddress 0x10000/, // 64 KiB-aligned, first fit
    /client reads its profile: "PROFILE user=alice logonCount=42"/,
    /after it completed: BugCheckError: BUGCHECK 0x000000EF CRITICAL_PROCESS_DIED \(0x0,/,   // L0
    /Password @ 0x7FF600030000, 26 bytes\)\s+-> STATUS_PARTIAL_COPY \(0x8000000D\)/,       // L5a: unmapped page
    /STATUS_PARTIAL_COPY \(0x8000000D\)\s+NT_SUCCESS=false NT_ERROR=false/,                 // a warning status
    /kernel address\n\s+CopyFromClientBuffer\(submit buffer, 40 bytes\)\s+-> STATUS_ACCESS_VIOLATION/, // L1
  ],
};

describe('examples', () => {
  test('every scene has expectations here', () => {
    expect(scenes.length).toBeGreaterThan(0);
    expect(scenes.filter((s) => !expectations[s])).toEqual([]);
  });
  test.each(scenes)('%s runs alone and prints what the spec says', (scene) => {
    const r = spawnSync(process.execPath, [path.join(dir, scene)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const re of expectations[scene] ?? []) expect(r.stdout).toMatch(re);
  });
  test('npm run demo runs every scene in order', () => {
    const r = spawnSync(process.execPath, [path.join(dir, 'demo.js')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const order = scenes.map((s) => r.stdout.indexOf(`=== ${s.replace(/\.js$/, '')} ===`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
