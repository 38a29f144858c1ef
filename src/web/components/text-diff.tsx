import { useMemo } from 'react';
import { lineDiff } from '../lib/compare';
import { plural } from '../lib/format';
import { DiffWords } from './diff-words';
import '../styles/compare.css';

const MARK = { same: '  ', added: '+ ', removed: '- ' } as const;

/**
 * A line diff of two texts, added lines green and removed red, the changed words of a changed line
 * marked darker; text only, never markup.
 */
export function TextDiff({ before, after, id }: { before: string; after: string; id?: string }) {
  const diff = useMemo(() => lineDiff(before, after), [before, after]);
  return (
    <figure className="text-diff" id={id}>
      <figcaption className="muted small">
        {plural(diff.added, 'line')} added, {plural(diff.removed, 'line')} removed
      </figcaption>
      <pre>
        {diff.lines.map((line, i) => (
          // Lines have no identity of their own; the position is their key.
          // biome-ignore lint/suspicious/noArrayIndexKey: a diff's lines are only ever re-rendered whole
          <span key={i} className={`diff-line diff-${line.kind}`}>
            <span aria-hidden="true">{MARK[line.kind]}</span>
            {line.kind !== 'same' && (
              <span className="visually-hidden">{line.kind === 'added' ? 'added: ' : 'removed: '}</span>
            )}
            {line.words ? <DiffWords words={line.words} added={line.kind === 'added'} /> : line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </figure>
  );
}
