import { type MouseEvent, useLayoutEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useArticleRefs } from '../api/corpus';
import { type LinkMark, markCitationLinks, rewriteCitationLinks } from '../lib/citations';
import { Markdown } from './markdown';

interface Props {
  text: string;
  /** The articles the answer's turn retrieved; links to their URLs become in-app article links. */
  articleIds: readonly number[];
  /** The question asked: what the article page highlights when a citation carries no claim. */
  question: string;
  id?: string;
  /** Grounding verdicts: links to these URLs are marked green or red with the reason (the cell view). */
  marks?: readonly LinkMark[];
}

/**
 * An answer rendered by Markdown whose citations of retrieved articles open the in-app article
 * view. The rewrite works on the rendered DOM (the renderer stays untouched) and runs after every
 * render, since a new text replaces the HTML.
 */
export function CitedMarkdown({ text, articleIds, question, id, marks }: Props) {
  const refs = useArticleRefs(articleIds);
  const box = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();

  useLayoutEffect(() => {
    if (box.current && refs.data) rewriteCitationLinks(box.current, refs.data, question);
    if (box.current && marks?.length) markCitationLinks(box.current, marks);
  });

  // Rewritten links navigate inside the app; modified clicks (new tab, …) keep the browser's way.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = (e.target as Element).closest('a[data-article-id]');
    if (!link) return;
    e.preventDefault();
    navigate(link.getAttribute('href') ?? '/');
  };

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: delegates the clicks of the links inside, which keep their own keyboard behaviour (Enter clicks a link)
    <div ref={box} onClick={onClick}>
      <Markdown id={id} text={text} />
    </div>
  );
}
