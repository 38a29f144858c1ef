import type { TurnFigures } from '../../shared/chat';
import { CitedMarkdown } from '../components/cited-markdown';
import { Spinner } from '../components/spinner';
import { formatMs } from '../lib/format';

export interface Turn {
  key: number;
  role: 'user' | 'assistant';
  content: string;
  /** Assistant turns: the question they answer (what a citation's article page highlights at worst). */
  question?: string;
  figures?: TurnFigures;
  error?: string;
  streaming?: boolean;
}

/** One message of an Auspex chat; an answer's citations of retrieved articles open in the app. */
export function ChatTurn({ turn }: { turn: Turn }) {
  return (
    <div className={`chat-message ${turn.role}`}>
      <div className="message-role">{turn.role === 'user' ? 'You' : 'Auspex'}</div>
      {turn.role === 'user' ? (
        <div className="message-text">{turn.content}</div>
      ) : turn.content ? (
        <CitedMarkdown
          text={turn.content}
          articleIds={turn.figures?.article_ids ?? []}
          question={turn.question ?? ''}
        />
      ) : turn.streaming ? (
        <Spinner label="Auspex is searching and writing" />
      ) : null}
      {turn.error && (
        <p role="alert" className="alert error">
          {turn.error}
        </p>
      )}
      {turn.figures && (
        <div className="chat-figures">
          {turn.figures.article_count} articles · {formatMs(turn.figures.execution_time_ms)} ·{' '}
          {turn.figures.model}
          {turn.figures.offline ? ' (offline demo, not AI)' : ''}
        </div>
      )}
    </div>
  );
}
