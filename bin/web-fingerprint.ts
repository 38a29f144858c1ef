// What the built web app depends on, as one hash: the web and shared sources, the Vite config and
// the locked dependencies. `npm start` rebuilds only when it differs from the last build's.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const INPUTS = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'];
export const STAMP = '.source-fingerprint';

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true })
    .map((f) => join(full, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** A hash over the path and content of every input file under `root`. */
export function webFingerprint(root: string): string {
  const hash = createHash('sha256');
  const all = INPUTS.flatMap((p) => files(root, p)).sort();
  for (const file of all) {
    if (file.endsWith('.test.ts')) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** The fingerprint the build in `outDir` was made from, or null when there is none. */
export function builtFingerprint(outDir: string): string | null {
  const stamp = join(outDir, STAMP);
  return existsSync(stamp) && existsSync(join(outDir, 'index.html'))
    ? readFileSync(stamp, 'utf8').trim()
    : null;
}
