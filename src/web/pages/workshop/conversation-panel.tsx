import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessageResponse } from '../../../shared/chat';
import { chatKeys, sendChatMessage, useChatMessages } from '../../api/chat';
import { errorMessage } from '../../api/http';
import { Composer } from '../../components/composer';
import { Markdown } from '../../components/markdown';
import { Spinner } from '../../components/spinner';
import { lastCodeBlock } from '../../lib/markdown';

interface Props {
  chatId: number | null;
  /** Puts an extracted code block into the editor. */
  onExtract: (text: string) => void;
}

interface Pending {
  user: string;
  answer: string;
  error: string | null;
}

/** The conversation with the workshop assistant (left panel). */
export function ConversationPanel({ chatId, onExtract }: Props) {
  const queryClient = useQueryClient();
  const messages = useChatMessages(chatId);
  const [input, setInput] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [fresh, setFresh] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const abort = useRef<AbortController | null>(null);

  const history = messages.data ?? [];
  const code = useMemo(() => {
    for (let i = history.length - 1; i >= 0; i--) {
      const m = history[i];
      if (m.role !== 'assistant') continue;
      const block = lastCodeBlock(m.content);
      if (block) return block;
    }
    return null;
  }, [history]);

  // Follow the conversation as it grows, unless the reader scrolled up.
  const lastLength = pending ? pending.answer.length + history.length : history.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the content grows
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 160 || !pending) el.scrollTop = el.scrollHeight;
  }, [lastLength]);

  useEffect(() => () => abort.current?.abort(), []);

  async function send() {
    const text = input.trim();
    if (!text || pending || chatId === null) return;
    setSendError(null);
    setInput('');
    const state: Pending = { user: text, answer: '', error: null };
    setPending(state);
    abort.current = new AbortController();
    let done: Record<string, unknown> = {};
    try {
      await sendChatMessage(
        { chat_id: chatId, message: text },
        {
          onContent: (chunk) => {
            state.answer += chunk;
            setPending({ ...state });
          },
          onError: (message) => {
            state.error = message;
            setPending({ ...state });
          },
          onDone: (event) => {
            done = event;
          },
        },
        abort.current.signal,
      );
      const now = new Date().toISOString();
      const added: ChatMessageResponse[] = [
        message(Number(done.user_message_id ?? -Date.now()), 'user', text, now),
      ];
      if (state.answer || !state.error) {
        added.push(
          message(Number(done.assistant_message_id ?? -Date.now() - 1), 'assistant', state.answer, now),
        );
      }
      queryClient.setQueryData<ChatMessageResponse[]>(chatKeys.messages(chatId), (old) => [
        ...(old ?? []),
        ...added,
      ]);
      if (state.error) setSendError(state.error);
      if (lastCodeBlock(state.answer)) setFresh(true);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setSendError(errorMessage(err));
      setInput(text);
    } finally {
      setPending(null);
    }
  }

  function extract() {
    if (!code) return;
    onExtract(code);
    setFresh(false);
  }

  return (
    <section className="panel conversation-panel" aria-labelledby="conversation-title">
      <div className="panel-head">
        <h2 id="conversation-title">Workshop assistant</h2>
        <button
          type="button"
          className="btn btn-small"
          id="extract-prompt"
          onClick={extract}
          disabled={!code}
          title="Put the last proposed draft (the last code block) into the editor"
        >
          <span aria-hidden="true">⤓</span> Extract
          {fresh && code ? <span className="badge new">New</span> : null}
        </button>
      </div>
      <div
        id="workshop-messages"
        className="workshop-messages"
        ref={list}
        role="log"
        aria-live="polite"
        aria-busy={pending !== null}
        aria-label="Conversation"
      >
        {messages.isPending && chatId !== null && <Spinner label="Loading conversation" block />}
        {messages.isError && (
          <p role="alert" className="alert error">
            {errorMessage(messages.error)}
          </p>
        )}
        {chatId === null && <p className="muted">This draft has no workshop conversation.</p>}
        {history.map((m) => (
          <MessageBubble key={m.id} author={m.metadata.opening ? 'app' : m.role} content={m.content} />
        ))}
        {pending && (
          <>
            <MessageBubble author="user" content={pending.user} />
            <div className="workshop-message assistant streaming">
              <div className="message-role">Assistant</div>
              {pending.answer ? (
                <Markdown text={pending.answer} />
              ) : (
                <Spinner label="The assistant is writing" />
              )}
            </div>
          </>
        )}
      </div>
      {sendError && (
        <p role="alert" className="alert error" id="workshop-send-error">
          {sendError}
        </p>
      )}
      <Composer
        inputId="workshop-user-input"
        buttonId="send-workshop-message"
        label="Your message"
        placeholder="Describe what the prompt should do, or ask for changes…"
        value={input}
        onChange={setInput}
        onSend={() => void send()}
        inputDisabled={chatId === null}
        sendDisabled={pending !== null || input.trim() === '' || chatId === null}
        busyLabel={pending ? 'Sending' : null}
      />
    </section>
  );
}

function message(id: number, role: 'user' | 'assistant', content: string, at: string): ChatMessageResponse {
  return {
    id,
    role,
    content,
    model: null,
    input_tokens: null,
    output_tokens: null,
    metadata: {},
    created_at: at,
  };
}

const AUTHOR_LABEL = { user: 'You', assistant: 'Assistant', app: 'Sent for you by Prompt Workshop' } as const;

/**
 * User text is shown as text; assistant text is markdown, sanitised. The opening message is the
 * app's (the requirements or the prompt a clone started from), written as markdown.
 */
export function MessageBubble({ author, content }: { author: keyof typeof AUTHOR_LABEL; content: string }) {
  return (
    <div className={`workshop-message ${author}`}>
      <div className="message-role">{AUTHOR_LABEL[author]}</div>
      {author === 'user' ? <div className="message-text">{content}</div> : <Markdown text={content} />}
    </div>
  );
}
