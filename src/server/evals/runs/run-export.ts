import { isRunActive, type ReportFormat } from '../../../shared/evals';
import type { AuthUser } from '../../auth/types';
import type { AppContext } from '../../context';
import { conflict } from '../../errors';
import { withFailures } from '../scoring/service';
import { type CellPages, writeReport } from './report-formats';
import * as repo from './repository';
import { getRun, getRunRow, toCellResponse, versionCases } from './service';

// GET …/runs/{id}/export: the file `prompt-workshop eval --output` writes, for an ended run, read a
// page of cells at a time so a 400,000-cell run streams without being held.

const FILES: Record<ReportFormat, { extension: string; contentType: string }> = {
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
  junit: { extension: 'xml', contentType: 'application/xml; charset=utf-8' },
};

/**
 * The run's report: checked (another user's run is 404, a run still working or holding cells 409)
 * before the first byte, then its chunks. A running run's JUnit counts would not match its cases,
 * and its CSV would miss the cells still to come, so only an ended run with every cell settled is
 * exported.
 */
export async function exportRun(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  format: ReportFormat,
  pageSize = 500,
) {
  const [run, row] = await Promise.all([getRun(ctx, user, id), getRunRow(ctx, user, id)]);
  if (isRunActive(run.status))
    throw conflict(`Run ${id} is ${run.status}: its results can be exported once it ends`);
  // A cancelled run's cells still held by a worker are skipped within moments (a lease at most).
  const held = run.counts.pending + run.counts.running;
  if (held > 0)
    throw conflict(
      `Run ${id} is ${run.status}, but ${held === 1 ? '1 of its cells is' : `${held} of its cells are`} still held by a worker: its results can be exported once they are skipped`,
    );
  // The cases of the version the run used, not the suite's current ones.
  const cases = await versionCases(ctx, row.suite_version_id);
  const pages: CellPages = async function* (variant) {
    let after: repo.CellKey | null = null;
    for (;;) {
      const rows = await repo.cellsAfter(ctx.db, id, { after, limit: pageSize, variant_index: variant });
      if (rows.length === 0) return;
      yield await withFailures(ctx, rows.map(toCellResponse));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = [last.case_index, last.variant_index, last.repetition];
    }
  };
  const { extension, contentType } = FILES[format];
  return { file: `run-${id}.${extension}`, contentType, chunks: writeReport(format, { run, cases }, pages) };
}
