import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time (all threads, user + system) per request in µs; NaN when not measurable. */
  serverCpuUs: number;
}

export interface LoadOptions {
  /** The server's pid: its CPU time per request is the figure that load on the machine disturbs least. */
  pid?: number;
  /** Unmeasured seconds first, so both targets are measured with warm JIT and caches. Default 1. */
  warmupSeconds?: number;
  connections?: number;
  /**
   * autocannon worker threads. One client thread tops out near the bare route's rate, which would
   * make the baseline client-bound and flatter every ratio; two keep the client ahead. Default 2.
   */
  workers?: number;
}

/** CPU seconds (user + system, all threads) a process has used so far; NaN off Linux. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Drives one URL with autocannon for `seconds` and returns throughput and latency percentiles. */
export async function load(
  url: string,
  headers: Record<string, string> = {},
  seconds = 5,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const { pid, warmupSeconds = 1, connections = 20, workers = 2 } = options;
  const base = { url, headers, connections, ...(workers > 1 ? { workers } : {}) };
  if (warmupSeconds > 0) await autocannon({ ...base, duration: warmupSeconds });
  const cpuBefore = pid ? cpuSeconds(pid) : Number.NaN;
  const r = await autocannon({ ...base, duration: seconds });
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : Number.NaN;
  const requests = r.requests.total;
  return {
    rps: Math.round(requests / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    serverCpuUs: Math.round((cpu * 1e6) / requests),
  };
}

export const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

/** One table row for a load result, with ratios against the baseline measured in the same run. */
export const loadRow = (
  target: string,
  r: LoadResult,
  bare?: LoadResult,
): Record<string, string | number> => ({
  target,
  rps: r.rps,
  p50_ms: r.p50,
  p99_ms: r.p99,
  server_cpu_us_per_req: Number.isNaN(r.serverCpuUs) ? '-' : r.serverCpuUs,
  vs_bare: bare ? ratio(r.rps, bare.rps) : '100 %',
  // What the ratio would be if the server had a core to itself: the machine's other load moves it least.
  vs_bare_by_cpu: bare && !Number.isNaN(r.serverCpuUs) ? ratio(bare.serverCpuUs, r.serverCpuUs) : '100 %',
});
