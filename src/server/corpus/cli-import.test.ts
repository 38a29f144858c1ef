import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app';
import { freshSqlite } from '../../../test/helpers/databases';
import { formatFromPath, importFile, importSummary } from './cli-import';
import { IMPORT_BATCH } from './import';

/** Collects what would have been written to a terminal (or a pipe). */
function fakeStderr(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, output: () => chunks.join('') };
}

describe('prompt-workshop import', () => {
  let t: TestApp;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    t = await startTestApp(freshSqlite());
    dir = mkdtempSync(join(tmpdir(), 'pw-import-'));
    file = join(dir, 'articles.jsonl');
    const rows = Array.from({ length: IMPORT_BATCH * 2 }, (_, i) =>
      JSON.stringify({ title: `Row ${i}`, url: `https://cli.test/${i}`, published_at: '2025-01-01' }),
    );
    writeFileSync(file, [...rows, 'oops', rows[0]].join('\n'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a.jsonl', 'jsonl'],
    ['a.NDJSON', 'jsonl'],
    ['feed.csv', 'csv'],
    ['feed.xml', 'rss'],
    ['feed.atom', 'rss'],
  ])('reads the format of %s from its extension', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it('refuses an extension it does not know', () => {
    expect(() => formatFromPath('notes.txt')).toThrow('pass --format jsonl|csv|rss');
  });

  it('draws a progress bar on a terminal and prints a summary with line numbers', async () => {
    const tty = fakeStderr(true);
    const result = await importFile(t.ctx, file, { topic: 'CLI' }, tty.stream);
    expect(result).toMatchObject({ imported: 1000, skipped_duplicates: 1, error_count: 1 });
    const frames = tty.output().split('\r').filter(Boolean);
    expect(frames.at(-1)).toBe('[##############################] 100% 1,001/1,001\n');
    expect(frames.length).toBeGreaterThan(1);
    expect(importSummary('CLI', result)).toBe(
      'Imported 1000 articles into "CLI"; 1 duplicate URL skipped; 1 malformed record.\n' +
        `  line 1001: ${result.errors[0].message}`,
    );
  });

  it('keeps a pipe free of progress output', async () => {
    const pipe = fakeStderr(false);
    const result = await importFile(t.ctx, file, { topic: 'CLI' }, pipe.stream);
    expect(result).toMatchObject({ imported: 0, skipped_duplicates: 1001 });
    expect(pipe.output()).toBe('');
  });
});
