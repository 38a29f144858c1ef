import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { SUITE_NAME_MAX, type SuiteResponse } from '../../../shared/evals';
import { addCases, createSuite, evalKeys, useSuites } from '../../api/evals';
import { errorMessage } from '../../api/http';

const NEW = 'new';

/** "Save as case": the test's query and topic become a case of an evaluation suite, new or existing. */
export function SaveAsCase({ query, topic }: { query: string; topic: string }) {
  const queryClient = useQueryClient();
  const suites = useSuites();
  const [choice, setChoice] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SuiteResponse | null>(null);
  const target = choice || (suites.data?.[0] ? String(suites.data[0].id) : NEW);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const cases = [{ query, topic }];
      const suite =
        target === NEW
          ? await createSuite({ name: name.trim(), cases })
          : await addCases(Number(target), cases);
      setSaved(suite);
      setChoice(String(suite.id));
      setName('');
      await queryClient.invalidateQueries({ queryKey: evalKeys.suites });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="save-as-case" id="save-as-case" onSubmit={save} aria-label="Save as case">
      <div className="field">
        <label htmlFor="save-case-suite">Save this query as a case of</label>
        <select
          id="save-case-suite"
          value={target}
          onChange={(e) => {
            setChoice(e.target.value);
            setSaved(null);
          }}
        >
          {suites.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          <option value={NEW}>a new suite…</option>
        </select>
      </div>
      {target === NEW && (
        <div className="field">
          <label htmlFor="save-case-name">New suite’s name</label>
          <input
            id="save-case-name"
            value={name}
            maxLength={SUITE_NAME_MAX}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
      )}
      <button
        type="submit"
        className="btn btn-small"
        id="save-as-case-submit"
        // Not disabled while it saves: a disabled button drops the focus to the top of the page.
        aria-disabled={busy || undefined}
        disabled={target === NEW && !name.trim()}
      >
        Save as case
      </button>
      {saved && (
        <p role="status" className="muted small" id="save-case-notice">
          Saved as case {saved.cases.length} of <Link to={`/evals/suites/${saved.id}`}>{saved.name}</Link>{' '}
          (version {saved.version}).
        </p>
      )}
      {error && (
        <p role="alert" className="field-error" id="save-case-error">
          {error}
        </p>
      )}
    </form>
  );
}
