import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { CHAT_TITLE_MAX, type ChatSession } from '../../shared/chat';
import { chatSessionsKey, deleteChat, renameChat, useChatSessions } from '../api/chat';
import { errorMessage } from '../api/http';
import { useConfirm } from '../components/modal';
import { Spinner } from '../components/spinner';
import { formatDate, plural } from '../lib/format';

interface Props {
  currentId: number | null;
  /** The address that opens a chat (keeps the page's other parameters). */
  hrefOf: (id: number) => string;
  /** The open chat was deleted: the page starts a new one. */
  onDeletedCurrent: () => void;
}

/** Past Auspex chats, latest activity first: open, rename inline, delete after a confirm. */
export function ChatHistory({ currentId, hrefOf, onDeletedCurrent }: Props) {
  const sessions = useChatSessions();
  const queryClient = useQueryClient();
  const [dialog, confirm] = useConfirm();
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(chat: ChatSession) {
    const ok = await confirm({
      title: 'Delete this chat?',
      body: (
        <p>
          “{chat.title}” and its {plural(chat.message_count, 'message')} will be deleted. This cannot be
          undone.
        </p>
      ),
      confirmLabel: 'Delete chat',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await deleteChat(chat.id);
      queryClient.setQueryData<ChatSession[]>(chatSessionsKey, (old) => old?.filter((s) => s.id !== chat.id));
      if (chat.id === currentId) onDeletedCurrent();
    } catch (err) {
      setError(errorMessage(err));
    }
    void queryClient.invalidateQueries({ queryKey: chatSessionsKey });
  }

  const list = sessions.data ?? [];
  return (
    <nav className="panel chat-history" aria-labelledby="chat-history-heading">
      <h2 id="chat-history-heading">Past chats</h2>
      {sessions.isPending && <Spinner label="Loading chats" />}
      {sessions.isError && (
        <p role="alert" className="alert error">
          {errorMessage(sessions.error)}
        </p>
      )}
      {error && (
        <p role="alert" className="alert error" id="chat-history-error">
          {error}
        </p>
      )}
      {sessions.isSuccess && list.length === 0 && <p className="muted small">No chats yet.</p>}
      <ul id="chat-history" className="chat-history-list">
        {list.map((chat) => (
          <li key={chat.id} data-chat-id={chat.id} className={chat.id === currentId ? 'current' : undefined}>
            {editing === chat.id ? (
              <RenameField
                chat={chat}
                onDone={() => setEditing(null)}
                onSaved={(saved) =>
                  queryClient.setQueryData<ChatSession[]>(chatSessionsKey, (old) =>
                    old?.map((s) => (s.id === saved.id ? saved : s)),
                  )
                }
              />
            ) : (
              <>
                <Link
                  to={hrefOf(chat.id)}
                  className="chat-history-link"
                  aria-current={chat.id === currentId ? 'page' : undefined}
                >
                  <span className="chat-history-title">{chat.title}</span>
                  <span className="chat-history-meta">
                    {chat.topic} · {plural(chat.message_count, 'message')} · {formatDate(chat.updated_at)}
                  </span>
                </Link>
                <div className="chat-history-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-action="rename"
                    aria-label={`Rename “${chat.title}”`}
                    onClick={() => setEditing(chat.id)}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    data-action="delete"
                    aria-label={`Delete “${chat.title}”`}
                    onClick={() => void remove(chat)}
                  >
                    Delete
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {dialog}
    </nav>
  );
}

/** The inline title editor: Enter saves, Escape cancels; focus returns to the Rename button. */
function RenameField({
  chat,
  onDone,
  onSaved,
}: {
  chat: ChatSession;
  onDone: () => void;
  onSaved: (chat: ChatSession) => void;
}) {
  const [value, setValue] = useState(chat.title);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const errorId = `rename-error-${chat.id}`;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const finish = () => {
    onDone();
    // The list item re-renders with its buttons; give the focus back to Rename.
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLButtonElement>(`[data-chat-id="${chat.id}"] [data-action="rename"]`)
        ?.focus(),
    );
  };

  async function save() {
    const title = value.trim();
    if (title === chat.title) return finish();
    if (title === '') {
      setError('The title must not be empty.');
      return;
    }
    setSaving(true);
    try {
      onSaved(await renameChat(chat.id, title));
      finish();
    } catch (err) {
      setError(errorMessage(err));
      setSaving(false);
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      finish();
    }
  };

  return (
    <div className="chat-rename">
      <input
        ref={input}
        id={`rename-chat-${chat.id}`}
        className="chat-rename-input"
        aria-label={`New title for “${chat.title}” (Enter saves, Escape cancels)`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        maxLength={CHAT_TITLE_MAX}
        value={value}
        disabled={saving}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      {error && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
