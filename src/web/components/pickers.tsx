import { useEffect } from 'react';
import { useTopics } from '../api/corpus';
import { errorMessage } from '../api/http';
import { useModels } from '../api/models';
import { plural } from '../lib/format';

interface PickerProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}

/**
 * Topics with their article counts; generated sample topics say so in the hint. Option texts stay
 * short so they fit the field at desktop widths; the details go in the hint below.
 */
export function TopicSelect({ id, value, onChange, disabled }: PickerProps) {
  const topics = useTopics();
  const list = topics.data ?? [];
  useEffect(() => {
    if (!value && list.length > 0) onChange(list[0].name);
  }, [value, list, onChange]);
  const chosen = list.find((t) => t.name === value);
  return (
    <div className="field">
      <label htmlFor={id}>Topic</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || topics.isPending}
        aria-describedby={`${id}-hint`}
      >
        {topics.isPending && <option value="">Loading topics…</option>}
        {list.length === 0 && !topics.isPending && <option value="">No topics yet</option>}
        {list.map((t) => (
          <option key={t.name} value={t.name}>
            {t.name} ({plural(t.article_count, 'article')})
          </option>
        ))}
      </select>
      <span className="field-hint" id={`${id}-hint`}>
        {topics.isError
          ? errorMessage(topics.error)
          : chosen?.is_sample
            ? 'Sample data: generated articles, not real news.'
            : (chosen?.description ?? '')}
      </span>
    </div>
  );
}

/** Usable models; the default is preselected and the offline model is labelled as not AI. */
export function ModelSelect({ id, value, onChange, disabled }: PickerProps) {
  const models = useModels();
  const data = models.data;
  useEffect(() => {
    if (!value && data) onChange(data.default_model);
  }, [value, data, onChange]);
  const chosen = data?.models.find((m) => m.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>Model</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || models.isPending}
        aria-describedby={`${id}-hint`}
      >
        {models.isPending && <option value="">Loading models…</option>}
        {data?.models
          .filter((m) => m.configured)
          .map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.offline && !/not AI/i.test(m.label) ? ' (offline demo, not AI)' : ''}
            </option>
          ))}
      </select>
      <span className="field-hint" id={`${id}-hint`}>
        {models.isError
          ? errorMessage(models.error)
          : [
              chosen?.default ? 'The default model.' : '',
              chosen?.offline
                ? 'Offline demo: a deterministic extract of the articles, not an AI model.'
                : '',
            ]
              .filter(Boolean)
              .join(' ')}
      </span>
    </div>
  );
}
