import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/http';
import { clonePrompt, startWorkshop, useDraft } from '../../api/workshop';
import { Spinner } from '../../components/spinner';
import { usePageTitle } from '../../lib/use-page-title';
import { Workshop } from './workshop';
import '../../styles/messages.css';
import '../../styles/workshop.css';

// One start or clone per page visit, even when React runs effects twice in development.
const starting = new Map<string, Promise<number>>();

/**
 * /prompt-workshop: `?draft_id=N` opens a draft; `?clone=NAME[&version=N]` clones a library prompt
 * (default its newest version); no parameter
 * starts a new workshop, or opens the last one again while it is still untouched, so each visit
 * does not leave an empty draft behind. The latter two put `?draft_id=` in the address.
 */
export function WorkshopPage() {
  const [params, setParams] = useSearchParams();
  const rawId = params.get('draft_id');
  const cloneName = params.get('clone');
  const rawVersion = params.get('version');
  const cloneVersion = rawVersion && /^\d+$/.test(rawVersion) ? Number(rawVersion) : undefined;
  const retry = params.get('retry');
  const draftId = rawId && /^\d+$/.test(rawId) ? Number(rawId) : null;
  const [startError, setStartError] = useState<string | null>(null);
  const attempt = useRef(0);
  usePageTitle('Workshop');

  useEffect(() => {
    if (rawId !== null) return;
    const key = cloneName ? `clone:${cloneName}:${cloneVersion}:${retry}` : `start:${retry}`;
    let job = starting.get(key);
    if (!job) {
      job = cloneName
        ? clonePrompt(cloneName, cloneVersion).then((r) => r.draft_id)
        : startWorkshop({ reuse_blank: true }).then((r) => r.draft_id);
      starting.set(key, job);
    }
    let live = true;
    job.then(
      (id) => {
        starting.delete(key);
        if (live) setParams({ draft_id: String(id) }, { replace: true });
      },
      (err) => {
        starting.delete(key);
        if (live) setStartError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [rawId, cloneName, cloneVersion, retry, setParams]);

  const cloneLabel = `“${cloneName}”${cloneVersion === undefined ? '' : ` v${cloneVersion}`}`;
  if (rawId !== null && draftId === null) {
    return <Problem text={`"${rawId}" is not a draft number.`} />;
  }
  if (draftId === null) {
    if (startError) {
      return (
        <Problem
          text={
            cloneName
              ? `Could not clone ${cloneLabel}: ${startError}`
              : `Could not start a workshop: ${startError}`
          }
          retry={() => {
            attempt.current += 1;
            setStartError(null);
            setParams(
              cloneName
                ? {
                    clone: cloneName,
                    ...(cloneVersion === undefined ? {} : { version: String(cloneVersion) }),
                    retry: String(attempt.current),
                  }
                : { retry: String(attempt.current) },
              {
                replace: true,
              },
            );
          }}
        />
      );
    }
    return (
      <main className="page">
        <Spinner
          label={cloneName ? `Cloning ${cloneLabel} into a new draft…` : 'Starting a new workshop…'}
          block
        />
      </main>
    );
  }
  return <DraftLoader draftId={draftId} />;
}

function DraftLoader({ draftId }: { draftId: number }) {
  const draft = useDraft(draftId);
  if (draft.isPending) {
    return (
      <main className="page">
        <Spinner label="Loading the draft" block />
      </main>
    );
  }
  if (draft.isError) return <Problem text={errorMessage(draft.error)} />;
  // A new key per draft: switching drafts starts from a clean editor state.
  return <Workshop key={draftId} initial={draft.data} />;
}

function Problem({ text, retry }: { text: string; retry?: () => void }) {
  return (
    <main className="page narrow">
      <h1>Workshop</h1>
      <p role="alert" className="alert error">
        {text}
      </p>
      <div className="button-row">
        {retry && (
          <button type="button" className="btn btn-primary" onClick={retry}>
            Try again
          </button>
        )}
        <Link className="btn" to="/drafts">
          My drafts
        </Link>
      </div>
    </main>
  );
}
