import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { NOTES_MAX, type TestResult } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { type DraftTestPages, rateTest, workshopKeys } from '../../api/workshop';
import { CitedMarkdown } from '../../components/cited-markdown';
import { StarRating } from '../../components/star-rating';
import { formatCost, formatDate, formatMs, formatNumber } from '../../lib/format';
import { linkMarks } from '../evals/cell-grounding';
import { TestScoring } from './test-scoring';

// One test run as the Test tab shows it: its figures, the answer with its citations marked, the
// feedback form, and its checks (scored like an evaluation cell).

const fmt = (n: number | null) => (n === null ? '?' : formatNumber(n));

function Metrics({ test }: { test: TestResult }) {
  const tokens =
    test.input_tokens === null && test.output_tokens === null
      ? 'not reported'
      : `${fmt(test.input_tokens)} in / ${fmt(test.output_tokens)} out`;
  return (
    <dl id="test-metrics" className="metrics">
      <div>
        <dt>Articles</dt>
        <dd data-metric="articles">
          {test.article_count} of {test.article_limit}
        </dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd data-metric="time">{formatMs(test.execution_time_ms)}</dd>
      </div>
      <div>
        <dt>First token</dt>
        <dd>{formatMs(test.first_token_ms)}</dd>
      </div>
      <div>
        <dt>Length</dt>
        <dd data-metric="length">{formatNumber(test.response_length)} chars</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd data-metric="tokens">{tokens}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd data-metric="cost">{formatCost(test.cost_usd)}</dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>{test.model}</dd>
      </div>
      <div>
        <dt>Tools</dt>
        <dd>{test.tools_used.length ? test.tools_used.join(', ') : 'none'}</dd>
      </div>
    </dl>
  );
}

interface Feedback {
  rating: number | null;
  notes: string;
}
const differs = (a: Feedback, b: Feedback) => a.rating !== b.rating || a.notes !== b.notes;

// Saves of one run go one after another even across views of it (closing a run and opening it
// again makes a new view), so an older request never lands after a newer one.
const feedbackQueues = new Map<string, Promise<void>>();

export function TestResultView({
  draftId,
  test,
  onSaved,
}: {
  draftId: number;
  test: TestResult;
  onSaved: (t: TestResult) => void;
}) {
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<number | null>(test.user_rating);
  const [notes, setNotes] = useState(test.notes ?? '');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Refs, because a save outlives the render that asked for it (and even this view, when the user
  // opens another run before the autosave fires).
  const latest = useRef({ rating, notes: notes.trim() });
  latest.current = { rating, notes: notes.trim() };
  const stored = useRef({ rating: test.user_rating, notes: (test.notes ?? '').trim() });
  const mounted = useRef(true);
  // What the History tab's cached list shows for this run.
  const shown = useRef(stored.current);

  /** Puts the feedback into the cached History list, which a reopened view also starts from. */
  const showInHistory = useCallback(
    (feedback: Feedback) => {
      shown.current = feedback;
      queryClient.setQueryData<DraftTestPages>(
        workshopKeys.tests(draftId),
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              test_results: page.test_results.map((r) =>
                r.test_id === test.test_id
                  ? { ...r, user_rating: feedback.rating, notes: feedback.notes || null }
                  : r,
              ),
            })),
          },
      );
    },
    [draftId, test.test_id, queryClient],
  );

  /** Stores the feedback on screen; one request at a time, so an older answer never wins. */
  const save = useCallback((): Promise<void> => {
    const run = async () => {
      if (!differs(latest.current, stored.current)) {
        if (mounted.current) setStatus({ ok: true, text: 'Feedback saved' });
        return;
      }
      const want = { ...latest.current };
      if (mounted.current) setBusy(true);
      // Again: a refetch since the change may have brought back the stored feedback.
      showInHistory(want);
      try {
        const updated = await rateTest(draftId, test.test_id, {
          user_rating: want.rating,
          notes: want.notes || null,
        });
        stored.current = want;
        if (mounted.current) {
          setStatus({ ok: true, text: 'Feedback saved' });
          onSaved(updated);
        }
        await queryClient.invalidateQueries({ queryKey: workshopKeys.tests(draftId) });
      } catch (err) {
        // The form keeps the feedback, with the error and Save Feedback to try again; History goes
        // back to what the server has.
        if (mounted.current) setStatus({ ok: false, text: errorMessage(err) });
        shown.current = stored.current;
        await queryClient.invalidateQueries({ queryKey: workshopKeys.tests(draftId) });
      } finally {
        if (mounted.current) setBusy(false);
      }
    };
    const next = (feedbackQueues.get(test.test_id) ?? Promise.resolve()).then(run);
    feedbackQueues.set(test.test_id, next);
    void next.then(() => {
      if (feedbackQueues.get(test.test_id) === next) feedbackQueues.delete(test.test_id);
    });
    return next;
  }, [draftId, test.test_id, onSaved, queryClient, showInHistory]);

  // Feedback saves itself like the draft: 1.5 s after the last change, and at once when this run
  // is closed with changes still unsaved.
  useEffect(() => {
    const now = { rating, notes: notes.trim() };
    // History shows a change at once, not only once the autosave below has stored it.
    if (differs(now, shown.current)) showInHistory(now);
    if (!differs(now, stored.current)) return;
    setStatus(null);
    const timer = setTimeout(() => void save(), 1500);
    return () => clearTimeout(timer);
  }, [rating, notes, save, showInHistory]);
  const saveOnLeave = useRef(save);
  saveOnLeave.current = save;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (differs(latest.current, stored.current)) void saveOnLeave.current();
    };
  }, []);

  return (
    <article className="test-result" aria-label="Test result" data-test-id={test.test_id}>
      <p className="test-result-head">
        <strong>{test.query}</strong>
        <span className="muted small">
          {' '}
          · {test.topic} · {formatDate(test.timestamp)}
        </span>
        {test.status === 'error' && <span className="badge status-testing">failed</span>}
      </p>
      <Metrics test={test} />
      <div className="test-response-box">
        {test.response ? (
          <CitedMarkdown
            id="test-response"
            text={test.response}
            articleIds={test.article_ids}
            question={test.query}
            marks={linkMarks(test.scoring?.grounding ?? null)}
          />
        ) : (
          <div id="test-response" className="muted">
            (no answer)
          </div>
        )}
      </div>
      <fieldset className="feedback">
        <legend>Your rating</legend>
        <StarRating value={rating} onChange={setRating} />
        <div className="field">
          <label htmlFor="test-notes">Notes</label>
          <textarea
            id="test-notes"
            rows={2}
            maxLength={NOTES_MAX}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            placeholder="What was good or missing in this answer?"
          />
        </div>
        <div className="button-row">
          {/* While saving it only looks disabled (save() ignores it), so it keeps the focus. */}
          <button
            type="button"
            className="btn btn-primary btn-small"
            id="save-test-feedback"
            onClick={() => void save()}
            aria-disabled={busy || undefined}
          >
            Save Feedback
          </button>
          {status && (
            <span
              role={status.ok ? 'status' : 'alert'}
              className={status.ok ? 'ok-text' : 'field-error'}
              id="feedback-status"
            >
              {status.text}
            </span>
          )}
        </div>
      </fieldset>
      <TestScoring test={test} />
    </article>
  );
}
