import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DRAFT_CONTENT_MIN_TO_TEST,
  TEST_LIMIT_DEFAULT,
  TEST_LIMIT_MAX,
  TEST_LIMIT_MIN,
  TEST_QUERY_MAX,
  TEST_QUERY_MIN,
  type TestResult,
} from '../../../shared/workshop';
import { useTopics } from '../../api/corpus';
import { errorMessage } from '../../api/http';
import { useModels } from '../../api/models';
import { runTest, workshopKeys } from '../../api/workshop';
import { Markdown } from '../../components/markdown';
import { ModelSelect, TopicSelect } from '../../components/pickers';
import { Spinner } from '../../components/spinner';
import { readDraftSetting, writeDraftSetting } from './local-draft';
import { SaveAsCase } from './save-as-case';
import { TestResultView } from './test-result';

/** The form as last used, kept per draft in this browser so a reload brings it back. */
interface TestForm {
  query: string;
  topic: string;
  model: string;
  limit: string;
}
const FORM_SETTING = 'test-form';

/** Why the Articles field cannot be used as typed, or null. Nothing is changed behind the user's back. */
function limitProblem(text: string): string | null {
  const n = Number(text);
  if (text.trim() !== '' && Number.isInteger(n) && n >= TEST_LIMIT_MIN && n <= TEST_LIMIT_MAX) return null;
  return `Articles must be a whole number from ${TEST_LIMIT_MIN} to ${TEST_LIMIT_MAX}.`;
}

function storedForm(draftId: number): TestForm | null {
  const v = readDraftSetting<TestForm>(FORM_SETTING, draftId);
  if (!v) return null;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return { query: text(v.query), topic: text(v.topic), model: text(v.model), limit: text(v.limit) };
}

interface Props {
  draftId: number;
  contentLength: number;
  /** Saves pending edits; the server tests the stored draft. */
  saveFirst: () => Promise<boolean>;
  selected: TestResult | null;
  onSelect: (test: TestResult | null) => void;
  onFinished: () => void;
  /** The draft's newest run: fills the form on a first visit with nothing kept in this browser. */
  lastRun?: TestResult;
}

/** Run a query against the draft and rate the answer. */
export function TestTab({
  draftId,
  contentLength,
  saveFirst,
  selected,
  onSelect,
  onFinished,
  lastRun,
}: Props) {
  const queryClient = useQueryClient();
  const [kept] = useState(() => storedForm(draftId));
  const [topic, setTopic] = useState(kept?.topic ?? '');
  const [model, setModel] = useState(kept?.model ?? '');
  const [query, setQuery] = useState(kept?.query ?? '');
  const [limitText, setLimitText] = useState(kept?.limit || String(TEST_LIMIT_DEFAULT));
  const limitError = limitProblem(limitText);
  const limit = Number(limitText);
  const models = useModels();
  const topics = useTopics();
  const fill = useCallback((t: TestResult) => {
    setQuery(t.query);
    setTopic(t.topic);
    setModel(t.model);
    setLimitText(String(t.article_limit));
  }, []);

  useEffect(() => {
    writeDraftSetting(FORM_SETTING, draftId, { query, topic, model, limit: limitText } satisfies TestForm);
  }, [draftId, query, topic, model, limitText]);
  // Nothing kept here yet: start from the draft's last run.
  const filledFromRun = useRef(kept !== null);
  useEffect(() => {
    if (filledFromRun.current || !lastRun) return;
    filledFromRun.current = true;
    fill(lastRun);
  }, [lastRun, fill]);
  // A kept or rerun model or topic that is no longer offered falls back to the default choice.
  useEffect(() => {
    if (model && models.data && !models.data.models.some((m) => m.id === model && m.configured)) setModel('');
  }, [model, models.data]);
  useEffect(() => {
    if (topic && topics.data && !topics.data.some((t) => t.name === topic)) setTopic('');
  }, [topic, topics.data]);

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
  const canRun =
    !running && !tooShort && topic !== '' && queryLength >= TEST_QUERY_MIN && !queryProblem && !limitError;

  /** Runs the form's test, or (Run again) the given run's query, topic, limit and model. */
  async function run(again?: TestResult) {
    if (again) {
      fill(again);
      if (running || tooShort) return;
    } else if (!canRun) return;
    const offered = (id: string) => models.data?.models.some((m) => m.id === id && m.configured) ?? false;
    const body = again
      ? {
          test_query: again.query,
          topic: again.topic,
          limit: again.article_limit,
          ...(offered(again.model) ? { model: again.model } : {}),
        }
      : { test_query: query.trim(), topic, limit, ...(model ? { model } : {}) };
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
        body,
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
              disabled={running}
              aria-invalid={limitError ? true : undefined}
              aria-describedby="test-limit-hint"
            />
            <span className={limitError ? 'field-error' : 'field-hint'} id="test-limit-hint">
              {limitError ?? `${TEST_LIMIT_MIN}–${TEST_LIMIT_MAX}`}
            </span>
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
          <>
            <div className="run-again-row">
              <button
                type="button"
                className="btn btn-small"
                id="run-again"
                onClick={() => void run(selected)}
                disabled={tooShort}
                aria-describedby="run-again-hint"
              >
                <span aria-hidden="true">↻</span> Run again
              </button>
              <span className="muted small" id="run-again-hint">
                with this run’s query, topic, {selected.article_limit} articles and {selected.model}, on the
                current prompt text
              </span>
            </div>
            <SaveAsCase key={`case-${selected.test_id}`} query={selected.query} topic={selected.topic} />
            <TestResultView key={selected.test_id} draftId={draftId} test={selected} onSaved={onSelect} />
          </>
        )}
        {!running && !selected && !runError && (
          <p className="muted">Run a test to see the answer, its figures and rate it here.</p>
        )}
      </div>
    </>
  );
}

// Token counts group their digits like every other figure on the page (17,383, not 17383).
