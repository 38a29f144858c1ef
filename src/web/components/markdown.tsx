import { memo, useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';

/** Markdown from users, models or articles, sanitised by DOMPurify before it reaches the DOM. */
export const Markdown = memo(function Markdown({
  text,
  id,
  className,
}: {
  text: string;
  id?: string;
  className?: string;
}) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return (
    <div
      id={id}
      className={className ? `markdown ${className}` : 'markdown'}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by DOMPurify in renderMarkdown
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
});
