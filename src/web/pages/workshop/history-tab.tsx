import { useEffect, useRef, useState } from 'react';
import type { TestResult } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { useDraftSummary, useDraftTests } from '../../api/workshop';
import { Spinner } from '../../components/spinner';
import { HistoryRow } from './history-row';
import { PromptTextSummary } from './prompt-text-summary';
import { ShowOlderTests } from './show-older-tests';
import { TestCompare } from './test-compare';
import '../../styles/compare.css';

/**
 * The draft's tests, newest first, a page at a time ("Show older tests" loads the next); choosing
 * one opens it in the Test tab. Above the list, the server's figures per prompt text tested (over
 * every run, not only the pages shown); tick two runs, from any page, to compare them side by side.
 */
export function HistoryTab({ draftId, onOpen }: { draftId: number; onOpen: (t: TestResult) => void }) {
  const tests = useDraftTests(draftId);
  const [picked, setPicked] = useState<string[]>([]);
  const hint = useRef<HTMLParagraphElement>(null);
  const list = useRef<HTMLOListElement>(null);
  // Where the older runs start once they arrive: the keyboard goes there, since the button it was
  // on moves below them or goes away.
  const focusFrom = useRef<number | null>(null);
  const summary = useDraftSummary(draftId);
  const summaries = summary.data?.prompt_texts ?? [];
  const all = tests.data?.pages.flatMap((p) => p.test_results) ?? [];
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || all.length <= from) return;
    focusFrom.current = null;
    list.current?.querySelectorAll<HTMLButtonElement>('.history-item')[from]?.focus();
  }, [all.length]);

  if (tests.isPending) return <Spinner label="Loading test history" block />;
  // A failed older page keeps the runs already shown; its error shows by the button instead.
  if (tests.isError && !tests.isFetchNextPageError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(tests.error)}
      </p>
    );
  // Two picks, earlier one as A; a third pick replaces the older pick.
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const chosen = all
    .filter((t) => picked.includes(t.test_id))
    .sort((x, y) => x.timestamp.localeCompare(y.timestamp));
  const showOlder = () => {
    focusFrom.current = all.length;
    void tests.fetchNextPage();
  };
  return (
    <>
      {all.length === 0 && <p className="muted">No tests yet. Run one from the Test tab.</p>}
      {summaries.length > 0 && <PromptTextSummary summaries={summaries} />}
      {all.length > 1 && (
        // Polite live region: ticking the second run tells a screen reader the comparison opened below.
        <p className="muted small" id="compare-hint" ref={hint} tabIndex={-1} aria-live="polite">
          {chosen.length === 2
            ? 'Comparing the two ticked runs below.'
            : `Tick two runs to compare them (${chosen.length} of 2 ticked).`}
        </p>
      )}
      <ol id="test-history-list" className="history-list" ref={list}>
        {all.map((t) => (
          <HistoryRow
            key={t.test_id}
            test={t}
            comparable={all.length > 1}
            picked={picked.includes(t.test_id)}
            onToggle={() => toggle(t.test_id)}
            onOpen={() => onOpen(t)}
          />
        ))}
      </ol>
      {tests.hasNextPage && (
        <ShowOlderTests
          loading={tests.isFetchingNextPage}
          error={tests.isFetchNextPageError ? errorMessage(tests.error) : null}
          onShow={showOlder}
        />
      )}
      {chosen.length === 2 && (
        <TestCompare
          // Another pair is another comparison opening: it scrolls into view again.
          key={`${chosen[0].test_id}:${chosen[1].test_id}`}
          a={chosen[0]}
          b={chosen[1]}
          onClose={() => {
            setPicked([]);
            // The comparison goes away; land the keyboard where it started.
            hint.current?.focus();
          }}
        />
      )}
    </>
  );
}
