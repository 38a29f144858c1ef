import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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

type Panel = 'cases' | 'scoring' | 'import';

/** /evals/suites/:id: the suite's cases, its scoring, import/export, a run launcher and the suite's runs. */
export function SuitePage() {
  const id = Number(useParams().id);
  const [params] = useSearchParams();
  const suite = useSuite(id);
  usePageTitle(suite.data?.name ?? 'Suite');
  const queryClient = useQueryClient();
  // What the last save or import did, said under the panel it came from (not at the page's top,
  // out of sight of the button), and focused there: the panel may redraw and drop the focus.
  const [notice, setNotice] = useState<{ text: string; from: Panel } | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const updated = (next: SuiteResponse, text: string, from: Panel) => {
    queryClient.setQueryData(evalKeys.suite(id), next);
    void queryClient.invalidateQueries({ queryKey: evalKeys.suites });
    setNotice({ text, from });
  };
  const noticeAfter = (panel: Panel) =>
    notice?.from === panel && (
      <p role="status" className="alert success" id="suite-notice" tabIndex={-1} ref={noticeRef}>
        {notice.text}
      </p>
    );

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
      <CaseEditor
        key={s.version_id}
        suite={s}
        onSaved={(next) => updated(next, `Saved as version ${next.version}.`, 'cases')}
      />
      {noticeAfter('cases')}
      <SuiteScoring
        key={`scoring-${s.version_id}`}
        suite={s}
        onSaved={(next) => updated(next, `Saved the scoring as version ${next.version}.`, 'scoring')}
      />
      {noticeAfter('scoring')}
      <ImportPanel
        suite={s}
        onImported={(next, n) =>
          updated(next, `Imported ${plural(n, 'case')}: now version ${next.version}.`, 'import')
        }
      />
      {noticeAfter('import')}
      <RunLauncher suiteId={s.id} caseCount={s.case_count} initialPrompt={params.get('prompt') ?? ''} />
      <section aria-labelledby="suite-runs-heading">
        <h2 id="suite-runs-heading">Runs of this suite</h2>
        <RunList suiteId={s.id} />
      </section>
    </main>
  );
}
