import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type ChatMessageResponse, turnFigures } from '../../shared/chat';
import {
  chatKeys,
  chatSessionsKey,
  createChat,
  sendChatMessage,
  useChatMessages,
  useChatSessions,
} from '../api/chat';
import { ApiError, errorMessage } from '../api/http';
import { usePrompts } from '../api/library';
import { Composer } from '../components/composer';
import { ModelSelect, TopicSelect } from '../components/pickers';
import { Spinner } from '../components/spinner';
import { usePageTitle } from '../lib/use-page-title';
import { ChatHistory } from './chat-history';
import { ChatTurn, type Turn } from './chat-turn';
import '../styles/chat.css';
import '../styles/messages.css';
import '../styles/pages.css';

/** Stored messages as turns: an answer gets its figures, error and the question before it. */
function turnsOf(messages: ChatMessageResponse[], next: () => number): Turn[] {
  let question = '';
  return messages.map((m) => {
    if (m.role === 'user') {
      question = m.content;
      return { key: next(), role: 'user', content: m.content };
    }
    const figures = turnFigures.safeParse(m.metadata);
    const error =
      m.metadata.status === 'error' && typeof m.metadata.error === 'string' ? m.metadata.error : undefined;
    return {
      key: next(),
      role: 'assistant',
      content: m.content,
      question,
      ...(figures.success ? { figures: figures.data } : {}),
      ...(error ? { error } : {}),
    };
  });
}

const chatIdOf = (value: string | null) => (value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null);

/**
 * /auspex-chat: ask Auspex about a topic with a library prompt; answers stream with citations.
 * The open chat lives in the address (?chat=ID), so a reload or a link reopens it.
 */
export function ChatPage() {
  usePageTitle('Auspex chat');
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const prompts = usePrompts();
  const sessions = useChatSessions();
  const [topic, setTopic] = useState('');
  const [model, setModel] = useState('');
  const chatId = chatIdOf(params.get('chat'));
  /** The chat whose messages `turns` holds (null: a new, unsaved conversation). */
  const [shownChat, setShownChatState] = useState<number | null>(null);
  const shownRef = useRef<number | null>(null);
  const setShownChat = useCallback((id: number | null) => {
    shownRef.current = id;
    setShownChatState(id);
  }, []);
  /** A chat from the address whose stored messages are still to be shown. */
  const [loading, setLoading] = useState<number | null>(null);
  const stored = useChatMessages(chatId);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const abort = useRef<AbortController | null>(null);
  const seq = useRef(0);

  const library = prompts.data ?? [];
  const requested = params.get('prompt');
  const promptName = library.some((p) => p.name === requested)
    ? requested!
    : (library.find((p) => p.is_default)?.name ?? library[0]?.name ?? '');
  const prompt = library.find((p) => p.name === promptName);

  useEffect(() => () => abort.current?.abort(), []);

  // Another chat in the address (the list, back/forward, a reload): show its stored messages.
  const session = sessions.data?.find((c) => c.id === chatId);
  // Only a change of the address counts: right after the first message creates a chat, the
  // address catches up a render later and must not clear the conversation being streamed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to the address alone
  useEffect(() => {
    if (chatId === shownRef.current) return setLoading(null);
    abort.current?.abort();
    setError(null);
    setTurns([]);
    setShownChat(null);
    setLoading(chatId);
  }, [chatId]);
  useEffect(() => {
    if (loading === null || loading !== chatId || !stored.data || stored.isFetching) return;
    setTurns(turnsOf(stored.data, () => ++seq.current));
    setShownChat(loading);
    setLoading(null);
  }, [loading, chatId, stored.data, stored.isFetching, setShownChat]);
  useEffect(() => {
    if (session?.topic && chatId === shownChat) setTopic(session.topic);
  }, [session?.topic, chatId, shownChat]);
  const loadError =
    chatId !== null && chatId !== shownChat && stored.isError
      ? stored.error instanceof ApiError && stored.error.status === 404
        ? 'This chat does not exist any more.'
        : errorMessage(stored.error)
      : null;

  /** The page's address with `chat` set or removed, other parameters kept. */
  const withChat = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id === null) next.delete('chat');
    else next.set('chat', String(id));
    return next;
  };
  const hrefOf = (id: number) => `/auspex-chat?${withChat(id)}`;
  const size = turns.reduce((n, t) => n + t.content.length, 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the conversation as it grows
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [size, turns.length]);

  function newChat() {
    abort.current?.abort();
    setTurns([]);
    setShownChat(null);
    setError(null);
    if (chatId !== null) setParams(withChat(null));
  }

  function chooseTopic(next: string) {
    if (next === topic) return;
    setTopic(next);
    if (topic !== '') newChat(); // a chat belongs to one topic
  }

  async function send() {
    const text = input.trim();
    if (!text || busy || !topic) return;
    setBusy(true);
    setError(null);
    setInput('');
    const userTurn: Turn = { key: ++seq.current, role: 'user', content: text };
    const answer: Turn = {
      key: ++seq.current,
      role: 'assistant',
      content: '',
      question: text,
      streaming: true,
    };
    setTurns((t) => [...t, userTurn, { ...answer }]);
    const patch = (p: Partial<Turn>) => {
      Object.assign(answer, p);
      setTurns((t) => t.map((x) => (x.key === answer.key ? { ...answer } : x)));
    };
    abort.current = new AbortController();
    try {
      let id = shownChat;
      if (id === null) {
        id = (await createChat({ topic, title: text.slice(0, 80) })).chat_id;
        // The turns on screen are this chat's: no reload of its messages.
        setShownChat(id);
        setParams(withChat(id), { replace: true });
      }
      await sendChatMessage(
        {
          chat_id: id,
          message: text,
          ...(promptName ? { prompt_name: promptName } : {}),
          ...(model ? { model } : {}),
        },
        {
          onContent: (chunk) => patch({ content: answer.content + chunk }),
          onError: (message) => patch({ error: message }),
          onDone: (event) => {
            const figures = turnFigures.safeParse(event);
            if (figures.success) patch({ figures: figures.data });
          },
        },
        abort.current.signal,
      );
      patch({ streaming: false });
      void queryClient.invalidateQueries({ queryKey: chatKeys.messages(id) });
      void queryClient.invalidateQueries({ queryKey: chatSessionsKey });
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setError(errorMessage(err));
      setTurns((t) => t.filter((x) => x.key !== answer.key || x.content !== ''));
      setInput(text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page chat-page">
      <div className="page-head">
        <h1>Auspex chat</h1>
        <button type="button" className="btn" id="new-chat" onClick={newChat} disabled={turns.length === 0}>
          New chat
        </button>
      </div>
      <div className="chat-layout">
        <div className="chat-side">
          <aside className="panel" aria-label="Chat settings">
            <TopicSelect id="chat-topic" value={topic} onChange={chooseTopic} disabled={busy} />
            <div className="field">
              <label htmlFor="chat-prompt">Prompt</label>
              <select
                id="chat-prompt"
                value={promptName}
                onChange={(e) => {
                  const next = new URLSearchParams(params);
                  next.set('prompt', e.target.value);
                  setParams(next, { replace: true });
                }}
                disabled={busy || prompts.isPending}
              >
                {prompts.isPending && <option value="">Loading prompts…</option>}
                {library.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.title} ({p.name})
                  </option>
                ))}
              </select>
              {prompts.isError && <span className="field-error">{errorMessage(prompts.error)}</span>}
              {prompt?.description && <span className="field-hint">{prompt.description}</span>}
            </div>
            <ModelSelect id="chat-model" value={model} onChange={setModel} disabled={busy} />
            {prompt && (
              <div className="button-row">
                <Link
                  to={`/prompt-workshop?clone=${encodeURIComponent(prompt.name)}`}
                  className="btn btn-small"
                  id="chat-clone-prompt"
                >
                  Clone &amp; modify
                </Link>
                <Link to={`/prompts?name=${encodeURIComponent(prompt.name)}`} className="btn btn-small">
                  View prompt
                </Link>
              </div>
            )}
          </aside>
          <ChatHistory currentId={chatId} hrefOf={hrefOf} onDeletedCurrent={newChat} />
        </div>
        <section className="panel" aria-labelledby="chat-heading">
          <h2 id="chat-heading" className="visually-hidden">
            Conversation
          </h2>
          <div
            id="chat-messages"
            className="chat-messages"
            ref={list}
            role="log"
            aria-live="polite"
            aria-busy={busy}
            aria-label="Conversation"
          >
            {loadError ? (
              <p className="alert error" role="alert" id="chat-load-error">
                {loadError} <Link to="/auspex-chat">Start a new chat</Link>.
              </p>
            ) : chatId !== null && chatId !== shownChat ? (
              <Spinner label="Loading the conversation" />
            ) : (
              turns.length === 0 && (
                <p className="muted">
                  Ask a question about the topic. Auspex searches its articles and answers with citations you
                  can open.
                </p>
              )
            )}
            {turns.map((t) => (
              <ChatTurn key={t.key} turn={t} />
            ))}
          </div>
          {error && (
            <p role="alert" className="alert error" id="chat-error">
              {error}
            </p>
          )}
          <Composer
            inputId="chat-input"
            buttonId="chat-send"
            label="Your question"
            placeholder="What do the articles say about…"
            value={input}
            onChange={setInput}
            onSend={() => void send()}
            sendDisabled={busy || !input.trim() || !topic}
            busyLabel={busy ? '' : null}
          />
        </section>
      </div>
    </main>
  );
}
