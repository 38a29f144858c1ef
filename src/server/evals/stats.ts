import { mean, median } from 'simple-statistics';

// Figures over runs of prompt texts, computed on the server and served by the API (the web app
// draws them). simple-statistics does the arithmetic; this file decides what goes in each figure.

/** One run of a prompt text, from whichever feature stored it (a workshop test, later a cell). */
export interface RunFigures {
  sha256: string;
  status: 'ok' | 'error';
  execution_time_ms: number;
  cost_usd: number | null;
  user_rating: number | null;
  created_at: string;
}

export interface PromptTextSummary {
  sha256: string;
  /** 1 for the first text tested, counting up in the order the texts were first tested. */
  number: number;
  runs: number;
  failed: number;
  rated: number;
  /** Mean of the ratings given; null when none was rated. */
  mean_rating: number | null;
  /** Median time of the successful runs (failures end early and would pull it down); null when none succeeded. */
  median_ms: number | null;
  /** Mean cost of the runs whose cost is known; null when none is. */
  mean_cost_usd: number | null;
  last_tested_at: string;
}

/** Runs grouped by the exact prompt text they ran, the most recently tested text first. */
export function summarizeByPromptText(runs: readonly RunFigures[]): PromptTextSummary[] {
  const groups = new Map<string, RunFigures[]>();
  const oldestFirst = [...runs].sort((a, b) => a.created_at.localeCompare(b.created_at));
  for (const r of oldestFirst) {
    const group = groups.get(r.sha256);
    if (group) group.push(r);
    else groups.set(r.sha256, [r]);
  }
  const summaries = [...groups].map(([sha256, group], i): PromptTextSummary => {
    const ratings = group.flatMap((r) => (r.user_rating === null ? [] : [r.user_rating]));
    const ok = group.filter((r) => r.status === 'ok');
    const costs = group.flatMap((r) => (r.cost_usd === null ? [] : [r.cost_usd]));
    return {
      sha256,
      number: i + 1,
      runs: group.length,
      failed: group.length - ok.length,
      rated: ratings.length,
      mean_rating: ratings.length ? mean(ratings) : null,
      median_ms: ok.length ? median(ok.map((r) => r.execution_time_ms)) : null,
      mean_cost_usd: costs.length ? mean(costs) : null,
      last_tested_at: group[group.length - 1].created_at,
    };
  });
  return summaries.sort((a, b) => b.last_tested_at.localeCompare(a.last_tested_at));
}
