import type { ArticleRef } from '../../shared/corpus';
import { contentWords, sentenceSpans } from './passage';

// Turning an answer's citations into in-app article links: a link whose URL is the URL of an
// article the turn retrieved opens /articles/{id}, with the claim it supports as ?q= so the
// article page can highlight the matching sentence. Other links are left as they are.

/** A passage needs this many content words to stand for a claim; shorter ones use the question. */
export const MIN_PASSAGE_WORDS = 4;
const MAX_QUERY_CHARS = 500;

/** A URL in a form two spellings of the same address share (encoding, trailing slash, host case). */
export function canonicalUrl(url: string): string {
  let href = url.trim();
  try {
    href = new URL(href).href;
  } catch {
    return href;
  }
  try {
    href = decodeURI(href);
  } catch {
    // Malformed escapes: compare as written.
  }
  return href.replace(/\/+(?=$|[?#])/, '');
}

export function articleForUrl(href: string, articles: readonly ArticleRef[]): ArticleRef | undefined {
  const wanted = canonicalUrl(href);
  return articles.find((a) => canonicalUrl(a.url) === wanted);
}

/**
 * The sentence of `text` around the link at [start, end), without the link's own words: the claim
 * the link is cited for. A sentence break inside the link text (a title with "U.S.") is bridged.
 */
export function citationPassage(text: string, start: number, end: number): string {
  const spans = sentenceSpans(text).filter((s) => s.end > start && s.start < Math.max(end, start + 1));
  if (spans.length === 0) return '';
  const from = spans[0].start;
  const to = spans[spans.length - 1].end;
  const claim = `${text.slice(from, start)} ${text.slice(end, to)}`;
  // What the link leaves behind: "()" around it, a space before the full stop.
  return claim
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
}

/** The in-app address of a cited article; `q` is the claim, or the question when the claim is too thin. */
export function articleHref(id: number, passage: string, question: string): string {
  const q =
    contentWords(passage).length >= MIN_PASSAGE_WORDS ? passage : question.replace(/\s+/g, ' ').trim();
  const short = q.length > MAX_QUERY_CHARS ? q.slice(0, MAX_QUERY_CHARS) : q;
  return short ? `/articles/${id}?q=${encodeURIComponent(short)}` : `/articles/${id}`;
}

/** Where a link at [start, end) of `blockText` should point, or null to leave it alone. */
export function citationLink(
  href: string,
  blockText: string,
  start: number,
  end: number,
  articles: readonly ArticleRef[],
  question: string,
): { article: ArticleRef; href: string } | null {
  const article = articleForUrl(href, articles);
  if (!article) return null;
  return { article, href: articleHref(article.id, citationPassage(blockText, start, end), question) };
}

const BLOCKS = 'p, li, td, th, dd, blockquote, h1, h2, h3, h4, h5, h6';

/**
 * Rewrites the citation links rendered inside `root` (the DOM the Markdown component produced).
 * Rewritten links open in the app (no new tab) and keep the original address in data-original-url.
 */
export function rewriteCitationLinks(root: HTMLElement, articles: readonly ArticleRef[], question: string) {
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    if (a.dataset.articleId) continue;
    const block = (a.parentElement?.closest(BLOCKS) as HTMLElement | null) ?? root;
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEndBefore(a);
    const start = before.toString().length;
    const end = start + (a.textContent ?? '').length;
    const link = citationLink(
      a.getAttribute('href') ?? '',
      block.textContent ?? '',
      start,
      end,
      articles,
      question,
    );
    if (!link) continue;
    a.dataset.originalUrl = a.getAttribute('href') ?? '';
    a.dataset.articleId = String(link.article.id);
    a.setAttribute('href', link.href);
    a.removeAttribute('target');
    a.removeAttribute('rel');
    a.classList.add('citation-link');
    a.title = `Open “${link.article.title}” in Auspex`;
  }
}

/** A citation's grounding verdict, as the cell view shows it on the link. */
export interface LinkMark {
  url: string;
  status: 'grounded' | 'unretrieved' | 'invented';
  reason: string;
  /** The id of the element that says more (the entry in the list of citations under the answer). */
  describedBy?: string;
}

const MARK_STATUSES = ['grounded', 'unretrieved', 'invented'] as const;
export const MARK_LABELS: Record<LinkMark['status'], string> = {
  grounded: 'Grounded',
  unretrieved: 'Not retrieved',
  invented: 'Invented',
};

/**
 * Marks every link rendered inside `root` whose URL (the original one, before rewriteCitationLinks)
 * has a verdict: class citation-{status}, the reason as title and data-grounding-reason, and
 * aria-describedby. Marked by URL, not by character span: the verdict depends on the URL alone, and
 * spans into the markdown source do not survive rendering. The first mark of a URL wins.
 */
export function markCitationLinks(root: HTMLElement, marks: readonly LinkMark[]) {
  const byUrl = new Map<string, LinkMark>();
  for (const m of marks) if (!byUrl.has(canonicalUrl(m.url))) byUrl.set(canonicalUrl(m.url), m);
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const mark = byUrl.get(canonicalUrl(a.dataset.originalUrl ?? a.getAttribute('href') ?? ''));
    if (!mark) continue;
    for (const s of MARK_STATUSES) a.classList.toggle(`citation-${s}`, s === mark.status);
    a.classList.add('citation-mark');
    const text = `${MARK_LABELS[mark.status]}: ${mark.reason}`;
    a.dataset.groundingReason = text;
    a.dataset.grounding = mark.status;
    a.title = text;
    if (mark.describedBy) a.setAttribute('aria-describedby', mark.describedBy);
  }
}
