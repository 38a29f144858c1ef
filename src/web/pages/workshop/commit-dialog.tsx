import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { PromptResponse } from '../../../shared/prompts';
import { type CommitResponse, commitRequest, isDefaultDraftName } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { commitDraft } from '../../api/workshop';
import { Modal } from '../../components/modal';
import { Spinner } from '../../components/spinner';
import { TextDiff } from '../../components/text-diff';
import { suggestPromptName } from '../../lib/format';

interface Props {
  open: boolean;
  onClose: () => void;
  draftId: number;
  draftName: string;
  draftDescription: string;
  draftContent: string;
  /** The user's own library prompt this draft was cloned from: committing under its name adds a version. */
  versionOf: PromptResponse | null;
  /** Saves pending edits first: the server commits the stored draft. */
  saveFirst: () => Promise<boolean>;
  onCommitted: (result: CommitResponse) => void;
}

/** The first problem the shared schema finds in one field, or null. */
function fieldError(schema: z.ZodType, value: string): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
}

/** Commit the draft to the prompt library under a name; checked as you type. */
export function CommitDialog(props: Props) {
  return (
    <Modal open={props.open} onClose={props.onClose} labelledBy="commit-title-heading" id="commit-dialog">
      <CommitForm {...props} />
    </Modal>
  );
}

function CommitForm({
  onClose,
  draftId,
  draftName,
  draftDescription,
  draftContent,
  versionOf,
  saveFirst,
  onCommitted,
}: Props) {
  const [name, setName] = useState(() => versionOf?.name ?? suggestPromptName(draftName));
  // A new version keeps the prompt's title unless the user changes it (the commit overwrites it).
  const [title, setTitle] = useState(() => versionOf?.title ?? draftName.trim().slice(0, 100));
  const [description, setDescription] = useState(() => draftDescription.trim().slice(0, 500));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CommitResponse | null>(null);
  const libraryLink = useRef<HTMLAnchorElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  // A draft still named "Untitled draft …" would enter the library under that title: ask for one.
  const untitled = !versionOf && isDefaultDraftName(draftName.trim());
  useEffect(() => {
    if (!untitled) return;
    // After the dialog's showModal() has focused its first field (the parent's effect runs later).
    const timer = setTimeout(() => {
      titleInput.current?.focus();
      titleInput.current?.select();
    });
    return () => clearTimeout(timer);
  }, [untitled]);
  // The form (and its focused Commit button) is replaced by the result: move the focus along.
  useEffect(() => {
    if (done) libraryLink.current?.focus();
  }, [done]);

  const nameError = fieldError(commitRequest.shape.name, name);
  const titleError = fieldError(commitRequest.shape.title, title);
  const descriptionError = fieldError(commitRequest.shape.description, description);
  const valid = !nameError && !titleError && !descriptionError;

  async function submit() {
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      if (!(await saveFirst())) {
        setError('The draft could not be saved; settle the save problem first, then commit.');
        return;
      }
      const result = await commitDraft(draftId, {
        name: name.trim(),
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setDone(result);
      onCommitted(result);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <>
        <h2 id="commit-title-heading">Committed</h2>
        <p role="status" className="alert success" id="commit-success">
          {done.message || `Saved as ${done.name}`}
          {/* The server's message names the version when it is not the first; say it only once. */}
          {done.message.includes(`version ${done.version}`) ? '' : ` (version ${done.version})`}.
        </p>
        <p>
          <Link
            to={`/prompts?name=${encodeURIComponent(done.name)}`}
            id="commit-library-link"
            ref={libraryLink}
          >
            Open “{done.name}” in the prompt library
          </Link>
        </p>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} id="commit-close">
            Close
          </button>
        </div>
      </>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      <h2 id="commit-title-heading">Commit to the prompt library</h2>
      {error && (
        <p role="alert" className="alert error" id="commit-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="commit-name">Name</label>
        <input
          id="commit-name"
          value={name}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby="commit-name-hint"
        />
        <span className={nameError ? 'field-error' : 'field-hint'} id="commit-name-hint">
          {nameError
            ? nameError
            : versionOf && name.trim() === versionOf.name
              ? `Commits version ${versionOf.version + 1} of the prompt this draft was cloned from; change the name for a new prompt.`
              : '3–50 characters: lower-case letters, digits and _ only.'}
        </span>
      </div>
      {versionOf && name.trim() === versionOf.name && (
        // Publishing over a prompt others may use: show what the new version changes first.
        <details className="commit-changes" id="commit-changes">
          <summary>What changes from version {versionOf.version}</summary>
          {versionOf.content === draftContent ? (
            <p className="muted small">The text is the same as version {versionOf.version}.</p>
          ) : (
            <TextDiff before={versionOf.content} after={draftContent} />
          )}
        </details>
      )}
      <div className="field">
        <label htmlFor="commit-title">Title</label>
        <input
          id="commit-title"
          ref={titleInput}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={titleError ? true : undefined}
          aria-describedby="commit-title-hint"
        />
        <span className={titleError ? 'field-error' : 'field-hint'} id="commit-title-hint">
          {titleError
            ? titleError
            : untitled && title.trim() === draftName.trim()
              ? 'This draft is still untitled: give it a title that says what the prompt is for (5–100 characters).'
              : '5–100 characters.'}
        </span>
      </div>
      <div className="field">
        <label htmlFor="commit-description">Description</label>
        <textarea
          id="commit-description"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby="commit-description-hint"
        />
        <span className={descriptionError ? 'field-error' : 'field-hint'} id="commit-description-hint">
          {descriptionError ?? 'Optional, up to 500 characters.'}
        </span>
      </div>
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" id="confirm-commit" disabled={!valid || busy}>
          {busy ? <Spinner label="" /> : null} Commit
        </button>
      </div>
    </form>
  );
}
