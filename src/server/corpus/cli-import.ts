import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportFormat, ImportResponse } from '../../shared/corpus';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { IMPORT_BATCH, importArticles } from './import';

// `prompt-workshop import FILE --topic NAME [--format]`: the file, a progress bar, a summary.

const EXTENSIONS: Record<string, ImportFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.xml': 'rss',
  '.rss': 'rss',
  '.atom': 'rss',
};

export function formatFromPath(file: string): ImportFormat {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format)
    throw badRequest(`Cannot tell the format of ${file} from its extension; pass --format jsonl|csv|rss`);
  return format;
}

/** A one-line percentage bar, redrawn in place when the percentage changes. */
export function progressBar(stream: NodeJS.WriteStream, width = 30) {
  let shown = -1;
  return {
    update(done: number, total: number) {
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (pct === shown) return;
      shown = pct;
      const filled = Math.round((pct / 100) * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ` +
          `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`,
      );
    },
    end() {
      if (shown >= 0) stream.write('\n');
    },
  };
}

export async function importFile(
  ctx: AppContext,
  file: string,
  opts: { topic: string; format?: ImportFormat },
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<ImportResponse> {
  const format = opts.format ?? formatFromPath(file);
  const text = await readFile(file, 'utf8');
  // Only a terminal gets the bar, and only when the file needs more than one batch.
  const bar = stderr.isTTY ? progressBar(stderr) : null;
  const result = await importArticles(ctx, {
    topic: opts.topic,
    format,
    text,
    onProgress: (done, total) => {
      if (bar && total > IMPORT_BATCH) bar.update(done, total);
    },
  });
  bar?.end();
  return result;
}

/** The human summary printed after an import. */
export function importSummary(topic: string, r: ImportResponse, maxErrors = 20): string {
  const lines = [
    `Imported ${r.imported} article${r.imported === 1 ? '' : 's'} into "${topic}"; ` +
      `${r.skipped_duplicates} duplicate URL${r.skipped_duplicates === 1 ? '' : 's'} skipped; ` +
      `${r.error_count} malformed record${r.error_count === 1 ? '' : 's'}.`,
  ];
  for (const e of r.errors.slice(0, maxErrors)) lines.push(`  line ${e.line}: ${e.message}`);
  if (r.error_count > maxErrors) lines.push(`  … and ${r.error_count - maxErrors} more`);
  return lines.join('\n');
}
