import DOMPurify from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';

// Every piece of markdown from users, models and articles goes through here: marked renders,
// DOMPurify removes anything executable. Links open in a new tab without an opener.

const marked = new Marked({ gfm: true, breaks: false, async: false });

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Markdown to sanitised HTML. Images are dropped: remote images would leak reads on a closed network. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false });
  return purifier().sanitize(html, {
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/(?!\/))/i,
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
