import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StatsResponse, TestResult } from '../../shared/workshop';
import type { AppContext } from '../context';
import { workshopStats } from './stats';

// Prometheus figures of the workshop on the app's registry: counters and the test latency
// histogram as things happen; the seed's Monitoring figures as gauges computed at scrape time.

const STATS_DAYS = 30;
const STATS_TTL_MS = 5000;

export interface WorkshopMetrics {
  started(origin: 'blank' | 'clone'): void;
  tested(result: TestResult): void;
  committed(): void;
}

export function createWorkshopMetrics(ctx: AppContext, registry: Registry): WorkshopMetrics {
  const registers = [registry];
  const sessions = new Counter({
    name: 'workshop_sessions_started_total',
    help: 'Workshops started, by origin (blank/requirements or clone)',
    labelNames: ['origin'] as const,
    registers,
  });
  const tests = new Counter({
    name: 'workshop_tests_total',
    help: 'Draft test runs, by outcome',
    labelNames: ['status'] as const,
    registers,
  });
  const commits = new Counter({
    name: 'workshop_commits_total',
    help: 'Drafts committed to the library',
    registers,
  });
  const latency = new Histogram({
    name: 'workshop_test_duration_seconds',
    help: 'Time of a draft test run (retrieval and the model answer)',
    labelNames: ['status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers,
  });

  // One stats query per scrape, shared by every gauge below.
  let cached: { at: number; stats: Promise<StatsResponse> } | null = null;
  const stats = () => {
    if (!cached || Date.now() - cached.at > STATS_TTL_MS) {
      cached = { at: Date.now(), stats: workshopStats(ctx, null, STATS_DAYS) };
    }
    return cached.stats;
  };
  const gauge = (name: string, help: string, pick: (s: StatsResponse) => number | null) =>
    new Gauge({
      name,
      help: `${help} (last ${STATS_DAYS} days)`,
      registers,
      async collect() {
        this.set((pick(await stats()) ?? Number.NaN) as number);
      },
    });
  gauge('workshop_sessions_last_30_days', 'Workshops started', (s) => s.workshops_started);
  gauge(
    'workshop_average_tests_per_draft',
    'Average test runs per workshop started',
    (s) => s.average_tests_per_draft,
  );
  gauge('workshop_commit_rate', 'Share of workshops started that were committed', (s) => s.commit_rate);
  gauge('workshop_average_rating', 'Average user rating of test runs', (s) => s.average_rating);
  gauge(
    'workshop_average_time_in_workshop_seconds',
    'Mean time from a workshop start to its last activity',
    (s) => s.average_time_in_workshop_seconds,
  );
  return {
    started: (origin) => sessions.inc({ origin }),
    tested: (r) => {
      tests.inc({ status: r.status });
      latency.observe({ status: r.status }, r.execution_time_ms / 1000);
    },
    committed: () => commits.inc(),
  };
}
