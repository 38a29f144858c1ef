import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, useRef, useState } from 'react';
import type { EvalCase, SuiteResponse } from '../../../shared/evals';
import { useTopics } from '../../api/corpus';
import { updateSuite } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { caseErrors } from './server-errors';

interface Row {
  key: number;
  query: string;
  topic: string;
  tags: string;
  /** Fields the table does not show (variables, reference, assertions…), kept as they were. */
  rest: Omit<EvalCase, 'query' | 'topic' | 'tags'>;
}

let nextKey = 1;
/** A row's height before it is measured: a two-line query box and its padding. */
const ROW_PX = 64;
function toRow({ query, topic, tags, ...rest }: EvalCase): Row {
  return { key: nextKey++, query, topic, tags: (tags ?? []).join(', '), rest };
}
function toCase(row: Row): EvalCase {
  const tags = row.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return { ...row.rest, query: row.query, topic: row.topic, ...(tags.length ? { tags } : {}) };
}

/** A table of the suite's cases; Save replaces them all (a new suite version). */
export function CaseEditor({
  suite,
  onSaved,
}: {
  suite: SuiteResponse;
  onSaved: (suite: SuiteResponse) => void;
}) {
  const topics = useTopics();
  const [rows, setRows] = useState<Row[]>(() => suite.cases.map(toRow));
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const perCase = caseErrors(error);
  const firstTopic = topics.data?.[0]?.name ?? '';
  // Only the rows in view (and a few either side) are in the DOM, so 5,000 cases stay smooth;
  // spacer rows above and below keep the table's own layout and the scroll height.
  const box = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => box.current,
    estimateSize: () => ROW_PX,
    overscan: 10,
    getItemKey: (i) => rows[i].key,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1].end : 0;

  const change = (key: number, patch: Partial<Row>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const add = () => {
    const row = toRow({ query: '', topic: rows.at(-1)?.topic ?? firstTopic });
    setRows((rs) => [...rs, row]);
    setDirty(true);
    // Scroll the new row into the window, then focus its query once it is drawn.
    requestAnimationFrame(() => {
      virtual.scrollToIndex(rows.length, { align: 'end' });
      requestAnimationFrame(() => document.getElementById(`case-query-${row.key}`)?.focus());
    });
  };
  const remove = (key: number) => {
    const i = rows.findIndex((r) => r.key === key);
    const next = rows.filter((r) => r.key !== key);
    setRows(next);
    setDirty(true);
    // The clicked button is gone: the keyboard moves to the case now in its place (or the one
    // before it, or "+ Add case" when none is left) instead of falling back to the page's top.
    const focusKey = (next[i] ?? next[i - 1])?.key;
    requestAnimationFrame(() =>
      document.getElementById(focusKey === undefined ? 'add-case' : `case-delete-${focusKey}`)?.focus(),
    );
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await updateSuite(suite.id, { cases: rows.map(toCase) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="case-editor" onSubmit={save} aria-labelledby="cases-heading">
      <h2 id="cases-heading">Cases</h2>
      {/* On a phone each case stacks as a block: its fields one under another, each named. */}
      <div className="table-scroll case-scroll stack-box" ref={box} id="case-scroll">
        <table className="case-table stack-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Query</th>
              <th scope="col">Topic</th>
              <th scope="col">Tags</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && <tr className="case-spacer" style={{ height: padTop }} />}
            {items.map((item) => {
              const i = item.index;
              const row = rows[i];
              const errs = perCase.get(i);
              const errId = `case-errors-${row.key}`;
              return (
                <tr
                  key={row.key}
                  data-index={i}
                  ref={virtual.measureElement}
                  className={errs ? 'has-error' : undefined}
                >
                  <td className="case-index">{i + 1}</td>
                  <td data-label="Query">
                    <textarea
                      id={`case-query-${row.key}`}
                      aria-label={`Query of case ${i + 1}`}
                      aria-describedby={errs ? errId : undefined}
                      aria-invalid={errs ? true : undefined}
                      rows={2}
                      value={row.query}
                      onChange={(e) => change(row.key, { query: e.target.value })}
                    />
                    {errs && (
                      <ul className="field-error" id={errId}>
                        {errs.map((m) => (
                          <li key={m}>{m}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td data-label="Topic">
                    <select
                      aria-label={`Topic of case ${i + 1}`}
                      value={row.topic}
                      onChange={(e) => change(row.key, { topic: e.target.value })}
                    >
                      {/* A topic no longer in the corpus stays visible so the error makes sense. */}
                      {!topics.data?.some((t) => t.name === row.topic) && (
                        <option value={row.topic}>{row.topic || '(choose)'}</option>
                      )}
                      {topics.data?.map((t) => (
                        <option key={t.name} value={t.name}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-label="Tags">
                    <input
                      aria-label={`Tags of case ${i + 1}`}
                      placeholder="comma, separated"
                      value={row.tags}
                      onChange={(e) => change(row.key, { tags: e.target.value })}
                    />
                  </td>
                  <td className="case-actions">
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      id={`case-delete-${row.key}`}
                      aria-label={`Delete case ${i + 1}`}
                      onClick={() => remove(row.key)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
            {padBottom > 0 && <tr className="case-spacer" style={{ height: padBottom }} />}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="empty">No cases yet: add one, or import a file below.</p>}
      {error !== null && (
        <p role="alert" className="alert error" id="case-editor-error">
          {perCase.size > 0
            ? [...perCase].map(([i, errs]) => `Case ${i + 1}: ${errs.join('; ')}`).join(' · ')
            : errorMessage(error)}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="btn" id="add-case" onClick={add}>
          + Add case
        </button>
        <button type="submit" className="btn btn-primary" id="save-cases" disabled={busy || !dirty}>
          Save cases
        </button>
      </div>
    </form>
  );
}
