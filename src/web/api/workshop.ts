import { type InfiniteData, keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  type CloneResponse,
  type CommitRequest,
  cloneResponse,
  commitResponse,
  type DraftResponse,
  type DraftStatus,
  deleteDraftResponse,
  draftConflictResponse,
  draftResponse,
  draftSummaryResponse,
  type ListTestsResponse,
  listDraftsResponse,
  listTestsResponse,
  type RateTestRequest,
  type RunTestRequest,
  type StartWorkshopRequest,
  startWorkshopResponse,
  type TestResult,
  testResult,
  type UpdateDraftRequest,
} from '../../shared/workshop';
import { ApiError, api, type RequestOptions } from './http';
import { postSse } from './sse';

// The workshop routes of the seed: /api/auspex/prompts/workshop/...

const base = '/api/auspex/prompts/workshop';
const draftPath = (id: number) => `${base}/drafts/${id}`;

export const workshopKeys = {
  drafts: (status: DraftStatus | 'all') => ['drafts', 'list', status] as const,
  allDrafts: ['drafts', 'list'] as const,
  draft: (id: number) => ['drafts', 'one', id] as const,
  tests: (id: number) => ['drafts', 'tests', id] as const,
  /** Under tests(id): invalidating the tests refreshes the figures too. */
  summary: (id: number) => ['drafts', 'tests', id, 'summary'] as const,
};

export function useDrafts(status: DraftStatus | 'all') {
  return useQuery({
    queryKey: workshopKeys.drafts(status),
    queryFn: () =>
      api(
        'GET',
        status === 'all' ? `${base}/drafts` : `${base}/drafts?status_filter=${status}`,
        listDraftsResponse,
      ),
    // Changing the filter keeps the current list on screen until the new one arrives.
    placeholderData: keepPreviousData,
  });
}

export function useDraft(id: number | null) {
  return useQuery({
    queryKey: workshopKeys.draft(id ?? 0),
    queryFn: () => api('GET', draftPath(id!), draftResponse),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The draft's test history, a page (the server's default 20) at a time, newest first: pageParam is
 * the `before` cursor, and the server's `next_before` says where the next older page starts.
 */
export function useDraftTests(id: number | null) {
  return useInfiniteQuery({
    queryKey: workshopKeys.tests(id ?? 0),
    queryFn: ({ pageParam }) =>
      api(
        'GET',
        pageParam === null
          ? `${draftPath(id!)}/tests`
          : `${draftPath(id!)}/tests?before=${encodeURIComponent(pageParam)}`,
        listTestsResponse,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_before,
    enabled: id !== null,
  });
}

/** The shape the tests query caches: the pages loaded so far, newest page first. */
export type DraftTestPages = InfiniteData<ListTestsResponse, string | null>;

/** The server's figures per prompt text tested (runs, ratings, median time, mean cost). */
export function useDraftSummary(id: number | null) {
  return useQuery({
    queryKey: workshopKeys.summary(id ?? 0),
    queryFn: () => api('GET', `${draftPath(id!)}/summary`, draftSummaryResponse),
    enabled: id !== null,
  });
}

export const startWorkshop = (body: StartWorkshopRequest = {}) =>
  api('POST', `${base}/start`, startWorkshopResponse, body);

/** Clones one version of a library prompt; without `version`, its newest. */
export const clonePrompt = (name: string, version?: number): Promise<CloneResponse> =>
  api(
    'POST',
    `/api/auspex/prompts/${encodeURIComponent(name)}/clone${version === undefined ? '' : `?version=${version}`}`,
    cloneResponse,
  );

export const deleteDraft = (id: number) => api('DELETE', draftPath(id), deleteDraftResponse);

export type SaveResult = { ok: true; draft: DraftResponse } | { ok: false; conflict: DraftResponse };

/** PUT with the revision the edit is based on; a stale revision comes back as the current draft. */
export async function updateDraft(
  id: number,
  body: UpdateDraftRequest,
  opts?: RequestOptions,
): Promise<SaveResult> {
  try {
    return { ok: true, draft: await api('PUT', draftPath(id), draftResponse, body, opts) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      const parsed = draftConflictResponse.safeParse(err.body);
      if (parsed.success) return { ok: false, conflict: parsed.data.current };
    }
    throw err;
  }
}

export const getDraft = (id: number) => api('GET', draftPath(id), draftResponse);

export const commitDraft = (id: number, body: CommitRequest) =>
  api('POST', `${draftPath(id)}/commit`, commitResponse, body);

export const rateTest = (draftId: number, testId: string, body: RateTestRequest) =>
  api('PATCH', `${draftPath(draftId)}/tests/${encodeURIComponent(testId)}`, testResult, body);

/** Runs a test with the answer streamed; resolves with the stored result (status ok or error). */
export async function runTest(
  draftId: number,
  body: Partial<RunTestRequest> & Pick<RunTestRequest, 'test_query' | 'topic'>,
  onContent: (chunk: string) => void,
  signal?: AbortSignal,
): Promise<{ result: TestResult | null; error: string | null }> {
  let result: TestResult | null = null;
  let error: string | null = null;
  await postSse(
    `${draftPath(draftId)}/test`,
    body,
    {
      onContent,
      onError: (message) => {
        error = message;
      },
      onDone: (event) => {
        const parsed = testResult.safeParse(event.result ?? event);
        if (parsed.success) result = parsed.data;
      },
    },
    signal,
  );
  return { result, error };
}
