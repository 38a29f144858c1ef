import { describe, expect, it } from 'vitest';
import type { ArticleRef } from '../../shared/corpus';
import { articleForUrl, articleHref, canonicalUrl, citationLink, citationPassage } from './citations';

const ref = (id: number, url: string): ArticleRef => ({
  id,
  title: `Article ${id}`,
  url,
  source: 'Wire',
  published_at: '2025-01-01T00:00:00.000Z',
  topic: 'Ports',
});
const ARTICLES = [
  ref(7, 'https://sample.auspex.invalid/ports/001-crane-upgrade-finished'),
  ref(9, 'https://news.example.com/a/Kraftwerk (Köln)'),
  ref(11, 'https://news.example.com/b/'),
];

describe('canonicalUrl', () => {
  it.each([
    ['host case and a trailing slash', 'https://News.Example.com/b/', 'https://news.example.com/b'],
    ['percent-encoding', 'https://x.test/K%C3%B6ln%20(1)', 'https://x.test/Köln (1)'],
    ['not a URL is compared as written', ' /relative ', '/relative'],
  ])('%s', (_name, url, expected) => {
    expect(canonicalUrl(url)).toBe(expected);
  });
});

describe('articleForUrl: which retrieved article a link points at', () => {
  it.each([
    ['exactly the URL', 'https://sample.auspex.invalid/ports/001-crane-upgrade-finished', 7],
    ['the URL as marked encodes it', 'https://news.example.com/a/Kraftwerk%20%28K%C3%B6ln%29', 9],
    ['without the trailing slash', 'https://news.example.com/b', 11],
    ['another page of the same site', 'https://news.example.com/c', undefined],
    ['a link that is no URL', 'javascript:alert(1)', undefined],
  ])('%s', (_name, href, id) => {
    expect(articleForUrl(href, ARTICLES)?.id).toBe(id);
  });
});

describe('citationPassage: the claim a link is cited for', () => {
  // [start, end) is where the link's text sits in the block's text.
  const at = (text: string, linkText: string) => {
    const start = text.indexOf(linkText);
    return citationPassage(text, start, start + linkText.length);
  };
  it.each([
    [
      'an offline-brief list item',
      'Crane upgrade finished (Port Wire, 2025-01-03): The new crane lifts twice as much.',
      'Crane upgrade finished',
      '(Port Wire, 2025-01-03): The new crane lifts twice as much.',
    ],
    [
      'the sentence around an inline citation, not its neighbours',
      'Volumes fell. The crane lifts twice as much (Crane upgrade). Wages rose.',
      'Crane upgrade',
      'The crane lifts twice as much.',
    ],
    [
      'a title with a full stop inside is bridged',
      'The U.S. ports agree. Officials said so in U.S. Ports Weekly today. Next.',
      'U.S. Ports Weekly',
      'Officials said so in today.',
    ],
    ['a link that is the whole block', 'Crane upgrade finished', 'Crane upgrade finished', ''],
  ])('%s', (_name, text, linkText, expected) => {
    expect(at(text, linkText)).toBe(expected);
  });
});

describe('citationLink: the rewrite of one link', () => {
  const question = 'What happened   to the crane?';
  it.each([
    [
      'a retrieved article cited for a claim links in-app with the claim',
      'https://sample.auspex.invalid/ports/001-crane-upgrade-finished',
      'Title (Port Wire, 2025-01-03): The new crane lifts twice as much as before.',
      [0, 5],
      {
        id: 7,
        href: `/articles/7?q=${encodeURIComponent('(Port Wire, 2025-01-03): The new crane lifts twice as much as before.')}`,
      },
    ],
    [
      'a reference-list entry with no claim falls back to the question',
      'https://news.example.com/b/',
      '[1] Title',
      [4, 9],
      { id: 11, href: `/articles/11?q=${encodeURIComponent('What happened to the crane?')}` },
    ],
    ['a link to anything else is left alone', 'https://elsewhere.test/', 'See this page.', [4, 8], null],
  ] as const)('%s', (_name, href, text, [start, end], expected) => {
    const link = citationLink(href, text, start, end, ARTICLES, question);
    expect(link && { id: link.article.id, href: link.href }).toEqual(expected);
  });

  it('caps a long claim and leaves q out when there is nothing to highlight', () => {
    expect(articleHref(7, 'crane '.repeat(200), '')).toBe(
      `/articles/7?q=${encodeURIComponent('crane '.repeat(200).slice(0, 500))}`,
    );
    expect(articleHref(7, '', '  ')).toBe('/articles/7');
  });
});
