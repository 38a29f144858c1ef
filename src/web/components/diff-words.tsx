import type { DiffWord } from '../lib/compare';

/** A changed line's words, those that changed as <ins> or <del> (what assistive tech can name). */
export function DiffWords({ words, added }: { words: DiffWord[]; added: boolean }) {
  const Mark = added ? 'ins' : 'del';
  return words.map((w, j) =>
    w.changed ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: like the diff's lines, a line's words are only re-rendered whole
      <Mark key={j} className="diff-word">
        {w.text}
      </Mark>
    ) : (
      w.text
    ),
  );
}
