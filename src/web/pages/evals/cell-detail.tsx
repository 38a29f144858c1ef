import { Link } from 'react-router';
import type { CellResponse, RunResponse } from '../../../shared/evals';
import { useArticleRefs } from '../../api/corpus';
import { errorMessage } from '../../api/http';
import { CitedMarkdown } from '../../components/cited-markdown';
import { Modal } from '../../components/modal';
import { Spinner } from '../../components/spinner';
import { formatCost, formatMs, formatNumber } from '../../lib/format';

interface Props {
  run: RunResponse;
  cell: CellResponse | null;
  query: string | null;
  onClose: () => void;
}

/** One cell's full answer beside the articles it was given. */
export function CellDetail({ run, cell, query, onClose }: Props) {
  return (
    <Modal open={cell !== null} onClose={onClose} labelledBy="cell-title" id="cell-dialog">
      {cell && <CellBody run={run} cell={cell} query={query} onClose={onClose} />}
    </Modal>
  );
}

function CellBody({ run, cell, query, onClose }: Props & { cell: CellResponse }) {
  const articles = useArticleRefs(cell.article_ids);
  const variant = run.variants[cell.variant_index];
  return (
    <div className="cell-detail">
      <h2 id="cell-title">
        Case {cell.case_index + 1} · variant {cell.variant_index + 1}
        {run.repetitions > 1 ? ` · repetition ${cell.repetition + 1}` : ''}
      </h2>
      <p className="muted small">
        {variant?.prompt_label} · {cell.model ?? variant?.model} ·{' '}
        <span className={`badge cell-${cell.status}`}>{cell.status}</span> ·{' '}
        {formatMs(cell.execution_time_ms)} · first token {formatMs(cell.first_token_ms)} ·{' '}
        {formatNumber(cell.input_tokens ?? 0)} in / {formatNumber(cell.output_tokens ?? 0)} out tokens ·{' '}
        {formatCost(cell.cost_usd)}
      </p>
      {query && (
        <p>
          <strong>Query:</strong> {query}
        </p>
      )}
      <div className="cell-columns">
        <section aria-labelledby="cell-answer-heading">
          <h3 id="cell-answer-heading">Answer</h3>
          {cell.error && (
            <p className="alert error" id="cell-error">
              {cell.error}
            </p>
          )}
          {cell.skipped_reason && <p className="alert info">Skipped: {cell.skipped_reason}</p>}
          {cell.answer !== null && (
            <CitedMarkdown
              id="cell-answer"
              text={cell.answer}
              articleIds={cell.article_ids}
              question={query ?? ''}
            />
          )}
        </section>
        <section aria-labelledby="cell-articles-heading">
          <h3 id="cell-articles-heading">Articles ({cell.article_ids.length})</h3>
          {articles.isPending && cell.article_ids.length > 0 && <Spinner label="Loading articles" />}
          {articles.isError && <p className="alert error">{errorMessage(articles.error)}</p>}
          <ol className="cell-articles" id="cell-articles">
            {articles.data?.map((a) => (
              <li key={a.id}>
                <Link to={`/articles/${a.id}`}>{a.title}</Link>
                <span className="muted small"> · {a.source}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <div className="modal-actions">
        <button type="button" className="btn" id="cell-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
