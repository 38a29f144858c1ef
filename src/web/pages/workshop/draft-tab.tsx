import {
  DRAFT_CONTENT_MAX,
  DRAFT_CONTENT_MIN_TO_TEST,
  DRAFT_DESCRIPTION_MAX,
  DRAFT_NAME_MAX,
  draftName,
} from '../../../shared/workshop';
import { PromptEditor } from '../../components/prompt-editor';
import { labelledMessage } from '../../lib/field-labels';
import { estimateTokens, formatNumber } from '../../lib/format';
import type { DraftEditor } from './use-draft-editor';

interface Props {
  editor: DraftEditor;
  onSave: () => void;
  onReset: () => void;
}

/** Name, status, description and the prompt text with its size. */
export function DraftTab({ editor, onSave, onReset }: Props) {
  const { fields, saveState } = editor;
  const chars = fields.draft_content.length;
  const short = fields.draft_content.trim().length < DRAFT_CONTENT_MIN_TO_TEST;
  // Checked as the user types, with the same rule the server applies; what they typed is kept.
  const nameCheck = draftName.safeParse(fields.draft_name);
  const nameError = nameCheck.success
    ? null
    : `${labelledMessage('draft_name', nameCheck.error.issues[0].message)} (now ${fields.draft_name.trim().length})`;
  const overLimit = chars > DRAFT_CONTENT_MAX;
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor="draft-name">Name</label>
          <input
            id="draft-name"
            value={fields.draft_name}
            onChange={(e) => editor.update({ draft_name: e.target.value })}
            aria-invalid={nameError ? true : undefined}
            aria-describedby="draft-name-error"
          />
          <span className={nameError ? 'field-error' : 'field-hint'} id="draft-name-error">
            {nameError ?? `${fields.draft_name.trim().length} / ${DRAFT_NAME_MAX} characters`}
          </span>
        </div>
        <div className="field status-field">
          <label htmlFor="draft-status">Status</label>
          <select
            id="draft-status"
            value={fields.status}
            onChange={(e) => editor.update({ status: e.target.value as typeof fields.status })}
          >
            <option value="draft">Draft</option>
            <option value="testing">Testing</option>
            <option value="ready">Ready</option>
            {fields.status === 'committed' && (
              <option value="committed" disabled>
                Committed
              </option>
            )}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="draft-description">Description</label>
        <textarea
          id="draft-description"
          rows={2}
          value={fields.draft_description}
          maxLength={DRAFT_DESCRIPTION_MAX}
          placeholder="What is this prompt for?"
          onChange={(e) => editor.update({ draft_description: e.target.value })}
        />
      </div>
      <div className="field">
        <span className="field-label" id="draft-content-label">
          Prompt
        </span>
        <PromptEditor
          id="draft-content"
          value={fields.draft_content}
          onChange={(value) => editor.update({ draft_content: value })}
          labelledBy="draft-content-label"
          describedBy="char-count"
          placeholderText="Write the system prompt here, or extract one from the conversation."
        />
        <div className="editor-foot">
          <span
            id="char-count"
            className={overLimit ? 'field-error' : short ? 'field-hint warn' : 'field-hint'}
          >
            {formatNumber(chars)} of {formatNumber(DRAFT_CONTENT_MAX)} characters · ~
            {formatNumber(estimateTokens(fields.draft_content))} tokens (estimated)
            {overLimit ? ` · ${formatNumber(chars - DRAFT_CONTENT_MAX)} over the limit; not saved` : ''}
            {short ? ` · at least ${DRAFT_CONTENT_MIN_TO_TEST} needed to test or commit` : ''}
          </span>
          <div className="button-row">
            <button type="button" className="btn btn-small" id="reset-draft" onClick={onReset}>
              Reset
            </button>
            <button
              type="button"
              className="btn btn-small btn-primary"
              id="save-draft"
              onClick={onSave}
              disabled={saveState.kind === 'saving'}
            >
              Save
            </button>
          </div>
        </div>
      </div>
    </>
  );
}
