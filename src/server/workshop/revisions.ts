// The offline assistant's simple revisions of a draft: add, remove, shorter, emphasise.
// Drafts are markdown-ish: `## Section` headings with `- ` bullets; any text works, though.

export type Command =
  | { kind: 'add'; arg: string }
  | { kind: 'remove'; arg: string }
  | { kind: 'emphasise'; arg: string }
  | { kind: 'shorter' };

export interface Revision {
  text: string;
  changed: boolean;
  /** One sentence on what happened, for the assistant's reply. */
  summary: string;
}

const VERBS =
  /^\s*(?:please\s+)?(?:can you\s+|could you\s+)?(add|include|remove|delete|drop|shorter|shorten|make it shorter|emphasi[sz]e|stress|prioriti[sz]e)\b[\s:,-]*([\s\S]*)$/i;

const cleanArg = (s: string) =>
  s
    .trim()
    .replace(/[.!?\s]+$/, '')
    .replace(/^["'“‘`]+|["'”’`]+$/g, '')
    .replace(/[.!?\s]+$/, '')
    .trim();

export function parseCommand(message: string): Command | null {
  const m = VERBS.exec(message);
  if (!m) return null;
  const verb = m[1].toLowerCase();
  const arg = cleanArg(m[2].replace(/^(please|that|the following)\s+/i, ''));
  if (verb.startsWith('short') || verb === 'make it shorter') return { kind: 'shorter' };
  if (verb === 'add' || verb === 'include') return { kind: 'add', arg };
  if (verb === 'remove' || verb === 'delete' || verb === 'drop') return { kind: 'remove', arg };
  return { kind: 'emphasise', arg };
}

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const asBullet = (s: string) => `- ${cap(s)}${/[.!?:]$/.test(s) ? '' : '.'}`;

interface Section {
  title: string;
  level: number;
  /** Index of the heading line. */
  start: number;
  /** Index after the section's last line. */
  end: number;
}

function sections(lines: string[]): Section[] {
  const out: Section[] = [];
  lines.forEach((line, i) => {
    const h = HEADING.exec(line);
    if (!h) return;
    const level = h[1].length;
    // A heading closes every open section of the same or a deeper level.
    for (const s of out) if (s.end === lines.length && s.level >= level) s.end = i;
    out.push({ title: h[2], level, start: i, end: lines.length });
  });
  return out;
}

const SECTION_HINTS: [RegExp, string][] = [
  [/\b(cite|citation|citing|source|link|url|reference)/i, 'citation'],
  [/\b(tool|search_articles|get_topic_articles|sentiment trend|categor)/i, 'tool'],
  [/\b(format|table|bullet|heading|section|summary|words|length|paragraph|markdown|structure)/i, 'format'],
  [/\b(tone|voice|formal|casual|friendly|register)/i, 'tone'],
  [/\b(focus|cover|track|monitor|look for)/i, 'focus'],
];

/** Index after the last non-blank line of a section. */
function sectionTail(lines: string[], s: Section): number {
  let i = s.end;
  while (i > s.start + 1 && lines[i - 1].trim() === '') i--;
  return i;
}

function add(text: string, arg: string): Revision {
  if (!arg)
    return {
      text,
      changed: false,
      summary: 'Tell me what to add, for example "add cite at least three sources".',
    };
  if (text.toLowerCase().includes(arg.toLowerCase())) {
    return { text, changed: false, summary: `The draft already says "${arg}".` };
  }
  const lines = text.replace(/\s+$/, '').split('\n');
  const all = sections(lines);
  const hint = SECTION_HINTS.find(([re]) => re.test(arg))?.[1];
  const target =
    (hint && all.find((s) => s.title.toLowerCase().includes(hint))) ??
    all.find((s) => /additional instructions/i.test(s.title));
  if (target) {
    lines.splice(sectionTail(lines, target), 0, asBullet(arg));
    return { text: lines.join('\n'), changed: true, summary: `Added "${arg}" under ${target.title}.` };
  }
  lines.push('', '## Additional instructions', asBullet(arg));
  return {
    text: lines.join('\n'),
    changed: true,
    summary: `Added "${arg}" under a new Additional instructions section.`,
  };
}

function remove(text: string, arg: string): Revision {
  if (!arg) return { text, changed: false, summary: 'Tell me what to remove, for example "remove tone".' };
  const lines = text.split('\n');
  const needle = arg.toLowerCase().replace(/\s+section$/, '');
  const section =
    sections(lines).find((s) => s.title.toLowerCase() === needle) ??
    sections(lines).find((s) => s.title.toLowerCase().includes(needle));
  let kept: string[];
  let summary: string;
  if (section) {
    kept = [...lines.slice(0, section.start), ...lines.slice(section.end)];
    summary = `Removed the ${section.title} section.`;
  } else {
    kept = lines.filter((l) => HEADING.test(l) || !l.toLowerCase().includes(needle));
    const n = lines.length - kept.length;
    if (n === 0) return { text, changed: false, summary: `I found no line mentioning "${arg}".` };
    summary = `Removed ${n} line${n === 1 ? '' : 's'} mentioning "${arg}".`;
  }
  const out = collapseBlankLines(kept).join('\n').trim();
  if (!out) return { text, changed: false, summary: 'That would remove the whole draft.' };
  return { text: out, changed: true, summary };
}

function collapseBlankLines(lines: string[]): string[] {
  return lines.filter((l, i) => l.trim() !== '' || (i > 0 && lines[i - 1].trim() !== ''));
}

// "shorter" tightens wording and never drops a rule: every line of the draft is, or may be, a
// requirement (the audience, "never speculate", the untrusted-article rule, what the user typed).
// Each replacement only removes filler or says the same in fewer words.
const TIGHTER: [RegExp, string][] = [
  [/\bbased on news articles from the topic the user selects\b/gi, 'from the selected topic’s news articles'],
  [/\bplease\s+/gi, ''],
  [/\b(?:make sure|be sure)(?: that)?(?: you)?(?: to)?\s+/gi, ''],
  [/\bremember to\s+/gi, ''],
  [/\bit is (?:very |really )?important (?:that you |to )/gi, ''],
  [/\byou should\s+/gi, ''],
  [/\bin order to\b/gi, 'to'],
  [/\bdue to the fact that\b/gi, 'because'],
  [/\bin the event that\b/gi, 'if'],
  [/\bat all times\b/gi, 'always'],
  [/\bas well as\b/gi, 'and'],
  [/\ba (?:large|great) number of\b/gi, 'many'],
  [/\bwith (?:regard|respect) to\b/gi, 'about'],
  [/\b(?:basically|actually|really|very|simply)\s+/gi, ''],
];

/** Marks where the next letter takes a capital (a private-use character no draft contains). */
const CAPITAL = '\uE000';

/** One line with its filler removed; the line itself when that would leave nothing of it. */
function tighten(line: string): string {
  const m = /^(\s*(?:[-*]|\d+[.)])?\s*)([\s\S]*)$/.exec(line)!;
  const [, marker, text] = m;
  let out = text;
  for (const [re, by] of TIGHTER) {
    out = out.replace(re, (hit: string, offset: number, whole: string) => {
      // Filler that opened a sentence hands its capital to what follows it.
      const opens = /^\p{Lu}/u.test(hit) && /(?:^|[.!?]\s+)$/.test(whole.slice(0, offset));
      return opens ? (by ? cap(by) : CAPITAL) : by;
    });
  }
  out = out.replace(/\uE000\s*(.)/gu, (_, c: string) => c.toUpperCase());
  out = out
    .replace(/ {2,}/g, ' ')
    .replace(/ ([,.;:])/g, '$1')
    .trim();
  if (!/\p{L}{2}/u.test(out)) return line;
  // A line that began with a capital keeps one.
  if (/^\p{Lu}/u.test(text)) out = out.charAt(0).toUpperCase() + out.slice(1);
  return `${marker}${out}`;
}

/** The same rule written twice: same words, whatever the list marker, case or full stop. */
const ruleKey = (line: string) =>
  line
    .replace(/^\s*(?:[-*]|\d+[.)])\s+/, '')
    .replace(/[.!?\s]+$/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();

export const CANNOT_SHORTEN =
  'I cannot make this draft shorter without dropping a rule, and I never drop one. To shorten it, remove a rule you no longer need with `remove <text>`.';

function shorter(text: string): Revision {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADING.test(line)) {
      out.push(line.trimEnd());
      continue;
    }
    const key = ruleKey(line);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tighten(line.trimEnd()));
  }
  const result = collapseBlankLines(out).join('\n').trim();
  if (result.length >= text.trim().length) return { text, changed: false, summary: CANNOT_SHORTEN };
  return {
    text: result,
    changed: true,
    summary: `Shortened the draft from ${text.trim().length} to ${result.length} characters by tightening its wording (filler phrases, repeated lines); every rule is kept.`,
  };
}

function emphasise(text: string, arg: string): Revision {
  if (!arg)
    return { text, changed: false, summary: 'Tell me what to emphasise, for example "emphasise citations".' };
  const lines = text.replace(/\s+$/, '').split('\n');
  const bullet = `- Above all: ${arg}${/[.!?]$/.test(arg) ? '' : '.'}`;
  const existing = sections(lines).find((s) => /^priorities$/i.test(s.title));
  if (existing) {
    if (lines[existing.start + 1] === bullet) {
      return { text, changed: false, summary: `"${arg}" is already the first priority.` };
    }
    lines.splice(existing.start + 1, 0, bullet);
  } else {
    // After the opening paragraph, before the first section.
    let at = lines.findIndex((l, i) => i > 0 && (l.trim() === '' || HEADING.test(l)));
    if (at === -1) at = lines.length;
    lines.splice(at, 0, '', '## Priorities', bullet, '');
  }
  return {
    text: collapseBlankLines(lines).join('\n'),
    changed: true,
    summary: `Put "${arg}" first, under Priorities.`,
  };
}

export function applyRevision(text: string, command: Command): Revision {
  switch (command.kind) {
    case 'add':
      return add(text, command.arg);
    case 'remove':
      return remove(text, command.arg);
    case 'shorter':
      return shorter(text);
    case 'emphasise':
      return emphasise(text, command.arg);
  }
}
