import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserResponse } from '../../../shared/auth';
import type { CellDetailResponse, CellReview, ReviewRequest } from '../../../shared/scoring';
import { errorMessage } from '../../api/http';
import { saveReview, scoringKeys } from '../../api/scoring';

/** The cell with the signed-in user's review changed as `body` asks (omitted fields kept). */
export function withMyReview(
  cell: CellDetailResponse,
  me: Pick<UserResponse, 'id' | 'username' | 'display_name'>,
  body: ReviewRequest,
  now: string,
): CellDetailResponse {
  const old = cell.reviews.find((r) => r.reviewer_id === me.id);
  const next: CellReview = {
    reviewer_id: me.id,
    reviewer: old?.reviewer ?? (me.display_name || me.username),
    pass: body.pass === undefined ? (old?.pass ?? null) : body.pass,
    rating: body.rating === undefined ? (old?.rating ?? null) : body.rating,
    notes: body.notes === undefined ? (old?.notes ?? '') : body.notes,
    updated_at: now,
  };
  const reviews = old
    ? cell.reviews.map((r) => (r.reviewer_id === me.id ? next : r))
    : [...cell.reviews, next];
  return { ...cell, reviews };
}

/**
 * Saves the signed-in user's review of one cell. The cached cell changes at once; a refused or
 * failed save puts the cache back and says why (the notes box keeps its own text either way).
 */
export function useReview(
  runId: number,
  cellId: number,
  me: UserResponse | undefined,
  /** Notes typed and not yet stored, by cell id: a draft goes only once the server has stored it. */
  drafts?: Map<number, string>,
) {
  const queryClient = useQueryClient();
  const key = scoringKeys.cell(runId, cellId);
  const mutationKey = ['review', runId, cellId];
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationKey,
    mutationFn: (body: ReviewRequest) => saveReview(runId, cellId, body),
    onMutate: async (body) => {
      setError(null);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<CellDetailResponse>(key);
      if (before && me)
        queryClient.setQueryData(key, withMyReview(before, me, body, new Date().toISOString()));
      return { before };
    },
    onError: (err, _body, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
      setError(`Not saved: ${errorMessage(err)}`);
      // Another save may have landed in between: ask for what the server holds.
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onSuccess: (cell, body) => {
      if (body.notes !== undefined && drafts?.get(cellId) === body.notes) drafts.delete(cellId);
      // A later save still in flight owns the cache: its optimistic value must not flicker back.
      if (queryClient.isMutating({ mutationKey }) <= 1) queryClient.setQueryData(key, cell);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: scoringKeys.queues(runId) });
      void queryClient.invalidateQueries({ queryKey: scoringKeys.agreement(runId) });
    },
  });
  return { save: mutation.mutate, saveAsync: mutation.mutateAsync, pending: mutation.isPending, error };
}
