import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { createSuite, evalKeys, useSuites } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { Spinner } from '../../components/spinner';
import { formatDate, plural } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { RunList } from './run-list';
import '../../styles/pages.css';
import '../../styles/evals.css';

/** /evals: the user's suites and runs; a new suite. `?prompt=REF` is carried to the suite's launcher. */
export function SuitesPage() {
  usePageTitle('Evaluations');
  const [params] = useSearchParams();
  const prompt = params.get('prompt');
  const carry = prompt ? `?prompt=${encodeURIComponent(prompt)}` : '';
  const list = useSuites();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const suite = await createSuite({ name: name.trim(), description: description.trim() });
      await queryClient.invalidateQueries({ queryKey: evalKeys.suites });
      await navigate(`/evals/suites/${suite.id}${carry}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page evals">
      <div className="page-head">
        <h1>Evaluations</h1>
      </div>
      {prompt && (
        <p className="alert info" id="prompt-to-evaluate">
          Choose or create a suite to evaluate <code>{prompt}</code>.
        </p>
      )}
      <section aria-labelledby="suites-heading">
        <h2 id="suites-heading">Suites</h2>
        <form className="toolbar" id="new-suite-form" onSubmit={create}>
          <div className="field inline-field">
            <label htmlFor="suite-name">Name</label>
            <input
              id="suite-name"
              value={name}
              required
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="field inline-field grow">
            <label htmlFor="suite-description">Description</label>
            <input
              id="suite-description"
              value={description}
              maxLength={2000}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-primary" id="create-suite" disabled={busy || !name.trim()}>
            Create suite
          </button>
        </form>
        {error && (
          <p role="alert" className="alert error">
            {error}
          </p>
        )}
        {list.isPending && <Spinner label="Loading suites" block />}
        {list.isError && (
          <p role="alert" className="alert error">
            {errorMessage(list.error)}
          </p>
        )}
        {list.data?.length === 0 && <p className="empty">No suites yet: create one above.</p>}
        <ul className="item-list" id="suites-list">
          {list.data?.map((s) => (
            <li key={s.id} className="item-card" data-suite-id={s.id}>
              <div className="item-main">
                <Link to={`/evals/suites/${s.id}${carry}`} className="item-title">
                  {s.name}
                </Link>
                {s.description && <p className="item-desc">{s.description}</p>}
              </div>
              <div className="item-meta">
                <span>{plural(s.case_count, 'case')}</span>
                <span>version {s.version}</span>
                <span>Updated {formatDate(s.updated_at)}</span>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Runs</h2>
        <RunList />
      </section>
    </main>
  );
}
