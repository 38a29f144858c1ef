import { useQuery } from '@tanstack/react-query';
import {
  agreementResponse,
  cellDetailResponse,
  type RescoreRequest,
  type ReviewRequest,
  rescoreResponse,
  reviewQueueResponse,
} from '../../shared/scoring';
import { evalKeys } from './evals';
import { api, sendNoContent } from './http';

// Scores of a run's cells: one cell in full, human reviews, the review queue, judge agreement and
// re-scoring (/api/evals/runs/{id}/…).

const runs = '/api/evals/runs';

export const scoringKeys = {
  cell: (runId: number, cellId: number) => [...evalKeys.run(runId), 'cell', cellId] as const,
  /** Every cell detail of a run (to refresh them all after a re-score). */
  cells: (runId: number) => [...evalKeys.run(runId), 'cell'] as const,
  queue: (runId: number, disagreements: boolean, offset: number) =>
    [...evalKeys.run(runId), 'review-queue', disagreements, offset] as const,
  queues: (runId: number) => [...evalKeys.run(runId), 'review-queue'] as const,
  agreement: (runId: number) => [...evalKeys.run(runId), 'agreement'] as const,
};

export const fetchCellDetail = (runId: number, cellId: number) =>
  api('GET', `${runs}/${runId}/cells/${cellId}`, cellDetailResponse);

export function useCellDetail(runId: number, cellId: number | null) {
  return useQuery({
    queryKey: scoringKeys.cell(runId, cellId ?? 0),
    queryFn: () => fetchCellDetail(runId, cellId ?? 0),
    enabled: cellId !== null,
  });
}

/** Omitted fields keep their stored value. keepalive: a save sent as the page reloads still lands. */
export const saveReview = (runId: number, cellId: number, body: ReviewRequest) =>
  api('PUT', `${runs}/${runId}/cells/${cellId}/review`, cellDetailResponse, body, { keepalive: true });

export const deleteReview = (runId: number, cellId: number) =>
  sendNoContent('DELETE', `${runs}/${runId}/cells/${cellId}/review`);

export function useReviewQueue(runId: number, disagreements: boolean, offset: number, limit: number) {
  return useQuery({
    queryKey: [...scoringKeys.queue(runId, disagreements, offset), limit],
    queryFn: () =>
      api(
        'GET',
        `${runs}/${runId}/review-queue?disagreements=${disagreements}&offset=${offset}&limit=${limit}`,
        reviewQueueResponse,
      ),
  });
}

export function useAgreement(runId: number) {
  return useQuery({
    queryKey: scoringKeys.agreement(runId),
    queryFn: () => api('GET', `${runs}/${runId}/agreement`, agreementResponse),
  });
}

export const rescoreRun = (runId: number, body: RescoreRequest) =>
  api('POST', `${runs}/${runId}/rescore`, rescoreResponse, body);
