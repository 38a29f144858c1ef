import type { StatsResponse } from '../../shared/workshop';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import * as repo from './events-repository';

// The figures of the seed's Monitoring section, from workshop_events (which outlive deleted
// drafts) and the current ratings of stored test runs.

const MOST_CLONED = 10;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Administrators see every user's workshops; members see their own. */
export async function workshopStats(
  ctx: AppContext,
  user: AuthUser | null,
  days: number,
): Promise<StatsResponse> {
  const scopeUser = user && user.role !== 'admin' ? user.id : undefined;
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  const [counts, perDay, committed, spans, cloned, rating] = await Promise.all([
    repo.countEventsByKind(ctx.db, since, scopeUser),
    repo.startedPerDay(ctx.db, since, scopeUser),
    repo.countCommittedStarts(ctx.db, since, scopeUser),
    repo.activitySpans(ctx.db, since, scopeUser),
    repo.mostCloned(ctx.db, since, scopeUser, MOST_CLONED),
    repo.ratingSummary(ctx.db, since, scopeUser),
  ]);
  const started = counts.started + counts.cloned;
  const durations = spans.map((s) => (Date.parse(s.last) - Date.parse(s.first)) / 1000);
  return {
    scope: scopeUser === undefined ? 'all' : 'mine',
    days,
    workshops_started: started,
    workshops_per_day: perDay,
    tests_run: counts.tested,
    average_tests_per_draft: started === 0 ? null : round(counts.tested / started),
    commits: counts.committed,
    commit_rate: started === 0 ? null : round(committed / started, 4),
    average_rating: rating.average === null ? null : round(rating.average),
    ratings: rating.count,
    average_time_in_workshop_seconds:
      durations.length === 0 ? null : round(durations.reduce((a, b) => a + b, 0) / durations.length, 1),
    most_cloned_prompts: cloned,
  };
}
