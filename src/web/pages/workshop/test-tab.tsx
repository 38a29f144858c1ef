import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  DRAFT_CONTENT_MIN_TO_TEST,
  TEST_LIMIT_DEFAULT,
  TEST_LIMIT_MAX,
  TEST_LIMIT_MIN,
  TEST_QUERY_MAX,
  TEST_QUERY_MIN,
  type TestResult,
} from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { runTest, workshopKeys } from '../../api/workshop';
import { Markdown } from '../../components/markdown';
import { ModelSelect, TopicSelect } from '../../components/pickers';
import { Spinner } from '../../components/spinner';
import { TestResultView } from './test-result';

interface Props {
  draftId: number;
  contentLength: number;
  /** Saves pending edits; the server tests the stored draft. */
  saveFirst: () => Promise<boolean>;
  selected: TestResult | null;
  onSelect: (test: TestResult | null) => void;
  onFinished: () => void;
}

/** Run a query against the draft and rate the answer. */
export function TestTab({ draftId, contentLength, saveFirst, selected, onSelect, onFinished }: Props) {
  const queryClient = useQueryClient();
  const [topic, setTopic] = useState('');
  const [model, setModel] = useState('');
  const [query, setQuery] = useState('');
  // The field's own text: clamping on each keystroke would turn a cleared field into the minimum
  // and make "10" impossible to type; it is clamped on leaving the field and when a test runs.
  const [limitText, setLimitText] = useState(String(TEST_LIMIT_DEFAULT));
  const limit = Math.min(
    TEST_LIMIT_MAX,
    Math.max(TEST_LIMIT_MIN, Math.round(Number(limitText)) || TEST_LIMIT_MIN),
  );
  const [running, setRunning] = useState(false);
  const [streamed, setStreamed] = useState('');
  const [runError, setRunError] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    const t = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(t);
  }, [running]);

  const tooShort = contentLength < DRAFT_CONTENT_MIN_TO_TEST;
  const queryLength = query.trim().length;
  const queryProblem =
    queryLength > 0 && (queryLength < TEST_QUERY_MIN || queryLength > TEST_QUERY_MAX)
      ? `The query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters (now ${queryLength}).`
      : null;
  const canRun = !running && !tooShort && topic !== '' && queryLength >= TEST_QUERY_MIN && !queryProblem;

  async function run() {
    if (!canRun) return;
    setRunError(null);
    if (!(await saveFirst())) {
      setRunError('The draft could not be saved, so it cannot be tested yet; see the save state above.');
      return;
    }
    setRunning(true);
    setElapsed(0);
    setStreamed('');
    onSelect(null);
    abort.current = new AbortController();
    try {
      const { result, error } = await runTest(
        draftId,
        { test_query: query.trim(), topic, limit, ...(model ? { model } : {}) },
        (chunk) => setStreamed((s) => s + chunk),
        abort.current.signal,
      );
      if (result) onSelect(result);
      if (error || result?.status === 'error') setRunError(error ?? result?.error ?? 'The test failed');
      else if (!result) setRunError('The test ended without a result');
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setRunError(errorMessage(err));
    } finally {
      setRunning(false);
      await queryClient.invalidateQueries({ queryKey: workshopKeys.tests(draftId) });
      onFinished();
    }
  }

  return (
    <>
      <form
        className="test-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field-row">
          <TopicSelect id="test-topic" value={topic} onChange={setTopic} disabled={running} />
          <ModelSelect id="test-model" value={model} onChange={setModel} disabled={running} />
        </div>
        <div className="field">
          <label htmlFor="test-query">Test query</label>
          <textarea
            id="test-query"
            rows={2}
            value={query}
            maxLength={TEST_QUERY_MAX}
            placeholder="For example: What are the main risks companies report when adopting AI?"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run();
              }
            }}
            aria-invalid={queryProblem ? true : undefined}
            aria-describedby="test-query-hint"
            // Read-only, not disabled, while a test runs: a disabled field drops the keyboard focus.
            readOnly={running}
          />
          <span className={queryProblem ? 'field-error' : 'field-hint'} id="test-query-hint">
            {queryProblem ?? `${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters. Ctrl+Enter runs the test.`}
          </span>
        </div>
        <div className="test-run-row">
          <div className="field limit-field">
            <label htmlFor="test-limit">Articles (max)</label>
            <input
              id="test-limit"
              type="number"
              min={TEST_LIMIT_MIN}
              max={TEST_LIMIT_MAX}
              value={limitText}
              onChange={(e) => setLimitText(e.target.value)}
              onBlur={() => setLimitText(String(limit))}
              disabled={running}
            />
          </div>
          {/* While running it only looks disabled (run() ignores it), so it keeps the focus. */}
          <button
            type="submit"
            className="btn btn-primary"
            id="run-test"
            disabled={!canRun && !running}
            aria-disabled={running || undefined}
          >
            {running ? <Spinner label="" /> : <span aria-hidden="true">▶</span>}{' '}
            {running ? 'Running…' : 'Run Test'}
          </button>
        </div>
        {tooShort && (
          <p className="field-hint">
            The prompt needs at least {DRAFT_CONTENT_MIN_TO_TEST} characters before it can be tested (now{' '}
            {contentLength}).
          </p>
        )}
      </form>

      <div id="test-output" className="test-output" aria-live="polite" aria-busy={running}>
        {runError && (
          <p role="alert" className="alert error" id="test-error">
            {runError}
          </p>
        )}
        {running && (
          <>
            <p className="test-progress" role="status">
              <Spinner label="" /> Running test · {elapsed} s ·{' '}
              {streamed ? 'receiving the answer' : 'retrieving articles and waiting for the model'}
            </p>
            <div className="test-response-box">
              <Markdown id="test-response" text={streamed} />
            </div>
          </>
        )}
        {!running && selected && (
          <TestResultView key={selected.test_id} draftId={draftId} test={selected} onSaved={onSelect} />
        )}
        {!running && !selected && !runError && (
          <p className="muted">Run a test to see the answer, its figures and rate it here.</p>
        )}
      </div>
    </>
  );
}

// Token counts group their digits like every other figure on the page (17,383, not 17383).
