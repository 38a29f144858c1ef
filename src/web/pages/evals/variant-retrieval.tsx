import { ARTICLE_LIMIT_MAX, ARTICLE_LIMIT_MIN } from '../../../shared/chat';
import { useRuns } from '../../api/evals';
import { formatDate } from '../../lib/format';
import { NumberField } from './number-field';

export interface RetrievalSettings {
  limit: number;
  agentic: boolean;
  retrieval: 'live' | 'pinned';
  /** The earlier run whose articles a pinned variant reuses; null until one is chosen. */
  pinnedRunId: number | null;
}

/** A variant's retrieval: article limit, agentic search, and live or pinned to an earlier run. */
export function VariantRetrieval({
  id,
  suiteId,
  value,
  onChange,
}: {
  id: number;
  suiteId: number;
  value: RetrievalSettings;
  onChange: (patch: Partial<RetrievalSettings>) => void;
}) {
  const runs = useRuns();
  // Only runs of this suite with answered cells have articles to pin to.
  const pinnable = (runs.data ?? []).filter((r) => r.suite_id === suiteId && r.counts.ok > 0);
  return (
    <div className="field-row">
      <NumberField
        id={`variant-limit-${id}`}
        label="Article limit"
        value={value.limit}
        min={ARTICLE_LIMIT_MIN}
        max={ARTICLE_LIMIT_MAX}
        onChange={(limit) => onChange({ limit })}
      />
      <div className="field field-check">
        <input
          id={`variant-agentic-${id}`}
          type="checkbox"
          checked={value.agentic}
          onChange={(e) => onChange({ agentic: e.target.checked })}
        />
        <label htmlFor={`variant-agentic-${id}`}>Agentic (the model may search again)</label>
      </div>
      <div className="field">
        <label htmlFor={`variant-retrieval-${id}`}>Retrieval</label>
        <select
          id={`variant-retrieval-${id}`}
          value={value.retrieval}
          onChange={(e) => {
            const retrieval = e.target.value as RetrievalSettings['retrieval'];
            onChange({ retrieval, pinnedRunId: retrieval === 'pinned' ? (pinnable[0]?.id ?? null) : null });
          }}
        >
          <option value="live">Live: search the corpus now</option>
          <option value="pinned" disabled={pinnable.length === 0}>
            Pinned: the articles of an earlier run{pinnable.length === 0 ? ' (no answered run yet)' : ''}
          </option>
        </select>
      </div>
      {value.retrieval === 'pinned' && (
        <div className="field">
          <label htmlFor={`variant-pinned-${id}`}>Earlier run</label>
          <select
            id={`variant-pinned-${id}`}
            required
            value={value.pinnedRunId ?? ''}
            onChange={(e) => onChange({ pinnedRunId: e.target.value ? Number(e.target.value) : null })}
          >
            {pinnable.map((r) => (
              <option key={r.id} value={r.id}>
                Run {r.id} · v{r.suite_version} · {r.counts.ok} answered · {formatDate(r.created_at)}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
