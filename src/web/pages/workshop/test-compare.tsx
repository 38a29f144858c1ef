import { type ReactNode, useEffect, useRef } from 'react';
import type { TestResult } from '../../../shared/workshop';
import { Markdown } from '../../components/markdown';
import { TextDiff } from '../../components/text-diff';
import { signedChange } from '../../lib/compare';
import { formatCost, formatDateTime, formatMs, formatNumber } from '../../lib/format';
import { NotesPreview } from './notes-preview';

interface Row {
  label: string;
  a: ReactNode;
  b: ReactNode;
  change?: string | null;
}

const num = (n: number | null) => (n === null ? '—' : formatNumber(n));
const result = (t: TestResult) =>
  t.status === 'error' ? `failed: ${t.error ?? 'unknown error'}` : 'answered';
const rating = (t: TestResult) => (t.user_rating === null ? 'not rated' : `${t.user_rating} of 5`);

/**
 * Two test runs side by side: figures with their change, the prompt text diff, both answers.
 * Opened below a list that can be long, so it brings itself into view and takes the keyboard.
 */
export function TestCompare({ a, b, onClose }: { a: TestResult; b: TestResult; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Scroll first, then focus without the browser's own scroll, which may stop at the nearest edge.
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  const rows: Row[] = [
    // To the second: two runs a minute apart must not look the same.
    { label: 'Run', a: formatDateTime(a.timestamp), b: formatDateTime(b.timestamp) },
    { label: 'Query', a: a.query, b: b.query },
    { label: 'Topic', a: a.topic, b: b.topic },
    { label: 'Model', a: a.model, b: b.model },
    // A failed run has no answer: say so, rather than only showing "0 chars" below.
    { label: 'Result', a: result(a), b: result(b) },
    {
      label: 'Articles',
      a: a.article_count,
      b: b.article_count,
      change: signedChange(a.article_count, b.article_count, formatNumber),
    },
    {
      label: 'Time',
      a: formatMs(a.execution_time_ms),
      b: formatMs(b.execution_time_ms),
      change: signedChange(a.execution_time_ms, b.execution_time_ms, formatMs),
    },
    {
      label: 'First token',
      a: formatMs(a.first_token_ms),
      b: formatMs(b.first_token_ms),
      change: signedChange(a.first_token_ms, b.first_token_ms, formatMs),
    },
    {
      label: 'Answer length',
      a: `${formatNumber(a.response_length)} chars`,
      b: `${formatNumber(b.response_length)} chars`,
      change: signedChange(a.response_length, b.response_length, (n) => `${formatNumber(n)} chars`),
    },
    {
      label: 'Tokens in / out',
      a: `${num(a.input_tokens)} / ${num(a.output_tokens)}`,
      b: `${num(b.input_tokens)} / ${num(b.output_tokens)}`,
    },
    {
      label: 'Cost',
      a: formatCost(a.cost_usd),
      b: formatCost(b.cost_usd),
      change: signedChange(a.cost_usd, b.cost_usd, formatCost),
    },
    {
      label: 'Rating',
      a: rating(a),
      b: rating(b),
      change: signedChange(a.user_rating, b.user_rating, String),
    },
    {
      label: 'Notes',
      a: <NotesPreview notes={a.notes} mode="expandable" />,
      b: <NotesPreview notes={b.notes} mode="expandable" />,
    },
  ];
  return (
    <section id="test-compare" className="test-compare" aria-labelledby="test-compare-title">
      <div className="compare-head">
        <h3 id="test-compare-title" ref={heading} tabIndex={-1}>
          Comparing two runs
        </h3>
        <button type="button" className="btn btn-small" id="close-compare" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="table-scroll">
        <table id="compare-metrics" className="compare-table compare-runs">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Figure</span>
              </th>
              <th scope="col">A (earlier)</th>
              <th scope="col">B (later)</th>
              <th scope="col">Change B − A</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label} data-row={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.a}</td>
                <td>{r.b}</td>
                <td className="compare-change">{r.change ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Prompt text</h4>
      {a.content_sha256 === b.content_sha256 ? (
        <p id="compare-prompt-same" className="muted">
          Both runs tested the same prompt text.
        </p>
      ) : (
        <TextDiff id="compare-prompt-diff" before={a.tested_content} after={b.tested_content} />
      )}
      <h4>Answers</h4>
      <div className="compare-answers">
        <div>
          <h5>A</h5>
          <Markdown id="compare-answer-a" text={a.response || '(no answer)'} />
        </div>
        <div>
          <h5>B</h5>
          <Markdown id="compare-answer-b" text={b.response || '(no answer)'} />
        </div>
      </div>
    </section>
  );
}
