import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { PromptResponse } from '../../shared/prompts';
import { errorMessage } from '../api/http';
import { deletePrompt, promptKeys, updatePrompt, usePrompts, usePromptVersions } from '../api/library';
import { useConfirm } from '../components/modal';
import { Spinner } from '../components/spinner';
import { TextDiff } from '../components/text-diff';
import { estimateTokens, formatDate, formatNumber } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';
import '../styles/pages.css';

/** /prompts: the prompt library (the seed's Prompt Manager). `?name=` selects a prompt. */
export function PromptsPage() {
  usePageTitle('Prompt library');
  const [params, setParams] = useSearchParams();
  const prompts = usePrompts();
  const [message, setMessage] = useState<string | null>(null);
  const list = prompts.data ?? [];
  const wanted = params.get('name');
  const selected = list.find((p) => p.name === wanted) ?? (wanted ? undefined : list[0]);

  return (
    <main className="page">
      <div className="page-head">
        <h1>Prompt library</h1>
        <Link to="/prompt-workshop" className="btn btn-primary" id="workshop-mode">
          <span aria-hidden="true">⚗</span> Workshop Mode
        </Link>
      </div>
      {message && (
        <p role="status" className="alert success">
          {message}
        </p>
      )}
      {prompts.isPending && <Spinner label="Loading prompts" block />}
      {prompts.isError && (
        <p role="alert" className="alert error">
          {errorMessage(prompts.error)}
        </p>
      )}
      {prompts.data && (
        <div className="library">
          <nav aria-label="Prompts">
            <ul className="prompt-list" id="prompt-list">
              {list.map((p) => (
                <li key={p.name}>
                  <Link
                    to={`/prompts?name=${encodeURIComponent(p.name)}`}
                    aria-current={p.name === selected?.name ? 'true' : undefined}
                    data-prompt-name={p.name}
                    onClick={() => setMessage(null)}
                  >
                    <strong>{p.title}</strong>
                    <div className="name">
                      {p.name} · v{p.version}
                      {p.is_default ? ' · default' : ''}
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {selected ? (
            <PromptDetail
              key={selected.name}
              prompt={selected}
              onDeleted={(name) => {
                setMessage(`Deleted “${name}”.`);
                setParams({}, { replace: true });
              }}
            />
          ) : (
            <p className="empty">
              {wanted ? `There is no prompt named “${wanted}”.` : 'The library is empty.'}
            </p>
          )}
        </div>
      )}
    </main>
  );
}

function PromptDetail({ prompt, onDeleted }: { prompt: PromptResponse; onDeleted: (name: string) => void }) {
  const versions = usePromptVersions(prompt.name);
  const queryClient = useQueryClient();
  const [version, setVersion] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmDialog, confirm] = useConfirm();
  const [showChanges, setShowChanges] = useState(false);
  const shown = version === null ? null : versions.data?.versions.find((v) => v.version === version);
  const content = shown?.content ?? prompt.content;
  const shownNumber = shown?.version ?? prompt.version;
  const previous = versions.data?.versions.find((v) => v.version === shownNumber - 1);

  async function remove() {
    const ok = await confirm({
      title: 'Delete this prompt?',
      body: (
        <p>
          “{prompt.name}” and all {prompt.version} of its versions will be deleted. Chats that used it fall
          back to the default prompt.
        </p>
      ),
      confirmLabel: 'Delete prompt',
      danger: true,
    });
    if (!ok) return;
    try {
      await deletePrompt(prompt.name);
      // Forget the deleted prompt before the list refreshes, so nothing asks for it again.
      queryClient.removeQueries({ queryKey: promptKeys.versions(prompt.name) });
      queryClient.removeQueries({ queryKey: promptKeys.one(prompt.name) });
      await queryClient.invalidateQueries({ queryKey: promptKeys.list });
      onDeleted(prompt.name);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <article className="card prompt-detail" id="prompt-detail" aria-labelledby="prompt-detail-title">
      <h2 id="prompt-detail-title">{prompt.title}</h2>
      <div className="meta-line">
        <code>{prompt.name}</code>
        <span>version {prompt.version}</span>
        <span>{prompt.owner ? `by ${prompt.owner}` : 'shipped with the product'}</span>
        <span>updated {formatDate(prompt.updated_at)}</span>
        {prompt.is_default && <span className="badge primary">default</span>}
      </div>
      {prompt.description && <p>{prompt.description}</p>}
      {error && (
        <p role="alert" className="alert error">
          {error}
        </p>
      )}
      <div className="button-row">
        <Link
          // Clones the version on screen, which may be an older one.
          to={`/prompt-workshop?clone=${encodeURIComponent(prompt.name)}&version=${shownNumber}`}
          className="btn btn-primary"
          id="clone-prompt"
        >
          Clone &amp; modify
        </Link>
        <Link to={`/auspex-chat?prompt=${encodeURIComponent(prompt.name)}`} className="btn">
          Try in chat
        </Link>
        <Link
          to={`/evals?prompt=${encodeURIComponent(`${prompt.name}@${shownNumber}`)}`}
          className="btn"
          id="evaluate-version"
        >
          Evaluate version {shownNumber}
        </Link>
        {prompt.can_edit && !editing && (
          <button type="button" className="btn" id="edit-prompt" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {prompt.can_edit && !prompt.is_default && (
          <button type="button" className="btn btn-danger" id="delete-prompt" onClick={() => void remove()}>
            Delete
          </button>
        )}
      </div>
      {editing ? (
        <EditPrompt
          prompt={prompt}
          onDone={() => {
            setEditing(false);
            setVersion(null);
          }}
        />
      ) : (
        <>
          <h3 className="visually-hidden">Content of version {shown?.version ?? prompt.version}</h3>
          {/* The header names the newest version; say so when an older one is on screen. */}
          {shown && shown.version !== prompt.version && (
            <p className="alert info" id="older-version-note">
              Showing version {shown.version}; the newest is version {prompt.version}.{' '}
              <button type="button" className="btn-link" onClick={() => setVersion(null)}>
                Show the newest
              </button>
            </p>
          )}
          <pre className="prompt-content" id="prompt-content">
            {content}
          </pre>
          <p className="muted small">
            {formatNumber(content.length)} characters · ~{formatNumber(estimateTokens(content))} tokens
            (estimated)
            {previous && (
              <>
                {' · '}
                <button
                  type="button"
                  className="btn-link"
                  id="toggle-version-changes"
                  aria-expanded={showChanges}
                  onClick={() => setShowChanges((v) => !v)}
                >
                  {showChanges ? 'Hide' : 'Show'} changes from v{previous.version}
                </button>
              </>
            )}
          </p>
          {previous && showChanges && (
            <TextDiff id="version-changes" before={previous.content} after={content} />
          )}
        </>
      )}
      <h3>Versions</h3>
      {versions.isPending && <Spinner label="Loading versions" />}
      {versions.isError && (
        <p role="alert" className="alert error">
          {errorMessage(versions.error)}
        </p>
      )}
      <ol className="versions" id="prompt-versions" reversed>
        {versions.data?.versions.map((v) => (
          <li key={v.version}>
            <button
              type="button"
              aria-pressed={(version ?? prompt.version) === v.version}
              onClick={() => setVersion(v.version === prompt.version ? null : v.version)}
            >
              <strong>v{v.version}</strong> · {formatDate(v.created_at)}
              {v.author ? ` · ${v.author}` : ''}
              {v.message ? ` — ${v.message}` : ''}
            </button>
          </li>
        ))}
      </ol>
      {confirmDialog}
    </article>
  );
}

function EditPrompt({ prompt, onDone }: { prompt: PromptResponse; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(prompt.title);
  const [description, setDescription] = useState(prompt.description);
  const [content, setContent] = useState(prompt.content);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await updatePrompt(prompt.name, {
        title,
        description,
        ...(content !== prompt.content ? { content, ...(note.trim() ? { message: note.trim() } : {}) } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: promptKeys.list });
      await queryClient.invalidateQueries({ queryKey: promptKeys.versions(prompt.name) });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="edit-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <p role="alert" className="alert error" id="edit-prompt-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="edit-title">Title</label>
        <input id="edit-title" value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="edit-description">Description</label>
        <textarea
          id="edit-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="edit-content">Content</label>
        <textarea
          id="edit-content"
          rows={14}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          className="mono"
        />
        <span className="field-hint">Changing the content adds a new version; earlier versions stay.</span>
      </div>
      <div className="field">
        <label htmlFor="edit-message">What changed (optional)</label>
        <input
          id="edit-message"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={content === prompt.content}
        />
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" id="save-prompt" disabled={busy}>
          Save
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
