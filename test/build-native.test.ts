// Source builds use the running Node's own headers (issue 14 part 5): scripts/build-native.js --check-headers
// finds include/node next to process.execPath, ignores npm_config_nodedir (this machine's npmrc sets it, and it
// outranks node-gyp's --nodedir), and refuses headers of another Node version with a message naming both.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const script = path.join(__dirname, '..', 'scripts', 'build-native.js');
const ownInclude = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');

/** A Node prefix whose include/node claims to be `version`. */
function fakeNodeDir(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntcopy-headers-'));
  const [major, minor, patch] = version.slice(1).split('.');
  fs.mkdirSync(path.join(dir, 'include', 'node'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'include', 'node', 'node_version.h'),
    `#define NODE_MAJOR_VERSION ${major}\n#define NODE_MINOR_VERSION ${minor}\n#define NODE_PATCH_VERSION ${patch}\n`);
  fs.writeFileSync(path.join(dir, 'include', 'node', 'node_api.h'), '/* fake */\n');
  return dir;
}

function check(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_config_nodedir|NTCOPY_NODEDIR)$/i.test(k)));
  return spawnSync(process.execPath, [script, '--check-headers'], { encoding: 'utf8', env: { ...clean, ...env } });
}

const other = process.version.startsWith('v19.') ? 'v18.20.8' : 'v19.9.0';

test('headers of another Node version: the check fails, naming both versions and the directory', () => {
  const dir = fakeNodeDir(other);
  try {
    const r = check({ NTCOPY_NODEDIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`header mismatch: ${path.join(dir, 'include', 'node')} is Node ${other}, but this build runs on Node ${process.version}`);
    expect(r.stderr).toContain('refusing to build');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm_config_nodedir naming other headers is ignored: the running Node\'s own include/node is used', () => {
  const dir = fakeNodeDir(other);
  try {
    const r = check({ npm_config_nodedir: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`ignoring npm_config_nodedir=${dir}`);
    expect(r.stdout).toContain(`Node ${process.version} headers: ${ownInclude}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory without Node headers: the check fails and says what to set', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntcopy-noheaders-'));
  try {
    const r = check({ NTCOPY_NODEDIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no Node headers (include/node/node_version.h and node_api.h) under ${dir}`);
    expect(r.stderr).toContain(`include/node for ${process.version}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('node-gyp runs without npm\'s header settings in its environment (they outrank --nodedir)', () => {
  const { gypEnv } = require(script) as { gypEnv: (extra?: Record<string, string>) => NodeJS.ProcessEnv };
  const saved = { ...process.env };
  Object.assign(process.env, { npm_config_nodedir: '/x', NPM_CONFIG_NODEDIR: '/x', npm_config_target: '19.0.0', npm_config_disturl: 'x',
    npm_config_dist_url: 'x', npm_config_runtime: 'electron', npm_config_node_gyp: '/x/node-gyp.js', npm_config_jobs: '2' });
  try {
    const env = gypEnv({ NODE_PATH: '/tools' });
    expect(Object.keys(env).filter((k) => /nodedir|target|dist_?url|runtime|node_gyp/i.test(k) && /^npm_config_/i.test(k))).toEqual([]);
    expect(env.npm_config_jobs).toBe('2'); // the rest of npm's configuration stays
    expect(env.NODE_PATH).toBe('/tools');
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
