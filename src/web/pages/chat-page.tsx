import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type TurnFigures, turnFigures } from '../../shared/chat';
import { createChat, sendChatMessage } from '../api/chat';
import { errorMessage } from '../api/http';
import { usePrompts } from '../api/library';
import { Composer } from '../components/composer';
import { Markdown } from '../components/markdown';
import { ModelSelect, TopicSelect } from '../components/pickers';
import { Spinner } from '../components/spinner';
import { formatMs } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';
import '../styles/messages.css';
import '../styles/pages.css';

interface Turn {
  key: number;
  role: 'user' | 'assistant';
  content: string;
  figures?: TurnFigures;
  error?: string;
  streaming?: boolean;
}

/** /auspex-chat: ask Auspex about a topic with a library prompt; answers stream with citations. */
export function ChatPage() {
  usePageTitle('Auspex chat');
  const [params, setParams] = useSearchParams();
  const prompts = usePrompts();
  const [topic, setTopic] = useState('');
  const [model, setModel] = useState('');
  const [chatId, setChatId] = useState<number | null>(null);
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
  const size = turns.reduce((n, t) => n + t.content.length, 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the conversation as it grows
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [size, turns.length]);

  function newChat() {
    abort.current?.abort();
    setChatId(null);
    setTurns([]);
    setError(null);
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
    const answer: Turn = { key: ++seq.current, role: 'assistant', content: '', streaming: true };
    setTurns((t) => [...t, userTurn, { ...answer }]);
    const patch = (p: Partial<Turn>) => {
      Object.assign(answer, p);
      setTurns((t) => t.map((x) => (x.key === answer.key ? { ...answer } : x)));
    };
    abort.current = new AbortController();
    try {
      let id = chatId;
      if (id === null) {
        id = (await createChat({ topic, title: text.slice(0, 80) })).chat_id;
        setChatId(id);
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
        <aside className="panel" aria-label="Chat settings">
          <TopicSelect id="chat-topic" value={topic} onChange={chooseTopic} disabled={busy} />
          <div className="field">
            <label htmlFor="chat-prompt">Prompt</label>
            <select
              id="chat-prompt"
              value={promptName}
              onChange={(e) => setParams({ prompt: e.target.value }, { replace: true })}
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
            {turns.length === 0 && (
              <p className="muted">
                Ask a question about the topic. Auspex searches its articles and answers with citations you
                can open.
              </p>
            )}
            {turns.map((t) => (
              <div key={t.key} className={`chat-message ${t.role}`}>
                <div className="message-role">{t.role === 'user' ? 'You' : 'Auspex'}</div>
                {t.role === 'user' ? (
                  <div className="message-text">{t.content}</div>
                ) : t.content ? (
                  <Markdown text={t.content} />
                ) : t.streaming ? (
                  <Spinner label="Auspex is searching and writing" />
                ) : null}
                {t.error && (
                  <p role="alert" className="alert error">
                    {t.error}
                  </p>
                )}
                {t.figures && (
                  <div className="chat-figures">
                    {t.figures.article_count} articles · {formatMs(t.figures.execution_time_ms)} ·{' '}
                    {t.figures.model}
                    {t.figures.offline ? ' (offline demo, not AI)' : ''}
                  </div>
                )}
              </div>
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
