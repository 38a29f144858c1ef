// How `offline:demo` reads a system prompt: a table of instruction families. Each family has a
// name, the options that trigger it (tried in order, the first match wins) and what it changes
// in the brief. Adding a family means adding a field to OfflineStyle and one row to FAMILIES.

export type Layout = 'numbered' | 'bullets' | 'prose';
export type Citations = 'inline' | 'footnotes' | 'none';
export type Headings =
  | { kind: 'default' }
  | { kind: 'none' }
  | { kind: 'generic' }
  | { kind: 'named'; names: string[] };

export interface OfflineStyle {
  layout: Layout;
  /** Words or sentences of the answer after the notice and question line; `short` caps articles at 3. */
  length: { words: number } | { sentences: number } | { short: true } | null;
  headings: Headings;
  citations: Citations;
  /** The publication date next to every citation. */
  dates: boolean;
  articles: { min: number | null; max: number | null };
  /** A closing section naming what the question asked that no article mentions; its title. */
  notCovered: string | null;
  noSpeculation: boolean;
  tldr: boolean;
  audience: string | null;
}

export const DEFAULT_STYLE: OfflineStyle = {
  layout: 'numbered',
  length: null,
  headings: { kind: 'default' },
  citations: 'inline',
  dates: false,
  articles: { min: null, max: null },
  notCovered: null,
  noSpeculation: false,
  tldr: false,
  audience: null,
};

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const N = `(\\d{1,4}|${NUMBER_WORDS.join('|')})`;
const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : NUMBER_WORDS.indexOf(s.toLowerCase()));
const re = (source: string) => new RegExp(source, 'i');

const NOT = `(?:no|without|avoid|never use|don['’]?t use|do not use)`;
const ITEMS = `(?:articles?|sources?|stories|items|results|citations?|references?)`;

interface Option<K extends keyof OfflineStyle> {
  /** What the prompt says to pick this option. */
  when: RegExp;
  /** The family's value, from the match (and the whole prompt, for families that read more). */
  value: (m: RegExpExecArray, prompt: string) => OfflineStyle[K] | null;
}

export interface Family<K extends keyof OfflineStyle = keyof OfflineStyle> {
  name: string;
  key: K;
  /** For the README: what the answer does when an option matches. */
  changes: string;
  options: Option<K>[];
}

const family = <K extends keyof OfflineStyle>(f: Family<K>): Family => f as unknown as Family;
const constant =
  <T>(v: T) =>
  () =>
    v;

/** Section names written inline in the prompt: "use the sections ## Summary / ## Evidence". */
function namedHeadings(prompt: string): string[] | null {
  for (const line of prompt.split('\n')) {
    if (/^\s*#/.test(line) || !/\b(?:headings?|headers?|sections?|structure)\b/i.test(line)) continue;
    const marked = [
      ...line.matchAll(/#{1,4}\s+([A-Za-z][^#/,;|\n]*?)\s*(?=$|[#/,;|]|\.(?:\s|$)|\s(?:and|then)\s)/g),
    ];
    const quoted = [...line.matchAll(/["“]([A-Z][^"”\n]{1,40})["”]/g)];
    const names = (marked.length >= 2 ? marked : quoted.length >= 2 ? quoted : []).map((m) =>
      m[1].replace(/[.:]+$/, '').trim(),
    );
    if (names.length >= 2) return names;
  }
  return null;
}

export const FAMILIES: Family[] = [
  family({
    name: 'layout',
    key: 'layout',
    changes: 'numbered list (default), "- " bullets, or one paragraph of prose',
    options: [
      {
        when: re(String.raw`\bnumbered (?:list|points|findings|items)\b`),
        value: constant('numbered' as const),
      },
      {
        when: re(
          String.raw`\b${NOT}\s+(?:bullets?|bullet points|bulleted lists?|lists)\b|\bprose\b|\b(?:full|flowing|short) paragraphs?\b|\bin paragraphs\b`,
        ),
        value: constant('prose' as const),
      },
      { when: re(String.raw`\bbullet(?:s|ed| points?)?\b`), value: constant('bullets' as const) },
    ],
  }),
  family({
    name: 'length',
    key: 'length',
    changes:
      'words/sentences after the notice and question line: drops the coverage section, then articles, then cuts',
    options: [
      {
        when: re(
          String.raw`\b(?:under|below|at most|no more than|not more than|fewer than|less than|max(?:imum)?(?: of)?|up to|within|limit(?:ed)? (?:\w+ )?to)\s+${N}\s+words\b|\b${N}\s+words\s+(?:or (?:fewer|less)|max(?:imum)?)\b`,
        ),
        value: (m) => ({ words: num(m[1] ?? m[2]) }),
      },
      {
        when: re(
          String.raw`\b(?:under|at most|no more than|not more than|fewer than|max(?:imum)?(?: of)?|up to|within|in)\s+${N}\s+sentences?\b|\b${N}\s+sentences?\s+(?:or (?:fewer|less)|max(?:imum)?)\b`,
        ),
        value: (m) => ({ sentences: num(m[1] ?? m[2]) }),
      },
      {
        when: re(
          String.raw`\bkeep (?:it|them|answers?|the answer|responses?) (?:short|brief|concise|tight)\b|\bbe (?:brief|concise)\b|\b(?:short|brief|concise) (?:answers?|responses?)\b|\banswer briefly\b`,
        ),
        value: constant({ short: true } as const),
      },
    ],
  }),
  family({
    name: 'headings',
    key: 'headings',
    changes: 'no headings; the sections named in the prompt, in its order; or ## Summary/Findings/Coverage',
    options: [
      {
        when: re(String.raw`\b${NOT}\s+(?:any\s+)?(?:markdown\s+)?(?:headings?|headers|section titles)\b`),
        value: constant({ kind: 'none' } as const),
      },
      {
        when: /[\s\S]/,
        value: (_m, prompt) => {
          const names = namedHeadings(prompt);
          return names ? { kind: 'named', names } : null;
        },
      },
      {
        when: re(
          String.raw`\b(?:use|with|add|under|include)\s+(?:clear\s+|markdown\s+|section\s+)?(?:headings|headers)\b|\borgani[sz]e(?:d)? (?:it |the answer |answers )?(?:into|in|under|with) (?:sections|headings)\b`,
        ),
        value: constant({ kind: 'generic' } as const),
      },
    ],
  }),
  family({
    name: 'citations',
    key: 'citations',
    changes: 'inline [Title](URL) (default); "Title [n]" with a reference list at the end; or no links',
    options: [
      {
        when: re(
          String.raw`\b(?:no|without|omit)\s+(?:any\s+)?(?:citations?|links?|urls?|references)\b|\b(?:do not|don['’]?t|never)\s+(?:cite|link|include (?:links|urls|citations))\b`,
        ),
        value: constant('none' as const),
      },
      {
        when: re(
          String.raw`\bfoot-?notes?\b|\bend-?notes?\b|\[n\]|\[1\]|\bnumbered (?:citations|references)\b|\breference list\b|\blist of (?:references|sources)\b|\bbibliography\b`,
        ),
        value: constant('footnotes' as const),
      },
      {
        when: re(
          String.raw`\[title\]\(url\)|\binline (?:links?|citations?)\b|\bcite inline\b|\bmarkdown links?\b`,
        ),
        value: constant('inline' as const),
      },
    ],
  }),
  family({
    name: 'dates',
    key: 'dates',
    changes: 'the publication date (YYYY-MM-DD) next to every citation',
    options: [
      { when: re(String.raw`\b(?:no|without|omit)\s+(?:publication\s+)?dates\b`), value: constant(false) },
      {
        when: re(
          String.raw`\b(?:include|add|show|give|note|state|mention|list|put|cite)\b[^.\n]{0,30}?\b(?:publication|publishing|published|release) dates?\b|\bdates? (?:next to|with|after|beside) (?:each |every |the )?(?:citation|source|link|reference|article)s?\b|\bwith (?:their |the |its )?(?:publication|publishing) dates?\b|\bwhen (?:each|the) article was published\b|\bdate (?:each|every) (?:citation|source|claim)\b`,
        ),
        value: constant(true),
      },
    ],
  }),
  family({
    name: 'article count',
    key: 'articles',
    changes: 'how many articles are summarised (default 8); says so when fewer were retrieved than asked',
    options: [
      {
        when: re(
          String.raw`\b(?:at most|no more than|not more than|up to|a maximum of|max(?:imum)?|only|the top)\s+${N}\s+${ITEMS}|\b(?:at least|no fewer than|a minimum of|minimum)\s+${N}\s+${ITEMS}`,
        ),
        value: (_m, prompt) => {
          const max = re(
            String.raw`\b(?:at most|no more than|not more than|up to|a maximum of|max(?:imum)?|only|the top)\s+${N}\s+${ITEMS}`,
          ).exec(prompt);
          const min = re(
            String.raw`\b(?:at least|no fewer than|a minimum of|minimum)\s+${N}\s+${ITEMS}`,
          ).exec(prompt);
          return { min: min ? num(min[1]) : null, max: max ? num(max[1]) : null };
        },
      },
    ],
  }),
  family({
    name: 'not covered',
    key: 'notCovered',
    changes: 'a closing section (titled as the prompt quotes it) naming question terms no article mentions',
    options: [
      {
        when: re(
          String.raw`\bnot covered\b|\b(?:do|does) not (?:cover|answer|mention)\b|\bdon['’]?t (?:cover|answer|mention)\b|\bgaps? in (?:the )?(?:coverage|articles|evidence)\b|\bwhat (?:is|was) missing\b`,
        ),
        value: (_m, prompt) => {
          const quoted = /["“]((?:[^"”\n]*?)not covered[^"”\n]*?)["”]/i.exec(prompt);
          return quoted ? quoted[1].replace(/[:.]+$/, '').trim() : 'What the articles do not cover';
        },
      },
    ],
  }),
  family({
    name: 'no speculation',
    key: 'noSpeculation',
    changes:
      'hedged statements (may, could, expected …) are left out with a note; with no articles it declines to answer',
    options: [
      {
        when: re(
          String.raw`\b(?:never|do not|don['’]?t|must not|should not|avoid|no)\s+(?:\w+\s+)?(?:speculat\w*|guess\w*)\b|\bwithout speculat\w*|\bstick to (?:the )?(?:facts|articles)\b`,
        ),
        value: constant(true),
      },
    ],
  }),
  family({
    name: 'tl;dr',
    key: 'tldr',
    changes: 'a first line "**TL;DR:**" with the article count, dates and the top article’s first sentence',
    options: [
      {
        when: re(
          String.raw`\btl;?dr\b|\bbottom line (?:up )?first\b|\b(?:start|open|begin|lead) with (?:a |the |an )?(?:one[- ](?:line|sentence) |short |brief |direct )*(?:summary|conclusion|bottom line|overview|answer)\b`,
        ),
        value: constant(true),
      },
    ],
  }),
  family({
    name: 'audience',
    key: 'audience',
    changes: 'a line naming the audience (the offline model does not rewrite for it)',
    options: [
      {
        when: re(
          String.raw`\b(?:you write for|written for|write for|(?:the )?audience (?:is|are|:)|(?:the )?readers are|for an audience of)\s+([^.;\n]{2,80})`,
        ),
        value: (m) => m[1].trim(),
      },
    ],
  }),
];

/** What the offline model understood of a system prompt; a pure function of the text. */
export function readStyle(system: string, families: Family[] = FAMILIES): OfflineStyle {
  const style: Record<string, unknown> = { ...DEFAULT_STYLE };
  for (const f of families) {
    for (const option of f.options) {
      const m = option.when.exec(system);
      const value = m ? option.value(m, system) : null;
      if (value !== null) {
        style[f.key] = value;
        break;
      }
    }
  }
  return style as unknown as OfflineStyle;
}
