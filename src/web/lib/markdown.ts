import DOMPurify from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';

// Every piece of markdown from users, models and articles goes through here. Two layers, so that
// nothing in it can fetch from outside the closed network or run:
// 1. marked never passes raw HTML through: its html tokenizers are switched off, so `<video …>` is
//    ordinary text (escaped like any text) and an unclosed `<script>` cannot swallow what follows.
//    Images become links, so nothing loads by itself.
// 2. DOMPurify keeps only the tags and attributes marked itself emits (an allow-list), and links
//    only to http(s), mailto, fragments and same-site paths.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  // Returning undefined (not false) disables a tokenizer: raw HTML falls through to plain text.
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
  },
  renderer: {
    // Unreachable with the tokenizers off; kept so raw HTML can never be emitted verbatim.
    html: ({ text }) => escapeHtml(text),
    image({ href, title, text }) {
      const label = text || href;
      return this.link({
        type: 'link',
        raw: label,
        href,
        title,
        text: label,
        tokens: [{ type: 'text', raw: label, text: label }],
      });
    },
  },
});

/** Exactly what marked's renderer emits; nothing that fetches (img, video, svg, style …). */
export const ALLOWED_TAGS = [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'a',
  'code',
  'pre',
  'blockquote',
  'em',
  'strong',
  'del',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'input',
];
/** a[href title], ol[start], code[class=language-…], th/td[align], the GFM task-list checkbox. */
export const ALLOWED_ATTR = ['href', 'title', 'start', 'class', 'align', 'type', 'checked', 'disabled'];
/** http(s), mailto, #fragment and same-site paths ("/x", not "//host" or "/\\host"). */
export const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:|#|\/(?![/\\]))/i;

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
      // The only input marked emits is the task-list checkbox: never a button, image or text field.
      if (node.tagName === 'INPUT') {
        node.setAttribute('type', 'checkbox');
        node.setAttribute('disabled', '');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Markdown to HTML before sanitising: raw HTML in the source comes out as escaped text. */
export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

/** Markdown to sanitised HTML that loads nothing by itself. */
export function renderMarkdown(source: string): string {
  return purifier().sanitize(markdownToHtml(source), {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}

function collectCode(tokens: Token[] | undefined, out: string[]): void {
  for (const token of tokens ?? []) {
    if (token.type === 'code') out.push((token as Tokens.Code).text);
    const t = token as { tokens?: Token[]; items?: Tokens.ListItem[] };
    if (t.tokens) collectCode(t.tokens, out);
    if (t.items) for (const item of t.items) collectCode(item.tokens, out);
  }
}

/** Every fenced or indented code block in a markdown text, in order. */
export function codeBlocks(source: string): string[] {
  const out: string[] = [];
  collectCode(marked.lexer(source), out);
  return out;
}

/** The last code block in the text, or null: what "Extract" puts into the editor. */
export function lastCodeBlock(source: string): string | null {
  const blocks = codeBlocks(source).filter((b) => b.trim() !== '');
  return blocks.at(-1) ?? null;
}
