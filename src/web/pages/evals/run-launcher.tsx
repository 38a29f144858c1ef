import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ARTICLE_LIMIT_DEFAULT } from '../../../shared/chat';
import {
  createRunRequest,
  RUN_CONCURRENCY_MAX,
  RUN_REPETITIONS_MAX,
  RUN_VARIANTS_MAX,
  type RunEstimate,
} from '../../../shared/evals';
import { estimateRun, evalKeys, startRun } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { usePrompts } from '../../api/library';
import { ModelSelect } from '../../components/pickers';
import { labelledMessage } from '../../lib/field-labels';
import { formatCost, plural } from '../../lib/format';
import { NumberField } from './number-field';
import { type RetrievalSettings, VariantRetrieval } from './variant-retrieval';

interface Variant extends RetrievalSettings {
  key: number;
  prompt: string;
  model: string;
}
let nextKey = 1;
const ESTIMATE_DELAY_MS = 300;

const newVariant = (prompt: string): Variant => ({
  key: nextKey++,
  prompt,
  model: '',
  limit: ARTICLE_LIMIT_DEFAULT,
  agentic: false,
  retrieval: 'live',
  pinnedRunId: null,
});

/** "N model calls, about $X", or why the cost is not known. */
export function estimateText(e: RunEstimate): string {
  const calls = plural(e.model_calls, 'model call');
  if (e.estimated_cost_usd === null)
    return `${calls}; cost unknown: no price for ${e.unpriced_models.join(', ')}`;
  return `${calls}, about ${formatCost(e.estimated_cost_usd)}`;
}

/** "variants.1.prompt" + its message → "Variant 2: Prompt …"; other fields by their label. */
function launcherMessage(issue: { path: PropertyKey[]; message: string }): string {
  const [first, index, ...rest] = issue.path.map(String);
  if (first === 'variants' && /^\d+$/.test(index ?? '')) {
    return `Variant ${Number(index) + 1}: ${labelledMessage(rest.join('.') || first, issue.message)}`;
  }
  return labelledMessage(issue.path.map(String).join('.'), issue.message);
}

/** Launches a run of the suite: 1–8 variants (prompt ref × model), repetitions, concurrency, budget. */
export function RunLauncher({
  suiteId,
  caseCount,
  initialPrompt,
}: {
  suiteId: number;
  /** The suite's cases now: the estimate follows them, and there is none without cases. */
  caseCount: number;
  initialPrompt: string;
}) {
  const prompts = usePrompts();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [variants, setVariants] = useState<Variant[]>([newVariant(initialPrompt || 'auspex_default')]);
  const [repetitions, setRepetitions] = useState(1);
  const [concurrency, setConcurrency] = useState(8);
  const [budget, setBudget] = useState('');
  const [estimate, setEstimate] = useState<RunEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Where the keyboard goes once the variants have redrawn: the new one's prompt, or "+ Add variant".
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (focusId === null) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const body = () => ({
    suite_id: suiteId,
    variants: variants.map((v) => ({
      prompt: v.prompt.trim(),
      ...(v.model ? { model: v.model } : {}),
      limit: v.limit,
      agentic: v.agentic,
      retrieval: v.retrieval,
      ...(v.retrieval === 'pinned' && v.pinnedRunId !== null ? { pinned_run_id: v.pinnedRunId } : {}),
    })),
    repetitions,
    concurrency,
    ...(budget.trim() ? { budget_usd: Number(budget) } : {}),
  });
  const change = (key: number, patch: Partial<Variant>) => {
    setVariants((vs) => vs.map((v) => (v.key === key ? { ...v, ...patch } : v)));
    setEstimate(null);
  };

  // The call count and cost follow the options: a dry run a moment after the last change, once
  // the request would be valid (no request, and no error, while a field is half typed).
  const request = JSON.stringify(body());
  useEffect(() => {
    const parsed = createRunRequest.safeParse(JSON.parse(request));
    if (!parsed.success || caseCount === 0) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      estimateRun(JSON.parse(request), abort.signal)
        .then((r) => {
          setEstimate(r.estimate);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) setError(errorMessage(err));
        });
    }, ESTIMATE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [request, caseCount]);

  async function run(action: 'estimate' | 'start') {
    if (busy) return;
    // The server's own rules, checked here first so a bad field is named at once, in words that
    // stay on the page (the browser's own bubbles vanish, and say nothing to a screen reader).
    if (budget.trim() && !Number.isFinite(Number(budget))) {
      setError('Budget must be a number of US dollars, such as 5 or 0.50');
      return;
    }
    const checked = createRunRequest.safeParse(body());
    if (!checked.success) {
      setError(launcherMessage(checked.error.issues[0]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (action === 'estimate') {
        setEstimate((await estimateRun(body())).estimate);
      } else {
        const created = await startRun(body());
        await queryClient.invalidateQueries({ queryKey: evalKeys.runs });
        await navigate(`/evals/runs/${created.id}`);
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run('start');
  };

  return (
    <section aria-labelledby="launcher-heading" className="card run-launcher">
      <h2 id="launcher-heading">Run this suite</h2>
      <form id="run-form" onSubmit={submit} noValidate>
        <datalist id="library-prompts">
          {prompts.data?.flatMap((p) => [
            <option key={p.name} value={p.name}>
              {p.title}
            </option>,
            <option key={`${p.name}@${p.version}`} value={`${p.name}@${p.version}`}>
              {p.title}, version {p.version}
            </option>,
          ])}
        </datalist>
        {variants.map((v, i) => (
          <fieldset key={v.key} className="variant" data-variant={i}>
            <legend>Variant {i + 1}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`variant-prompt-${v.key}`}>Prompt</label>
                <input
                  id={`variant-prompt-${v.key}`}
                  list="library-prompts"
                  required
                  value={v.prompt}
                  aria-describedby={`variant-prompt-hint-${v.key}`}
                  onChange={(e) => change(v.key, { prompt: e.target.value })}
                />
                <span className="field-hint" id={`variant-prompt-hint-${v.key}`}>
                  draft:ID, NAME or NAME@VERSION
                </span>
              </div>
              <ModelSelect
                id={`variant-model-${v.key}`}
                value={v.model}
                onChange={(model) => change(v.key, { model })}
              />
            </div>
            <VariantRetrieval id={v.key} suiteId={suiteId} value={v} onChange={(p) => change(v.key, p)} />
            {variants.length > 1 && (
              <button
                type="button"
                className="btn btn-small btn-danger"
                aria-label={`Remove variant ${i + 1}`}
                onClick={() => {
                  setVariants((vs) => vs.filter((x) => x.key !== v.key));
                  setEstimate(null);
                  // The button goes with its variant; keep the keyboard where variants are added.
                  setFocusId('add-variant');
                }}
              >
                Remove
              </button>
            )}
          </fieldset>
        ))}
        <button
          type="button"
          className="btn btn-small"
          id="add-variant"
          disabled={variants.length >= RUN_VARIANTS_MAX}
          onClick={() => {
            const added = newVariant(variants.at(-1)?.prompt ?? '');
            setVariants((vs) => [...vs, added]);
            setEstimate(null);
            setFocusId(`variant-prompt-${added.key}`);
          }}
        >
          + Add variant
        </button>
        <div className="field-row">
          <NumberField
            id="run-repetitions"
            label="Repetitions"
            value={repetitions}
            max={RUN_REPETITIONS_MAX}
            onChange={(n) => {
              setRepetitions(n);
              setEstimate(null);
            }}
          />
          <NumberField
            id="run-concurrency"
            label="Concurrency"
            value={concurrency}
            max={RUN_CONCURRENCY_MAX}
            onChange={(n) => {
              setConcurrency(n);
              setEstimate(null);
            }}
          />
          <div className="field">
            <label htmlFor="run-budget">Budget (USD, optional)</label>
            {/* Text, not a number input: a browser reports a number it cannot read as "", which
                would start the run with no cap at all. */}
            <input
              id="run-budget"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={budget}
              onChange={(e) => {
                setBudget(e.target.value);
                setEstimate(null);
              }}
            />
          </div>
        </div>
        <p role="status" id="run-estimate" className="muted">
          {estimate ? estimateText(estimate) : ''}
        </p>
        {error && (
          <p role="alert" className="alert error" id="run-error">
            {error}
          </p>
        )}
        <div className="button-row">
          <button
            type="button"
            className="btn"
            id="estimate-run"
            // Not disabled while busy: a disabled button drops the focus to the top of the page.
            aria-disabled={busy || undefined}
            onClick={() => void run('estimate')}
          >
            Estimate
          </button>
          <button type="submit" className="btn btn-primary" id="start-run" aria-disabled={busy || undefined}>
            Start run
          </button>
        </div>
      </form>
    </section>
  );
}
