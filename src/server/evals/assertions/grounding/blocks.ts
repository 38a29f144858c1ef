// An answer cut into the blocks a reader sees, line by line, with character spans: paragraphs,
// bullet points (one list item each, with its continuation lines), headings, tables, code, and
// the reference list. The reference list is everything under a References/Sources heading (or a
// line such as "**Sources:**"), a paragraph that starts "Sources:", and definition lines
// ("[1]: https://…", "[^1]: …") anywhere.

export type BlockKind = 'paragraph' | 'bullet' | 'heading' | 'table' | 'code' | 'reference';

export interface Block {
  kind: BlockKind;
  start: number;
  end: number;
  text: string;
}

const REFERENCE_TITLE =
  /^(?:references?|sources?|sources cited|citations?|footnotes?|notes|bibliography|works cited|further reading|links)$/i;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const TABLE_ROW = /^\s*\|/;
const DEFINITION = /^\s*\[\^?[\w-]{1,40}\]:\s*/;
const FOOTNOTE_ENTRY = /^\s*\[\d{1,3}\]\s+.*(?:https?:\/\/|\]\(\/articles\/)/;
const SOURCES_PARAGRAPH = /^\s*(?:\*\*|__)?(?:references?|sources?|citations?)(?:\*\*|__)?\s*:/i;

/** "Sources", "**References:**", "Sources:" on a line of their own. */
function referenceTitle(text: string): boolean {
  return REFERENCE_TITLE.test(
    text
      .replace(/[*_`]/g, '')
      .replace(/[\s:]+$/, '')
      .trim(),
  );
}

export function splitBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let fence: string | null = null;
  let underReferences = false;
  const close = () => {
    if (current) blocks.push({ ...current, text: answer.slice(current.start, current.end) });
    current = null;
  };
  const open = (kind: BlockKind, start: number, end: number) => {
    close();
    current = { kind, start, end, text: '' };
  };
  let pos = 0;
  while (pos <= answer.length) {
    const nl = answer.indexOf('\n', pos);
    const lineEnd = nl === -1 ? answer.length : nl;
    const end = answer[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const line = answer.slice(pos, end);
    const start = pos;
    pos = lineEnd + 1;
    const cur = current as Block | null;

    if (fence !== null) {
      if (cur) cur.end = end;
      if (line.trim().startsWith(fence)) {
        fence = null;
        close();
      }
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      open('code', start, end);
      fence = f[1];
      continue;
    }
    if (line.trim() === '') {
      close();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      open('heading', start, end);
      close();
      underReferences = referenceTitle(h[2]);
      continue;
    }
    if (referenceTitle(line) && /[a-z]/i.test(line)) {
      // A title line of its own ("**Sources:**"): a heading for what follows.
      open('heading', start, end);
      close();
      underReferences = true;
      continue;
    }
    if (underReferences || DEFINITION.test(line) || FOOTNOTE_ENTRY.test(line)) {
      // One entry a line.
      open('reference', start, end);
      close();
      continue;
    }
    if (TABLE_ROW.test(line)) {
      if (cur?.kind === 'table') cur.end = end;
      else open('table', start, end);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      open('bullet', start, end);
      continue;
    }
    if (cur && (cur.kind === 'paragraph' || cur.kind === 'bullet' || cur.kind === 'reference')) {
      cur.end = end;
      continue;
    }
    open(SOURCES_PARAGRAPH.test(line) ? 'reference' : 'paragraph', start, end);
  }
  close();
  return blocks;
}
