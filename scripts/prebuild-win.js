#!/usr/bin/env node
// `npm run prebuild:win`: builds prebuilds/win32-x64/ntcopy.napi.node.
//
// On Linux it cross-compiles with mingw-w64 (Debian: g++-mingw-w64-x86-64-posix and
// binutils-mingw-w64-x86-64; the -posix g++ because node-addon-api needs std::mutex):
//  - headers and the import library come from the node-api-headers package (devDependency): its
//    node_api.def lists every Node-API function node.exe exports, and dlltool turns it into an import
//    library, so the addon imports Node-API from node.exe and nothing from V8 or libnode;
//  - the sources, defines and language standards are read from binding.gyp, so one source list
//    serves node-gyp and this build;
//  - the C and C++ runtimes are linked in statically, and the result is checked to import only
//    node.exe, KERNEL32.dll and msvcrt.dll (present on every Windows), else the build fails.
// On Windows (the CI workflow) it builds natively with node-gyp and copies the result.
//
// Options: --out DIR (default prebuilds/win32-x64), --quiet.
'use strict';
const { spawn, spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const outDir = path.resolve(root, argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : path.join('prebuilds', 'win32-x64'));
const quiet = argv.includes('--quiet');
const outFile = path.join(outDir, 'ntcopy.napi.node');
const log = (s) => { if (!quiet) console.log(s); };

// The DLLs every Windows has; anything else would make the prebuild fail to load on some machine.
const ALLOWED_IMPORTS = ['node.exe', 'kernel32.dll', 'msvcrt.dll'];
const TOOLS = {
  cc: 'x86_64-w64-mingw32-gcc-posix',
  cxx: 'x86_64-w64-mingw32-g++-posix',
  dlltool: 'x86_64-w64-mingw32-dlltool',
  objdump: 'x86_64-w64-mingw32-objdump',
};
const APT_PACKAGES = ['g++-mingw-w64-x86-64-posix', 'binutils-mingw-w64-x86-64'];

function fail(msg) {
  console.error(`prebuild-win: ${msg}`);
  process.exit(1);
}

/** binding.gyp's first target (gyp files are Python literals; this one stays JSON plus comments). */
function gypTarget() {
  const text = fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
  let gyp;
  try {
    gyp = JSON.parse(text);
  } catch (e) {
    fail(`binding.gyp is not plain JSON (${e.message}); keep it JSON so this script can read it`);
  }
  const t = gyp.targets.find((x) => x.target_name === 'ntcopy') || fail('binding.gyp has no ntcopy target');
  return t;
}

function checkToolchain() {
  const missing = Object.values(TOOLS).filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error);
  if (missing.length) {
    fail(`the mingw-w64 cross toolchain is missing (${missing.join(', ')} not found on PATH).\n` +
      `  Debian/Ubuntu: apt-get install -y ${APT_PACKAGES.join(' ')}\n` +
      '  (or run `npm run test:win`, which installs it as root)');
  }
}

/** Node-API headers and .def from node-api-headers, node-addon-api's C++ headers. */
function apiPaths() {
  let headers;
  let addonApi;
  try {
    headers = path.dirname(require.resolve('node-api-headers/package.json', { paths: [root] }));
    addonApi = require(require.resolve('node-addon-api', { paths: [root] })).include_dir;
  } catch (e) {
    fail(`${e.message}\n  run \`npm install\` (node-api-headers is a devDependency, node-addon-api a dependency)`);
  }
  const def = path.join(headers, 'def', 'node_api.def');
  if (!fs.existsSync(def)) fail(`${def} is missing`);
  return { include: path.join(headers, 'include'), def, addonApi: path.resolve(root, addonApi) };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    fail(`${cmd} ${args.join(' ')}\n  exited with ${r.status}`);
  }
  if (r.stderr && !quiet) process.stderr.write(r.stderr); // warnings
}

/** Runs the compile jobs two at a time (the build machines have 2 cores). */
async function compileAll(jobs) {
  const width = Math.max(1, Math.min(2, os.cpus().length));
  let next = 0;
  let failed = null;
  const worker = async () => {
    while (next < jobs.length && !failed) {
      const job = jobs[next++];
      await new Promise((resolve) => {
        const p = spawn(job.cmd, job.args, { cwd: root });
        let errText = '';
        p.stdout.on('data', (d) => { errText += d; });
        p.stderr.on('data', (d) => { errText += d; });
        p.on('error', (e) => { failed = `${job.cmd}: ${e.message}`; resolve(); });
        p.on('close', (code) => {
          if (code !== 0) {
            failed = `${errText}\ncompiling ${job.src} failed (exit ${code})` + (/\bv8\.h\b/.test(errText)
              ? '\n  the Windows prebuild links only against node.exe\'s Node-API exports: the binding must not use V8 headers' : '');
          }
          else if (errText && !quiet) process.stderr.write(errText);
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failed) fail(failed);
}

function importedDlls(file) {
  const dump = execFileSync(TOOLS.objdump, ['-p', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return [...dump.matchAll(/^\s*DLL Name: (\S+)/gm)].map((m) => m[1]);
}

async function crossBuild() {
  checkToolchain();
  const t = gypTarget();
  const api = apiPaths();
  const work = path.join(root, 'build', 'win32-x64');
  fs.mkdirSync(work, { recursive: true });

  // Import library for node.exe's Node-API exports.
  const implib = path.join(work, 'libnode_api.a');
  run(TOOLS.dlltool, ['-d', api.def, '-D', 'node.exe', '-l', implib, '-m', 'i386:x86-64']);

  const defines = (t.defines || []).map((d) => `-D${d}`);
  const includes = ['-I', api.include, '-I', api.addonApi,
    ...(t.include_dirs || []).filter((d) => !d.startsWith('<!')).map((d) => `-I${path.resolve(root, d)}`)];
  const cflags = (t.cflags || []).filter((f) => !(t['cflags!'] || []).includes(f));
  const common = ['-c', '-O2', '-Wall', '-Wextra', ...cflags, ...defines, ...includes];
  const jobs = t.sources.map((src) => {
    const isC = src.endsWith('.c');
    const obj = path.join(work, src.replace(/[\\/]/g, '_').replace(/\.(c|cc|cpp)$/, '.o'));
    return {
      src,
      obj,
      cmd: isC ? TOOLS.cc : TOOLS.cxx,
      args: [...common, ...(isC ? (t.cflags_c || ['-std=c11']) : (t.cflags_cc || ['-std=c++17'])),
        path.join(root, src), '-o', obj],
    };
  });
  log(`prebuild-win: compiling ${jobs.length} sources with mingw-w64`);
  await compileAll(jobs);

  fs.mkdirSync(outDir, { recursive: true });
  const tmpOut = `${outFile}.tmp`;
  run(TOOLS.cxx, ['-shared', '-s', '-o', tmpOut, ...jobs.map((j) => j.obj), implib,
    '-static-libgcc', '-static-libstdc++', '-static']);

  const dlls = importedDlls(tmpOut);
  const extra = dlls.filter((d) => !ALLOWED_IMPORTS.includes(d.toLowerCase()));
  if (extra.length) {
    fs.unlinkSync(tmpOut);
    fail(`the addon would import ${extra.join(', ')} besides ${ALLOWED_IMPORTS.join(', ')}; link it statically`);
  }
  fs.renameSync(tmpOut, outFile);
  log(`prebuild-win: ${path.relative(root, outFile)} (${fs.statSync(outFile).size} bytes; imports ${dlls.join(', ')})`);
}

function nativeBuild() {
  // Windows with MSVC (the CI workflow): node-gyp for the running Node (a Windows Node has no
  // include/ folder, so node-gyp fetches headers and node.lib itself), then the cross build's file name.
  const gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  execFileSync(process.execPath, [gyp, 'rebuild'], { stdio: 'inherit', cwd: root });
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(root, 'build', 'Release', 'ntcopy.node'), outFile);
  log(`prebuild-win: ${path.relative(root, outFile)} (node-gyp, Node ${process.version})`);
}

if (process.platform === 'win32') nativeBuild();
else crossBuild().catch((e) => fail(e.stack || String(e)));
