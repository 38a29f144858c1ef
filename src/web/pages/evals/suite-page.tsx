import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { SuiteResponse } from '../../../shared/evals';
import { evalKeys, useSuite } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { Spinner } from '../../components/spinner';
import { plural } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { CaseEditor } from './case-editor';
import { ImportPanel } from './import-panel';
import { RunLauncher } from './run-launcher';
import { RunList } from './run-list';
import { SuiteScoring } from './suite-scoring';
import '../../styles/pages.css';
import '../../styles/evals.css';

/** /evals/suites/:id: the suite's cases, its scoring, import/export, a run launcher and the suite's runs. */
export function SuitePage() {
  const id = Number(useParams().id);
  const [params] = useSearchParams();
  const suite = useSuite(id);
  usePageTitle(suite.data?.name ?? 'Suite');
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);

  const updated = (next: SuiteResponse, text: string) => {
    queryClient.setQueryData(evalKeys.suite(id), next);
    void queryClient.invalidateQueries({ queryKey: evalKeys.suites });
    setNotice(text);
  };

  if (suite.isPending) return <Spinner label="Loading suite" block />;
  if (suite.isError)
    return (
      <main className="page">
        <p role="alert" className="alert error">
          {errorMessage(suite.error)}
        </p>
        <Link to="/evals">All suites</Link>
      </main>
    );
  const s = suite.data;
  return (
    <main className="page evals">
      <nav aria-label="Breadcrumb" className="small">
        <Link to="/evals">Evaluations</Link> › {s.name}
      </nav>
      <div className="page-head">
        <h1 id="suite-title">{s.name}</h1>
        <span className="muted" id="suite-version">
          version {s.version} · {plural(s.case_count, 'case')}
        </span>
      </div>
      {s.description && <p>{s.description}</p>}
      <p role="status" className={notice ? 'alert success' : 'visually-hidden'} id="suite-notice">
        {notice}
      </p>
      <CaseEditor
        key={s.version_id}
        suite={s}
        onSaved={(next) => updated(next, `Saved as version ${next.version}.`)}
      />
      <SuiteScoring
        key={`scoring-${s.version_id}`}
        suite={s}
        onSaved={(next) => updated(next, `Saved the scoring as version ${next.version}.`)}
      />
      <ImportPanel
        suite={s}
        onImported={(next, n) => updated(next, `Imported ${plural(n, 'case')}: now version ${next.version}.`)}
      />
      <RunLauncher suiteId={s.id} caseCount={s.case_count} initialPrompt={params.get('prompt') ?? ''} />
      <section aria-labelledby="suite-runs-heading">
        <h2 id="suite-runs-heading">Runs of this suite</h2>
        <RunList suiteId={s.id} />
      </section>
    </main>
  );
}
