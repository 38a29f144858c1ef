import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtFingerprint, STAMP, webFingerprint } from '../bin/web-fingerprint';

// `npm start` rebuilds the web app only when what it is built from changed.

describe('the web build fingerprint', () => {
  const root = mkdtempSync(join(tmpdir(), 'pw-fp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'src/web/pages'), { recursive: true });
  mkdirSync(join(root, 'src/shared'), { recursive: true });
  writeFileSync(join(root, 'src/web/pages/a.tsx'), 'export const a = 1;');
  writeFileSync(join(root, 'src/shared/b.ts'), 'export const b = 2;');
  writeFileSync(join(root, 'package-lock.json'), '{}');

  it('changes with any input file and ignores tests and other folders', () => {
    const first = webFingerprint(root);
    expect(webFingerprint(root)).toBe(first);
    writeFileSync(join(root, 'src/web/pages/a.test.ts'), 'test');
    mkdirSync(join(root, 'src/server'));
    writeFileSync(join(root, 'src/server/c.ts'), 'server');
    expect(webFingerprint(root)).toBe(first);
    writeFileSync(join(root, 'src/shared/b.ts'), 'export const b = 3;');
    expect(webFingerprint(root)).not.toBe(first);
  });

  it('reads the stamp of a build only when the build is there', () => {
    const out = join(root, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, STAMP), 'abc\n');
    expect(builtFingerprint(out)).toBeNull();
    writeFileSync(join(out, 'index.html'), '<!doctype html>');
    expect(builtFingerprint(out)).toBe('abc');
  });

  it('skips the build on start when nothing changed since the last one (npm test builds first)', () => {
    const index = join('dist/web/index.html');
    const before = statSync(index).mtimeMs;
    const out = execFileSync('npx', ['tsx', 'bin/build-web.ts'], { encoding: 'utf8' });
    expect(out).toMatch(/^Web app is up to date \(checked in \d+ ms\)\n$/);
    expect(statSync(index).mtimeMs).toBe(before);
  });
});
