import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type DraftStatus, draftStatus } from '../../shared/workshop';
import { errorMessage } from '../api/http';
import { deleteDraft, useDrafts, workshopKeys } from '../api/workshop';
import { useConfirm } from '../components/modal';
import { Spinner } from '../components/spinner';
import { formatDate, formatNumber, plural } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';
import '../styles/pages.css';

const filters: (DraftStatus | 'all')[] = ['all', ...draftStatus.options];

/** /drafts: the signed-in user's drafts, filtered by status. */
export function DraftsPage() {
  usePageTitle('My drafts');
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? 'all';
  const status = (filters as string[]).includes(raw) ? (raw as DraftStatus | 'all') : 'all';
  const drafts = useDrafts(status);
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function remove(id: number, name: string) {
    const ok = await confirm({
      title: 'Delete this draft?',
      body: (
        <p>
          “{name}” will be deleted with its conversation and all its test results. This cannot be undone.
          Prompts already committed from it stay in the library.
        </p>
      ),
      confirmLabel: 'Delete draft',
      danger: true,
    });
    if (!ok) return;
    try {
      await deleteDraft(id);
      setMessage({ ok: true, text: `Deleted “${name}”.` });
      queryClient.removeQueries({ queryKey: workshopKeys.draft(id) });
      await queryClient.invalidateQueries({ queryKey: workshopKeys.allDrafts });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  }

  return (
    <main className="page">
      <div className="page-head">
        <h1>My drafts</h1>
        <Link to="/prompt-workshop" className="btn btn-primary" id="new-workshop">
          + New workshop
        </Link>
      </div>
      <div className="toolbar">
        <div className="field inline-field">
          <label htmlFor="status-filter">Status</label>
          <select
            id="status-filter"
            value={status}
            onChange={(e) =>
              setParams(e.target.value === 'all' ? {} : { status: e.target.value }, { replace: true })
            }
          >
            {filters.map((f) => (
              <option key={f} value={f}>
                {f === 'all' ? 'All' : f[0].toUpperCase() + f.slice(1)}
              </option>
            ))}
          </select>
        </div>
        {drafts.data && !drafts.isPlaceholderData && (
          <span className="muted" id="drafts-total">
            {plural(drafts.data.total, 'draft')}
          </span>
        )}
        {drafts.isPlaceholderData && <Spinner label="Loading drafts" />}
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'alert success' : 'alert error'}>
          {message.text}
        </p>
      )}
      {drafts.isPending && <Spinner label="Loading drafts" block />}
      {drafts.isError && (
        <p role="alert" className="alert error">
          {errorMessage(drafts.error)}
        </p>
      )}
      {drafts.data && drafts.data.drafts.length === 0 && (
        <p className="empty">
          {status === 'all' ? 'No drafts yet. ' : `No drafts with status “${status}”. `}
          <Link to="/prompt-workshop">Start a workshop</Link>.
        </p>
      )}
      <ul className="item-list" id="drafts-list">
        {drafts.data?.drafts.map((d) => (
          <li key={d.id} className="item-card draft-item" data-draft-id={d.id}>
            <div className="item-main">
              <Link to={`/prompt-workshop?draft_id=${d.id}`} className="item-title">
                {d.draft_name}
              </Link>
              <span className={`badge status-${d.status}`}>{d.status}</span>
              {d.parent_prompt_name && (
                <span className="muted small">
                  from {d.parent_prompt_name}
                  {d.parent_prompt_version !== null && ` v${d.parent_prompt_version}`}
                </span>
              )}
              {d.draft_description && <p className="item-desc">{d.draft_description}</p>}
            </div>
            <div className="item-meta">
              <span title="Tests run">{plural(d.test_count, 'test')}</span>
              <span>{formatNumber(d.content_length)} chars</span>
              <span>Updated {formatDate(d.updated_at)}</span>
            </div>
            <div className="button-row item-actions">
              <Link to={`/prompt-workshop?draft_id=${d.id}`} className="btn btn-small">
                Open
              </Link>
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => void remove(d.id, d.draft_name)}
                aria-label={`Delete draft ${d.draft_name}`}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {confirmDialog}
    </main>
  );
}
