import { plural } from '../../shared/plural';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import { type PeriodicJob, startPeriodicJob } from '../jobs';
import * as events from './events-repository';
import * as repo from './repository';
import { removeDraft } from './service';

// Drafts untouched for DRAFT_RETENTION_DAYS go, with their chats and test runs; library prompts
// made from them stay (prompt_versions.source_draft_id is a plain number, not a foreign key).

export const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 60 * 1000;

export const retentionCutoff = (ctx: AppContext, now = Date.now()) =>
  new Date(now - ctx.config.draftRetentionDays * 86_400_000).toISOString();

export interface CleanupResult {
  cutoff: string;
  drafts: repo.StaleDraft[];
  /** How many were removed (0 on a dry run). */
  removed: number;
}

export async function cleanupExpiredDrafts(
  ctx: AppContext,
  opts: { dryRun?: boolean; now?: number } = {},
): Promise<CleanupResult> {
  const cutoff = retentionCutoff(ctx, opts.now);
  const drafts = await repo.findStaleDrafts(ctx.db, cutoff);
  if (opts.dryRun) return { cutoff, drafts, removed: 0 };
  let removed = 0;
  for (const draft of drafts) {
    // One transaction a draft, re-checked inside it: a draft touched meanwhile stays.
    const gone = await ctx.db.transaction().execute(async (trx) => {
      const still = await repo.findStaleDraft(trx, draft.id, cutoff);
      if (!still || !(await removeDraft(trx, still))) return false;
      await events.insertEvent(trx, {
        kind: 'expired',
        user_id: still.user_id,
        draft_id: still.id,
        at: nowIso(),
      });
      return true;
    });
    if (gone) removed++;
  }
  if (removed > 0) ctx.log.info(`Removed ${plural(removed, 'draft')} untouched since ${cutoff}`);
  return { cutoff, drafts, removed };
}

/** What `prompt-workshop cleanup [--dry-run]` prints: one line a draft, then a summary. */
export function cleanupReport(result: CleanupResult, opts: { dryRun: boolean; days: number }): string {
  const lines = result.drafts.map(
    (d) => `${d.id}\t${d.username}\t${d.status}\t${d.updated_at}\t${d.draft_name}`,
  );
  const n = opts.dryRun ? result.drafts.length : result.removed;
  const what = `${plural(n, 'draft')} untouched for ${plural(opts.days, 'day')} (with their chats and test runs)`;
  lines.push(opts.dryRun ? `Would remove ${what}.` : `Removed ${what}.`);
  return lines.join('\n');
}

/** Runs the cleanup a minute after start and then hourly; stop() waits for a run in progress. */
export function startCleanupJob(ctx: AppContext, intervalMs = CLEANUP_INTERVAL_MS): PeriodicJob {
  return startPeriodicJob(
    ctx,
    'draft cleanup',
    () => cleanupExpiredDrafts(ctx),
    intervalMs,
    FIRST_RUN_DELAY_MS,
  );
}
