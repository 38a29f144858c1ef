import { useQuery } from '@tanstack/react-query';
import {
  type CreateRunRequest,
  type CreateSuiteRequest,
  dryRunResponse,
  type ImportSuiteRequest,
  importSuiteResponse,
  isRunActive,
  listCellsResponse,
  listRunsResponse,
  listSuitesResponse,
  type ReportFormat,
  runResponse,
  type SuiteFormat,
  suiteResponse,
  type UpdateSuiteRequest,
} from '../../shared/evals';
import { api, sendNoContent } from './http';

// Evaluation suites and runs: /api/evals/suites, /api/evals/runs.

const suites = '/api/evals/suites';
const runs = '/api/evals/runs';

export const evalKeys = {
  all: ['evals'] as const,
  suites: ['evals', 'suites'] as const,
  suite: (id: number) => ['evals', 'suites', id] as const,
  runs: ['evals', 'runs'] as const,
  run: (id: number) => ['evals', 'runs', id] as const,
  cells: (id: number) => ['evals', 'runs', id, 'cells'] as const,
};

export function useSuites() {
  return useQuery({
    queryKey: evalKeys.suites,
    queryFn: async () => (await api('GET', suites, listSuitesResponse)).suites,
  });
}

export function useSuite(id: number | null) {
  return useQuery({
    queryKey: evalKeys.suite(id ?? 0),
    queryFn: () => api('GET', `${suites}/${id}`, suiteResponse),
    enabled: id !== null,
  });
}

export function useRuns() {
  return useQuery({
    queryKey: evalKeys.runs,
    queryFn: async () => (await api('GET', runs, listRunsResponse)).runs,
  });
}

/** Per run: when this page first saw it ended with cells still held (this browser's clock). */
const settlingSince = new Map<number, number>();

export function useRun(id: number) {
  return useQuery({
    queryKey: evalKeys.run(id),
    queryFn: () => api('GET', `${runs}/${id}`, runResponse),
    // A cancelled run has ended before the processes running it have skipped the cells they held
    // (a moment later): read it again until none is left, since its event stream has stopped. Not
    // for ever: a process that died holding cells leaves them running.
    refetchInterval: (q) => {
      const r = q.state.data;
      if (!r || isRunActive(r.status) || r.counts.pending + r.counts.running === 0) {
        settlingSince.delete(id);
        return false;
      }
      const since = settlingSince.get(id) ?? Date.now();
      settlingSince.set(id, since);
      return Date.now() - since < 60_000 ? 1_000 : false;
    },
  });
}

export const createSuite = (body: Partial<CreateSuiteRequest> & { name: string }) =>
  api('POST', suites, suiteResponse, body);
export const updateSuite = (id: number, body: UpdateSuiteRequest) =>
  api('PUT', `${suites}/${id}`, suiteResponse, body);
export const addCases = (id: number, cases: CreateSuiteRequest['cases']) =>
  api('POST', `${suites}/${id}/cases`, suiteResponse, { cases });
export const deleteSuite = (id: number) => sendNoContent('DELETE', `${suites}/${id}`);
export const importSuite = (id: number, body: ImportSuiteRequest) =>
  api('POST', `${suites}/${id}/import`, importSuiteResponse, body);
export const exportUrl = (id: number, format: SuiteFormat) => `${suites}/${id}/export?format=${format}`;
export const runExportUrl = (id: number, format: ReportFormat) => `${runs}/${id}/export?format=${format}`;

type RunInput = Omit<CreateRunRequest, 'dry_run' | 'variants'> & {
  variants: (Partial<CreateRunRequest['variants'][number]> & { prompt: string })[];
};
export const estimateRun = (body: RunInput, signal?: AbortSignal) =>
  api('POST', runs, dryRunResponse, { ...body, dry_run: true }, { signal });
export const startRun = (body: RunInput) => api('POST', runs, runResponse, body);
export const cancelRun = (id: number) => api('POST', `${runs}/${id}/cancel`, runResponse);

/** One page of a run's cells, in (case, variant, repetition) order. */
export const fetchCells = (id: number, offset: number, limit: number) =>
  api('GET', `${runs}/${id}/cells?offset=${offset}&limit=${limit}`, listCellsResponse);
export const runEventsUrl = (id: number) => `${runs}/${id}/events`;
