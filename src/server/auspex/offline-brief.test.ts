import { describe, expect, it } from 'vitest';
import { fixtureArticles } from '../../../test/helpers/articles';
import type { TurnArticle } from './context-packing';
import {
  countSentences,
  countWords,
  HEDGE,
  OFFLINE_NOTICE,
  offlineBrief,
  UNMAPPED_HEADING,
} from './offline-brief';
import { readStyle } from './offline-style';

// The offline brief follows what it recognised in the system prompt. Each family's trigger is
// checked by the shape of the whole answer: only the properties the family is about may change.

const QUESTION = 'How are companies adopting robotics and drones?';
// Odd articles open with a forecast, so "never speculate" has something to leave out.
const articles: TurnArticle[] = fixtureArticles('Robotics', 10).map((a, i) => ({
  ...a,
  id: 100 + i,
  summary:
    i % 2 === 1
      ? `Robot budgets may double next year at plant ${i + 1}. Plant ${i + 1} bought robots in June.`
      : a.summary,
}));

const brief = (system: string, list = articles) =>
  offlineBrief('AI Adoption', QUESTION, list, readStyle(system));

/** The answer after the notice and the question line. */
const bodyOf = (answer: string) => answer.split('\n').slice(4);

/** What an answer looks like, property by property. */
function shape(answer: string) {
  const body = bodyOf(answer);
  const firstHeading = body.findIndex((l) => /^#/.test(l));
  const isList = (l: string) => /^(\d+\.|-) /.test(l);
  return {
    notice: answer.startsWith(`${OFFLINE_NOTICE}\n\nQuestion: "${QUESTION}" · Topic: AI Adoption\n`),
    lead: body.slice(0, firstHeading === -1 ? 0 : firstHeading).filter((l) => l.trim()),
    headings: body.filter((l) => /^#/.test(l)),
    numbered: body.filter((l) => /^\d+\. /.test(l)).length,
    bullets: body.filter((l) => /^- /.test(l)).length,
    paragraphs: body.slice(Math.max(0, firstHeading)).filter((l) => l.trim() && !/^#/.test(l) && !isList(l))
      .length,
    links: (answer.match(/\]\(https:\/\/news\.example\.com\//g) ?? []).length,
    footnotes: (answer.match(/ \[\d+\] \(/g) ?? []).length,
    dated: (answer.match(/\([^()]+, \d{4}-\d{2}-\d{2}\)/g) ?? []).length,
    hedged: body.filter((l) => HEDGE.test(l)).length,
  };
}

const BASE = shape(brief(''));

describe('offlineBrief with no recognised instruction', () => {
  it('keeps the brief it always gave: eight numbered, linked findings, coverage, limits', () => {
    expect(BASE).toEqual({
      notice: true,
      lead: [],
      headings: [
        '### What the articles report (8 of 10)',
        '### Coverage',
        '### What this brief does not cover',
      ],
      numbered: 8,
      bullets: 5,
      paragraphs: 0,
      links: 8,
      footnotes: 0,
      dated: 0,
      hedged: 4,
    });
  });
});

describe('offlineBrief follows each instruction family', () => {
  it.each<[string, string, Partial<typeof BASE>]>([
    ['layout', 'Give key findings as bullet points.', { numbered: 0, bullets: 13 }],
    ['layout', 'Write in prose, no bullet points.', { numbered: 0, bullets: 0, paragraphs: 3, hedged: 1 }],
    ['headings', 'Do not use headings.', { headings: [] }],
    [
      'headings',
      'Use headings.',
      { headings: ['## Summary', '## Findings', '## Coverage', '## Not covered'], paragraphs: 1 },
    ],
    [
      'headings',
      'Structure the answer in sections: ## Summary / ## Evidence / ## Limitations.',
      // Coverage has no section of its own, so its three bullets go.
      { headings: ['## Summary', '## Evidence', '## Limitations'], paragraphs: 1, bullets: 2 },
    ],
    [
      'headings',
      'Use the sections ## Overview / ## Implications / ## Market view.',
      // The first name no part matches takes the findings; the next says it stays empty.
      { headings: ['## Overview', '## Implications', '## Market view'], paragraphs: 2, bullets: 0 },
    ],
    [
      'citations',
      'Use footnotes [n] with a reference list at the end.',
      { headings: [...BASE.headings, '### References'], footnotes: 8, bullets: 13, dated: 0 },
    ],
    ['citations', 'Do not include links or URLs.', { links: 0 }],
    ['dates', 'Include publication dates next to each citation.', { dated: 8 }],
    [
      'article count',
      'Cover at most 3 articles.',
      {
        headings: ['### What the articles report (3 of 10)', ...BASE.headings.slice(1)],
        numbered: 3,
        links: 3,
        hedged: 1,
      },
    ],
    [
      'article count',
      'Cite at least ten sources.',
      // All ten are summarised, so the "further articles" line goes.
      {
        headings: ['### What the articles report (10 of 10)', ...BASE.headings.slice(1)],
        numbered: 10,
        links: 10,
        bullets: 4,
        hedged: 5,
      },
    ],
    [
      'article count',
      'Cite at least twelve sources.',
      {
        lead: ['Only 10 articles were retrieved; the prompt asks for at least 12.'],
        headings: ['### What the articles report (10 of 10)', ...BASE.headings.slice(1)],
        numbered: 10,
        links: 10,
        bullets: 4,
        hedged: 5,
      },
    ],
    [
      'not covered',
      'End with "Not covered by the articles:" and what the question asked that they do not answer.',
      { headings: [...BASE.headings.slice(0, 2), '### Not covered by the articles'], bullets: 6 },
    ],
    [
      'no speculation',
      'Never speculate.',
      {
        lead: [
          '_This prompt asks not to speculate: statements the articles hedge (may, could, expected …) are left out._',
        ],
        hedged: 1,
      },
    ],
    [
      'tl;dr',
      'Start with a TL;DR.',
      {
        lead: [
          expect.stringMatching(
            /^\*\*TL;DR:\*\* 8 of 10 retrieved articles on "AI Adoption", published 2025-06-21 to 2025-06-30; the top-ranked one says: Summary 1/,
          ),
        ] as unknown as string[],
      },
    ],
    [
      'audience',
      'You write for CIOs.',
      { lead: ['Audience named in the prompt: CIOs (the offline model does not rewrite for it).'] },
    ],
  ])('%s: %s', (_family, prompt, diff) => {
    expect(shape(brief(prompt))).toEqual({ ...BASE, ...diff });
  });

  it('says which named section it has nothing for', () => {
    expect(brief('Use the sections ## Overview / ## Implications / ## Market view.')).toContain(
      `## Market view\n${UNMAPPED_HEADING}`,
    );
  });

  it('leaves hedged sentences out and quotes the next plain one', () => {
    const answer = brief('Never speculate.');
    expect(answer).toContain(
      '2. [Robotics report 2](https://news.example.com/robotics/2) (Financial Times): Plant 2 bought robots in June.',
    );
    expect(answer).not.toContain('may double');
  });

  it('names the question terms no article mentions', () => {
    expect(brief('Say what the articles do not cover.')).toContain(
      '### What the articles do not cover\n- No retrieved article mentions: adopting, drones.',
    );
  });

  it('prints footnote markers that match the reference list', () => {
    const answer = brief('Use footnotes [n] with a reference list.');
    expect(answer).toContain('1. Robotics report 1 [1] (');
    expect(answer).toContain(`- [1] [Robotics report 1](${articles[0].url}), `);
    expect(answer).toContain(`- [8] [Robotics report 8](${articles[7].url}), `);
  });
});

describe('offlineBrief length limits', () => {
  it.each<[string, (lines: string[]) => number, number]>([
    ['Keep every answer under 80 words.', countWords, 80],
    ['Under 25 words.', countWords, 25],
    ['At most 3 sentences.', countSentences, 3],
    ['Answer in one sentence.', countSentences, 1],
  ])('%s', (prompt, measure, limit) => {
    const body = bodyOf(brief(prompt));
    expect(measure(body)).toBeLessThanOrEqual(limit);
    expect(measure(body)).toBeGreaterThan(0);
    expect(measure(bodyOf(brief('')))).toBeGreaterThan(limit);
    // The label is never cut.
    expect(brief(prompt).startsWith(OFFLINE_NOTICE)).toBe(true);
  });

  it('keeps it short: three articles, no coverage section', () => {
    expect(shape(brief('Keep it short.'))).toEqual({
      ...BASE,
      headings: ['### What the articles report (3 of 10)'],
      numbered: 3,
      bullets: 0,
      links: 3,
      hedged: 1,
    });
  });
});

describe('offlineBrief when instructions conflict', () => {
  it('"at most" beats "at least"', () => {
    expect(shape(brief('Cover at most 3 articles; cite at least five sources.'))).toEqual(
      shape(brief('Cover at most 3 articles.')),
    );
  });

  it('a length limit beats a minimum number of articles', () => {
    const body = bodyOf(brief('Under 60 words. Cite at least ten sources.'));
    expect(countWords(body)).toBeLessThanOrEqual(60);
    expect(shape(brief('Under 60 words. Cite at least ten sources.')).numbered).toBeLessThan(10);
  });

  it('"no headings" beats named sections, and the named sections beat the default ones', () => {
    expect(shape(brief('No headings. Use sections ## Summary / ## Evidence.')).headings).toEqual([]);
  });
});

describe('offlineBrief prompts that differ', () => {
  it('gives different answers to two different prompts for the same question and articles', () => {
    const a = brief('You are Auspex. Cite inline as [Title](URL).');
    const b = brief(
      'You are Auspex. Use bullet points, include publication dates, cover at most 3 articles.',
    );
    expect(a).not.toBe(b);
    expect(brief('You are Auspex. Cite inline as [Title](URL).')).toBe(a);
  });

  it.each([
    ['', 'No articles in "AI Adoption" matched this question, so there is nothing to report.'],
    [
      'Never speculate.',
      'I cannot answer this: no articles in "AI Adoption" matched the question, and this prompt asks me not to speculate, so I will not fill the gap.',
    ],
  ])('with no articles and the prompt "%s" it says it cannot answer', (prompt, line) => {
    expect(bodyOf(brief(prompt, []))[0]).toBe(line);
  });
});

describe('the line about articles left out', () => {
  it.each([
    [9, '1 further retrieved article is counted above but not summarised.'],
    [10, '2 further retrieved articles are counted above but not summarised.'],
  ])('with %d articles says %s', (n, line) => {
    expect(brief('Cover at most 8 articles.', articles.slice(0, n))).toContain(line);
  });
});
