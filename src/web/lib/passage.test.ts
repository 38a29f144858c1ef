import { describe, expect, it } from 'vitest';
import { contentWords, highlightPassage, sentenceSpans } from './passage';

const ARTICLE =
  'Harbour crane upgrade finished. Work ended on Friday after six months.\n\n' +
  'The new crane lifts twice as much as the old one, engineers said. ' +
  'Officials expect shipping volumes to rise by 12 percent next year.\n\n' +
  '“We are pleased,” the port authority said.';

const marked = (text: string, passage: string) =>
  highlightPassage(text, passage)
    .filter((p) => p.mark)
    .map((p) => p.text);

describe('sentenceSpans', () => {
  it.each([
    ['two sentences', 'One here. Two there.', ['One here. ', 'Two there.']],
    ['no final stop', 'One here. Two there', ['One here. ', 'Two there']],
    ['line breaks end a sentence', 'Heading\n\nBody text.', ['Heading\n\n', 'Body text.']],
    ['closing quotes stay with their sentence', '“Yes.” Then no.', ['“Yes.” ', 'Then no.']],
    ['a stop inside a number is no break', 'It rose 2.5 percent. Fine.', ['It rose 2.5 percent. ', 'Fine.']],
    ['empty text', '', []],
  ])('%s', (_name, text, expected) => {
    expect(sentenceSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(expected);
  });
});

describe('contentWords', () => {
  it('lower-cases, drops short and stop words, keeps numbers of three digits or more', () => {
    expect(contentWords('The Crane lifts 2 tons, and 120 boxes at the Port!')).toEqual([
      'crane',
      'lifts',
      'tons',
      '120',
      'boxes',
      'port',
    ]);
  });
});

describe('highlightPassage: the sentence(s) of the article that best match the cited claim', () => {
  it.each([
    [
      'the claim of a citation',
      'Engineers said the new crane lifts twice as much as the old one',
      ['The new crane lifts twice as much as the old one, engineers said.'],
    ],
    [
      'a claim in other words, with a number',
      'shipping volumes are expected to rise 12 percent',
      ['Officials expect shipping volumes to rise by 12 percent next year.'],
    ],
    [
      'a claim spanning two sentences marks both',
      'the harbour crane upgrade finished and work ended after six months',
      ['Harbour crane upgrade finished.', 'Work ended on Friday after six months.'],
    ],
    ['one shared word is not enough', 'crane', []],
    ['nothing in common', 'bond yields in Europe', []],
    ['an empty passage', '', []],
  ])('%s', (_name, passage, expected) => {
    expect(marked(ARTICLE, passage)).toEqual(expected);
  });

  it('keeps every character of the text, in order, and is deterministic', () => {
    const passage = 'the new crane lifts twice as much';
    const parts = highlightPassage(ARTICLE, passage);
    expect(parts.map((p) => p.text).join('')).toBe(ARTICLE);
    expect(highlightPassage(ARTICLE, passage)).toEqual(parts);
    expect(parts.every((p) => p.text !== '')).toBe(true);
  });

  it('prefers the shorter sentence on equal overlap, then the earlier one', () => {
    const text =
      'Crane lifts boxes in the morning and again at night with care. Crane lifts boxes. Crane lifts boxes.';
    expect(highlightPassage(text, 'crane lifts boxes')).toEqual([
      { text: 'Crane lifts boxes in the morning and again at night with care. ', mark: false },
      { text: 'Crane lifts boxes.', mark: true },
      { text: ' ', mark: false },
      { text: 'Crane lifts boxes.', mark: true },
    ]);
  });

  it('returns article text containing markup as plain text parts', () => {
    const text = 'A <script>alert(1)</script> crane lifts boxes. Other news.';
    expect(highlightPassage(text, 'crane lifts boxes')).toEqual([
      { text: 'A <script>alert(1)</script> crane lifts boxes.', mark: true },
      { text: ' Other news.', mark: false },
    ]);
  });
});
