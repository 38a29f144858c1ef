import { describe, expect, it } from 'vitest';
import { lineDiff, signedChange, wordDiff } from './compare';
import { labelledMessage } from './field-labels';
import {
  estimateTokens,
  formatCost,
  formatMs,
  formatTimeLeft,
  plainFromMarkdown,
  suggestPromptName,
  truncateText,
} from './format';
import { ALLOWED_ATTR, ALLOWED_TAGS, codeBlocks, lastCodeBlock, markdownToHtml } from './markdown';
import { safeNext } from './safe-next';

describe('lastCodeBlock: what Extract puts into the editor', () => {
  it.each([
    ['no code', 'Just text, no block.', null],
    [
      'one fenced block',
      'Intro\n\n```markdown\nYou are Auspex.\n\n## Focus\n```\n\nThoughts?',
      'You are Auspex.\n\n## Focus',
    ],
    ['the last of two', '```\nfirst\n```\n\nthen\n\n~~~text\nsecond\n~~~', 'second'],
    ['an empty last block is skipped', '```\nreal draft\n```\n\n```\n\n```', 'real draft'],
    ['a block inside a list item', '- step\n\n  ```\n  nested draft\n  ```', 'nested draft'],
    ['inline code is not a block', 'Use `code` here', null],
  ])('%s', (_name, text, expected) => {
    expect(lastCodeBlock(text)).toBe(expected);
  });

  it('lists every block in order', () => {
    expect(codeBlocks('```\na\n```\n\n    indented b\n\n```\nc\n```')).toEqual(['a', 'indented b', 'c']);
  });
});

const tagsIn = (html: string) => [...html.matchAll(/<\/?([a-z][a-z0-9]*)/gi)].map((m) => m[1].toLowerCase());

describe('markdownToHtml: raw HTML is shown as text, the markdown around it still renders', () => {
  it.each([
    [
      'unclosed script',
      'Here is an example <script>alert(1)\n\nMore **after**.',
      '&lt;script&gt;alert(1)',
      '<p>More <strong>after</strong>.</p>',
    ],
    ['unclosed style', '<style>p { color: red }\n\nStill here.', '&lt;style&gt;', '<p>Still here.</p>'],
    ['unclosed textarea', 'x <textarea>\n\nStill here.', '&lt;textarea&gt;', '<p>Still here.</p>'],
    ['unclosed pre', '<pre>\n\n# Heading after', '&lt;pre&gt;', '<h1>Heading after</h1>'],
    [
      'block video',
      '<video poster="http://evil.example/p.png">\n\nafter',
      '&lt;video poster=',
      '<p>after</p>',
    ],
    ['inline img', 'see <img src=http://evil.example/i.png> here', '&lt;img src=', 'here</p>'],
    ['comment', '<!-- hidden -->\n\nshown', '&lt;!-- hidden --&gt;', '<p>shown</p>'],
    ['entity-encoded tag stays text', 'a &lt;img src=x&gt; b', 'a &lt;img src=x&gt; b', '</p>'],
    [
      'markdown image becomes a link',
      '![chart](http://evil.example/c.png)',
      '<a href="http://evil.example/c.png">chart</a>',
      '</p>',
    ],
    [
      'image without alt text links its address',
      '![](/local.png)',
      '<a href="/local.png">/local.png</a>',
      '</p>',
    ],
    [
      'table cell with markup',
      '| a |\n|---|\n| <td background=http://e/x> |',
      '&lt;td background=',
      '</table>',
    ],
  ])('%s', (_name, source, shown, after) => {
    const html = markdownToHtml(source);
    expect(html).toContain(shown);
    expect(html).toContain(after);
    expect(tagsIn(html).filter((t) => !ALLOWED_TAGS.includes(t))).toEqual([]);
  });

  it('keeps the markdown marked renders: lists, code, tables, task lists, links', () => {
    const html = markdownToHtml(
      '# T\n\n1. one\n\n- [x] done\n\n```js\nx<y\n```\n\n| a |\n|:-:|\n| 1 |\n\n> q\n\n---\n\n~~d~~ [l](https://x.example "t")',
    );
    expect(new Set(tagsIn(html))).toEqual(
      new Set([
        'h1',
        'ol',
        'li',
        'ul',
        'input',
        'pre',
        'code',
        'table',
        'thead',
        'tr',
        'th',
        'tbody',
        'td',
        'blockquote',
        'hr',
        'p',
        'del',
        'a',
      ]),
    );
    expect(html).toContain('x&lt;y');
  });
});

describe.each([
  'img',
  'video',
  'audio',
  'source',
  'picture',
  'track',
  'object',
  'embed',
  'iframe',
  'frame',
  'link',
  'style',
  'script',
  'svg',
  'math',
  'image',
  'use',
  'form',
  'button',
  'meta',
  'base',
  'body',
  'html',
])('the sanitiser allow-list has no <%s>', (tag) => {
  it('is not allowed', () => expect(ALLOWED_TAGS).not.toContain(tag));
});

describe.each([
  'src',
  'srcset',
  'poster',
  'background',
  'style',
  'formaction',
  'action',
  'data',
  'xlink:href',
  'lowsrc',
  'dynsrc',
  'ping',
  'codebase',
  'manifest',
  'onerror',
  'onload',
])('the sanitiser allow-list has no %s attribute', (attr) => {
  it('is not allowed', () => expect(ALLOWED_ATTR).not.toContain(attr));
});

describe('suggestPromptName: a draft name made into a library name', () => {
  it.each([
    ['Financial analyst', 'financial_analyst'],
    ['  Résumé — Q3 (draft #2)  ', 'resume_q3_draft_2'],
    ['<img src=x onerror=alert(1)>', 'img_src_x_onerror_alert_1'],
    ['a'.repeat(60), 'a'.repeat(50)],
    ['!!!', ''],
  ])('%j -> %j', (input, expected) => {
    expect(suggestPromptName(input)).toBe(expected);
  });
});

describe('safeNext: only same-site paths after sign-in', () => {
  it.each([
    ['/prompt-workshop?draft_id=3', '/prompt-workshop?draft_id=3'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/drafts#top', '/drafts#top'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\r/evil.example', '/'],
    ['/\u0000/evil.example', '/'],
    ['/ /evil.example', '/'],
    ['/drafts x', '/'],
    ['/\u00a0/evil.example', '/'],
    ['/\u2028/evil.example', '/'],
    ['/\\/evil.example', '/'],
    ['/x\\y', '/'],
    ['\t//evil.example', '/'],
    ['///evil.example', '/'],
    ['https:/evil.example', '/'],
    ['/..//evil.example', '/'],
    ['/drafts//x', '/'],
    ['/%2e%2e/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/a/../drafts', '/drafts'],
  ])('%j -> %j', (input, expected) => {
    expect(safeNext(input, 'http://127.0.0.1:8000')).toBe(expected);
  });
});

describe('display helpers', () => {
  it('estimates tokens at about four characters each', () => {
    expect([
      estimateTokens(''),
      estimateTokens('   '),
      estimateTokens('abcd'),
      estimateTokens('abcde'),
    ]).toEqual([0, 0, 1, 2]);
  });
  it('formats times and costs, with unknown shown as such', () => {
    expect([formatMs(null), formatMs(12.4), formatMs(1500)]).toEqual(['—', '12 ms', '1.5 s']);
    expect([formatCost(null), formatCost(0), formatCost(0.000123), formatCost(0.5)]).toEqual([
      'unknown',
      '$0',
      '$0.00012',
      '$0.500',
    ]);
  });
});

describe('formatTimeLeft: a running run’s time left', () => {
  it.each([
    ['no cell left, whatever the estimate', 12, 0, '—'],
    ['no cell left and no estimate', null, 0, '—'],
    ['cells left, no estimate yet', null, 5, 'estimating…'],
    ['cells left, the estimate ran out', 0, 3, 'finishing…'],
    ['under a minute', 42, 3, '42 s'],
    ['minutes and seconds', 125, 3, '2 min 5 s'],
    ['an hour or more', 3 * 3600 + 7 * 60 + 9, 3, '3 h 7 min'],
  ])('%s', (_name, seconds, cellsLeft, expected) => {
    expect(formatTimeLeft(seconds, cellsLeft)).toBe(expected);
  });
});

describe('plainFromMarkdown: an answer as a one-line preview', () => {
  it.each([
    [
      'a citation becomes its title',
      'Costs rose [Lumen cuts](https://x.example/a "t").',
      'Costs rose Lumen cuts.',
    ],
    ['an image becomes its text', '![chart](https://x.example/c.png) here', 'chart here'],
    ['an autolink keeps its address', 'See <https://x.example/a>.', 'See https://x.example/a.'],
    [
      'headings, lists and quotes lose their marks',
      '## TL;DR\n- one\n* two\n1. three\n> four',
      'TL;DR one two three four',
    ],
    [
      'bold, italics and code lose their marks',
      '**Bold** and *it* and _em_ and `code`',
      'Bold and it and em and code',
    ],
    ['snake_case and a lone star stay', 'use auspex_default_v2 at 5 * 3', 'use auspex_default_v2 at 5 * 3'],
    ['lines join with single spaces', 'one\n\n  two   three', 'one two three'],
  ])('%s', (_name, markdown, expected) => {
    expect(plainFromMarkdown(markdown)).toBe(expected);
  });
});

describe('lineDiff: what changed between two prompt texts', () => {
  it.each([
    [
      'identical',
      'a\nb',
      'a\nb',
      [
        ['same', 'a'],
        ['same', 'b'],
      ],
      0,
      0,
    ],
    [
      'a line added',
      'a\nc',
      'a\nb\nc',
      [
        ['same', 'a'],
        ['added', 'b'],
        ['same', 'c'],
      ],
      1,
      0,
    ],
    [
      'a line changed',
      'a\nb\n',
      'a\nB\n',
      [
        ['same', 'a'],
        ['removed', 'b'],
        ['added', 'B'],
      ],
      1,
      1,
    ],
    [
      'from nothing',
      '',
      'x\ny',
      [
        ['added', 'x'],
        ['added', 'y'],
      ],
      2,
      0,
    ],
    [
      'a line after a last line without a newline',
      'a\nb',
      'a\nb\nc',
      [
        ['same', 'a'],
        ['same', 'b'],
        ['added', 'c'],
      ],
      1,
      0,
    ],
  ])('%s', (_name, before, after, lines, added, removed) => {
    expect(lineDiff(before, after)).toEqual({
      lines: lines.map(([kind, text]) => ({ kind, text })),
      added,
      removed,
    });
  });
});

describe('lineDiff: the changed words of a changed line', () => {
  const long = (word: string) =>
    `You are Auspex, a careful analyst of ${word} news who cites every claim and says what is missing.`;

  it('marks the one word changed in a long line, on both sides, and keeps the lines', () => {
    expect(lineDiff(`Intro.\n${long('technology')}\nEnd.`, `Intro.\n${long('finance')}\nEnd.`)).toEqual({
      lines: [
        { kind: 'same', text: 'Intro.' },
        {
          kind: 'removed',
          text: long('technology'),
          words: [
            { text: 'You are Auspex, a careful analyst of ', changed: false },
            { text: 'technology', changed: true },
            { text: ' news who cites every claim and says what is missing.', changed: false },
          ],
        },
        {
          kind: 'added',
          text: long('finance'),
          words: [
            { text: 'You are Auspex, a careful analyst of ', changed: false },
            { text: 'finance', changed: true },
            { text: ' news who cites every claim and says what is missing.', changed: false },
          ],
        },
        { kind: 'same', text: 'End.' },
      ],
      added: 1,
      removed: 1,
    });
  });

  it('pairs replaced lines in order; an extra added line and a rewritten line stay whole', () => {
    expect(
      lineDiff(
        'Cite every claim.\nBe brief.\n',
        'Cite every single claim.\nWrite for executives only.\nNew.\n',
      ),
    ).toEqual({
      lines: [
        {
          kind: 'removed',
          text: 'Cite every claim.',
          words: [{ text: 'Cite every claim.', changed: false }],
        },
        { kind: 'removed', text: 'Be brief.' },
        {
          kind: 'added',
          text: 'Cite every single claim.',
          words: [
            { text: 'Cite every ', changed: false },
            { text: 'single ', changed: true },
            { text: 'claim.', changed: false },
          ],
        },
        { kind: 'added', text: 'Write for executives only.' },
        { kind: 'added', text: 'New.' },
      ],
      added: 3,
      removed: 2,
    });
  });

  it('wordDiff: spaces count as changes; too little in common is no word diff', () => {
    expect(wordDiff('one  two three', 'one two three')).toEqual({
      removed: [
        { text: 'one', changed: false },
        { text: '  ', changed: true },
        { text: 'two three', changed: false },
      ],
      added: [
        { text: 'one', changed: false },
        { text: ' ', changed: true },
        { text: 'two three', changed: false },
      ],
    });
    expect(wordDiff('Be brief.', 'Write for executives only.')).toBeNull();
  });
});

describe('signedChange', () => {
  it.each([
    [100, 220, '+120 ms'],
    [220, 100, '−120 ms'],
    [5, 5, 'no change'],
    [null, 5, null],
  ])('%s → %s', (a, b, expected) => {
    expect(signedChange(a, b, (n) => `${n} ms`)).toBe(expected);
  });
});

describe('truncateText: rating notes shortened for History and the comparison', () => {
  it.each([
    ['short text stays whole', 'Good.', 10, { text: 'Good.', cut: false }],
    ['exactly the limit stays whole', 'abcde', 5, { text: 'abcde', cut: false }],
    ['longer is cut with an ellipsis', 'abcdefgh', 5, { text: 'abcde…', cut: true }],
    ['no space before the ellipsis', 'abcd efgh', 5, { text: 'abcd…', cut: true }],
    ['surrounding white space does not count', '  abc  ', 3, { text: 'abc', cut: false }],
    ['an emoji is never split in half', '😀😀😀😀', 2, { text: '😀😀…', cut: true }],
  ])('%s', (_name, text, max, expected) => {
    expect(truncateText(text, max)).toEqual(expected);
  });
});

describe('labelledMessage: field errors under the form’s own labels', () => {
  it.each([
    ['body.draft_name', 'draft_name must be 3–100 characters', 'Name must be 3–100 characters'],
    [
      'draft_content',
      'draft_content must be at most 50000 characters',
      'Prompt must be at most 50000 characters',
    ],
    ['body.message', 'message must not be empty', 'Message must not be empty'],
    ['body.test_query', 'Invalid input: expected string', 'Query: invalid input: expected string'],
    [
      'body',
      'give at least one of draft_content, draft_name',
      'give at least one of draft_content, draft_name',
    ],
    ['body.cases.3.topic', 'topic is required', 'Topic is required'],
    ['body.cases.3.colour', 'Unrecognized key', 'cases.3.colour: Unrecognized key'],
    ['line 7', 'query must be 10–1000 characters', 'line 7: query must be 10–1000 characters'],
  ])('%s: %s', (path, message, expected) => {
    expect(labelledMessage(path, message)).toBe(expected);
  });
});
