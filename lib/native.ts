// The only file that loads the compiled addon. Order: the prebuilt binary shipped in the package for this
// platform, architecture (and libc), then a source build (build/Release, build/Debug). The first that loads wins;
// if none does, the Error says what was tried and the one command that builds from source.
import * as fs from 'fs';
import * as path from 'path';

/** Package root: this file runs as dist/native.js (package) or lib/native.ts (ts-jest). */
const root = path.join(__dirname, '..');

/** 'glibc' or 'musl' on Linux (the two Linux prebuild flavours), undefined elsewhere. */
function linuxLibc(): 'glibc' | 'musl' | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const ldd = fs.readFileSync('/usr/bin/ldd', 'latin1'); // cheap, as detect-libc does it
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return 'glibc';
  } catch { /* no ldd: ask the runtime */ }
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

function load(): { binding: any; file: string } {
  const libc = linuxLibc();
  const target = `${process.platform}-${process.arch}`;
  const candidates = [
    path.join(root, 'prebuilds', target, `ntcopy.napi${libc ? `.${libc}` : ''}.node`),
    path.join(root, 'build', 'Release', 'ntcopy.node'),
    path.join(root, 'build', 'Debug', 'ntcopy.node'),
  ];
  const tried: string[] = [];
  for (const file of candidates) {
    if (!fs.existsSync(file)) {
      tried.push(`  ${file}: not present`);
      continue;
    }
    try {
      return { binding: require(file), file };
    } catch (e) {
      tried.push(`  ${file}: ${String((e as Error).message).split('\n')[0]}`);
    }
  }
  let shipped = '';
  try {
    shipped = fs.readdirSync(path.join(root, 'prebuilds')).join(', ');
  } catch { /* none shipped */ }
  const build = path.join(root, 'scripts', 'build-native.js');
  throw new Error(
    `ntcopy: no native binary loads on ${target}${libc ? ` (${libc})` : ''}, Node ${process.version} ` +
      `(Node-API ${process.versions.napi}).\n` +
      `Tried:\n${tried.join('\n')}\n` +
      `Prebuilt binaries in this package: ${shipped || 'none'}.\n` +
      `Build it from source (needs Python 3, make and a C++17 compiler; see the README's Troubleshooting):\n` +
      `  node "${build}"`,
  );
}

const loaded = load();
/** Raw binding; lib/ validates every argument before calling it. @internal */
export const native: any = loaded.binding;
/** The file the binding was loaded from (tests inspect it). @internal */
export const nativePath: string = loaded.file;

// Buffer kinds are learned from the prototype getters taken here, at load: a caller can redefine
// `resizable` / `growable` on a buffer (or later on the prototype), not the functions captured now.
// A runtime without resizable or growable buffers has no getter: undefined then.
const getter = (proto: object | undefined, name: string): unknown =>
  proto && Object.getOwnPropertyDescriptor(proto, name)?.get;
native.setBufferKinds(
  getter(ArrayBuffer.prototype, 'resizable'),
  getter(typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer.prototype : undefined, 'growable'),
);

/** The status value a native call returns after recording a bug check (NT_FAULTED as int32). @internal */
export const FAULTED = -1;

/**
 * The argument block: hot wrappers write numeric arguments here and call a native entry without them
 * (each Node-API number read costs more than the copy of a small segment). Slots 0-5 arguments,
 * slot 6 a result. Library-private: never exposed, so never detached. @internal
 */
export const args = new Float64Array(native.argBlock as ArrayBuffer);
export const RESULT0 = 6;
/** Slot 7: the status of an entry that returns it through the block (int32, as a returned one). @internal */
export const STATUS = 7;
