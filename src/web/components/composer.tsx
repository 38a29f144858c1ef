import { isSendKey } from '../lib/keys';
import { Spinner } from './spinner';

interface Props {
  /** Ids of the textarea and the send button: the customer's scripts address them. */
  inputId: string;
  buttonId: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  /** The textarea cannot be used yet (e.g. no chat to send to). */
  inputDisabled?: boolean;
  /** Sending is not possible right now (empty text, nothing chosen, a send in progress). */
  sendDisabled: boolean;
  /** A send is in progress: the button shows a spinner with this label. */
  busyLabel: string | null;
}

/** The message box under a conversation: Ctrl/Cmd+Enter or the button sends. */
export function Composer(p: Props) {
  const hintId = `${p.inputId}-hint`;
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSend();
      }}
    >
      <label htmlFor={p.inputId} className="field-label">
        {p.label}
      </label>
      <textarea
        id={p.inputId}
        rows={3}
        value={p.value}
        placeholder={p.placeholder}
        onChange={(e) => p.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (isSendKey(e)) {
            e.preventDefault();
            p.onSend();
          }
        }}
        aria-describedby={hintId}
        disabled={p.inputDisabled}
      />
      <div className="composer-actions">
        <span className="field-hint" id={hintId}>
          Ctrl+Enter (⌘+Enter) sends
        </span>
        <button type="submit" className="btn btn-primary" id={p.buttonId} disabled={p.sendDisabled}>
          {p.busyLabel !== null ? <Spinner label={p.busyLabel} /> : <span aria-hidden="true">➤</span>} Send
        </button>
      </div>
    </form>
  );
}
