import { describe, expect, it } from 'vitest';
import { DEFAULT_STYLE, FAMILIES, type OfflineStyle, readStyle } from './offline-style';

// What the offline model understands of a system prompt, one family at a time, then the order in
// which conflicting instructions resolve.

describe('readStyle', () => {
  it('reads nothing into a prompt without recognised instructions', () => {
    expect(readStyle('You are Auspex, a research assistant.')).toEqual(DEFAULT_STYLE);
    expect(readStyle('')).toEqual(DEFAULT_STYLE);
  });

  it.each<[string, string, Partial<OfflineStyle>]>([
    ['layout', 'Give key findings as bullet points.', { layout: 'bullets' }],
    ['layout', 'Write in prose paragraphs.', { layout: 'prose' }],
    ['layout', 'Do not use bullet points.', { layout: 'prose' }],
    ['layout', 'Answer as a numbered list.', { layout: 'numbered' }],
    ['length', 'Keep every answer under 150 words.', { length: { words: 150 } }],
    ['length', 'Use no more than twenty words.', { length: { words: 20 } }],
    ['length', 'Answer in 120 words or fewer.', { length: { words: 120 } }],
    ['length', 'At most 3 sentences.', { length: { sentences: 3 } }],
    ['length', 'Answer in two sentences.', { length: { sentences: 2 } }],
    ['length', 'Keep it short.', { length: { short: true } }],
    ['length', 'Be concise.', { length: { short: true } }],
    ['headings', 'Do not use headings.', { headings: { kind: 'none' } }],
    ['headings', 'Use headings.', { headings: { kind: 'generic' } }],
    [
      'headings',
      'Structure it in sections: ## Summary / ## Evidence / ## Open questions.',
      { headings: { kind: 'named', names: ['Summary', 'Evidence', 'Open questions'] } },
    ],
    [
      'headings',
      'Use the headings "Key points", "Evidence" and "Caveats".',
      { headings: { kind: 'named', names: ['Key points', 'Evidence', 'Caveats'] } },
    ],
    ['citations', 'Cite inline as [Title](URL).', { citations: 'inline' }],
    ['citations', 'Use footnotes [n] with a reference list at the end.', { citations: 'footnotes' }],
    ['citations', 'Do not include links or URLs.', { citations: 'none' }],
    ['citations', 'Never cite sources.', { citations: 'none' }],
    ['dates', 'Include publication dates.', { dates: true }],
    ['dates', 'Put the date next to each citation.', { dates: true }],
    ['dates', 'Cite every claim inline as [Title](URL), with publication dates.', { dates: true }],
    // Describing the input is not asking for dates in the answer.
    ['dates', 'Each article arrives with its id, title, url, source and publication date.', DEFAULT_STYLE],
    ['article count', 'Cover at most 3 articles.', { articles: { min: null, max: 3 } }],
    ['article count', 'Cite at least five sources.', { articles: { min: 5, max: null } }],
    ['article count', 'Only 4 articles, at least two sources.', { articles: { min: 2, max: 4 } }],
    [
      'not covered',
      'End with "Not covered by the articles:" and what they do not answer.',
      { notCovered: 'Not covered by the articles' },
    ],
    ['not covered', 'Say what the articles do not cover.', { notCovered: 'What the articles do not cover' }],
    ['no speculation', 'Never speculate.', { noSpeculation: true }],
    ['no speculation', 'Avoid speculation.', { noSpeculation: true }],
    ['no speculation', 'Do not guess.', { noSpeculation: true }],
    ['tl;dr', 'Start with a TL;DR line.', { tldr: true }],
    ['tl;dr', 'Lead with the bottom line.', { tldr: true }],
    ['tl;dr', 'Lead with a short direct answer.', { tldr: true }],
    ['audience', 'You write for CIOs of mid-sized banks.', { audience: 'CIOs of mid-sized banks' }],
    ['audience', 'The audience is policy analysts; be neutral.', { audience: 'policy analysts' }],
  ])('%s: %s', (_family, prompt, expected) => {
    expect(readStyle(prompt)).toEqual({ ...DEFAULT_STYLE, ...expected });
  });

  it('has one row per family, each with options and a description', () => {
    expect(FAMILIES.map((f) => f.name)).toEqual([
      'layout',
      'length',
      'headings',
      'citations',
      'dates',
      'article count',
      'not covered',
      'no speculation',
      'tl;dr',
      'audience',
    ]);
    for (const f of FAMILIES) expect(f.options.length).toBeGreaterThan(0);
  });

  it('does not take the prompt’s own headings for sections the answer should have', () => {
    const prompt = '## Focus areas\n- Robots.\n\n## Citation rules\n- Cite inline as [Title](URL).';
    expect(readStyle(prompt).headings).toEqual({ kind: 'default' });
  });
});

describe('conflicting instructions resolve in the table’s order', () => {
  it.each<[string, Partial<OfflineStyle>]>([
    // Within a family the first option in the table wins: a negation comes before the positive.
    ['Use bullet points. Do not use bullet points.', { layout: 'prose' }],
    ['Write in prose. Use a numbered list.', { layout: 'numbered' }],
    ['Use headings. Do not use headings.', { headings: { kind: 'none' } }],
    [
      'Use headings with sections ## Summary / ## Evidence.',
      { headings: { kind: 'named', names: ['Summary', 'Evidence'] } },
    ],
    ['Cite inline as [Title](URL). Use footnotes.', { citations: 'footnotes' }],
    ['Use footnotes. Do not include links.', { citations: 'none' }],
    ['Keep it short. At most 2 sentences. Under 100 words.', { length: { words: 100 } }],
    ['Include publication dates. No dates.', { dates: false }],
  ])('%s', (prompt, expected) => {
    expect(readStyle(prompt)).toEqual({ ...DEFAULT_STYLE, ...expected });
  });
});
