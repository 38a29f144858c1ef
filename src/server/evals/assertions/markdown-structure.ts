import { Lexer, type Token, type Tokens } from 'marked';
import { folded } from './text';
import type { Check } from './types';
import { quoted } from './types';

// Parsed with marked's lexer (the renderer the web app uses), so what counts as a heading, a list
// or a table here is what the reader sees. A required heading matches a heading of any level,
// ignoring case, emphasis marks and a trailing colon; the heading may go on after the required
// words ("Findings" matches "Findings (3 of 8)", not "Findingsx").

export interface MarkdownOutline {
  headings: string[];
  bulletList: boolean;
  numberedList: boolean;
  table: boolean;
}

const norm = (s: string) =>
  folded(s)
    .replace(/[*_`~]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s:]+$/, '')
    .trim();

export function outline(answer: string): MarkdownOutline {
  const out: MarkdownOutline = { headings: [], bulletList: false, numberedList: false, table: false };
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'heading') out.headings.push((t as Tokens.Heading).text);
      else if (t.type === 'table') out.table = true;
      else if (t.type === 'list') {
        const list = t as Tokens.List;
        if (list.ordered) out.numberedList = true;
        else out.bulletList = true;
        for (const item of list.items) walk(item.tokens);
      } else if ('tokens' in t && Array.isArray(t.tokens) && t.type === 'blockquote') walk(t.tokens);
    }
  };
  walk(new Lexer({ gfm: true }).lex(answer));
  return out;
}

export function headingMatches(heading: string, required: string): boolean {
  const h = norm(heading);
  const r = norm(required);
  return h === r || (h.startsWith(r) && !/[\p{L}\p{N}]/u.test(h[r.length]));
}

/** The answer has the required headings, a bullet list, a numbered list and a table, as asked. */
export const check: Check<'markdown-structure'> = (answer, config) => {
  const o = outline(answer);
  const missing: string[] = [];
  let asked = 0;
  for (const h of config.headings ?? []) {
    asked++;
    if (!o.headings.some((x) => headingMatches(x, h))) missing.push(`heading ${quoted(h)}`);
  }
  const parts: [boolean | undefined, boolean, string][] = [
    [config.bullet_list, o.bulletList, 'a bullet list'],
    [config.numbered_list, o.numberedList, 'a numbered list'],
    [config.table, o.table, 'a table'],
  ];
  for (const [want, has, what] of parts) {
    if (!want) continue;
    asked++;
    if (!has) missing.push(what);
  }
  const score = (asked - missing.length) / asked;
  return missing.length === 0
    ? { pass: true, score, reason: 'answer has the required markdown structure' }
    : {
        pass: false,
        score,
        reason: `answer lacks ${missing.join(', ')}`,
        details: { missing, headings: o.headings },
      };
};
