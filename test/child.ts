// Runs a script in a fresh `node --expose-gc` against the built package (dist/), for GC and
// process-level checks that must not depend on how jest itself was started.
import { spawnSync } from 'child_process';
import * as path from 'path';

export function runChild(body: string, timeoutMs = 60000): { status: number | null; stdout: string; stderr: string } {
  const root = path.join(__dirname, '..');
  const script = `const nt = require(${JSON.stringify(root)});\nconst { native } = require(${JSON.stringify(root + '/dist/native')});\n${body}`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
