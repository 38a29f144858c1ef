import { describe, expect, it } from 'vitest';
import { htmlToText, parseFeed } from './parsers';

describe('htmlToText: feed HTML to plain text, no tag survives', () => {
  it.each([
    ['plain text', '  just words ', 'just words'],
    ['tags go, text stays', '<p>Alpha &amp; <b>friends</b></p><p>second</p>', 'Alpha & friends\n\nsecond'],
    ['script and style bodies go', 'a<script>alert(1)</script>b<style>p{}</style>c', 'a b c'],
    ['encoded tag', '&lt;video poster=http://evil.example/p.png&gt;after', 'after'],
    ['double-encoded tag', '&amp;lt;img src=http://evil.example/i.png&amp;gt;after', 'after'],
    ['triple-encoded tag', '&amp;amp;lt;audio src=x&amp;amp;gt;after', 'after'],
    ['numeric entities', '&#60;iframe src=x&#62;after &#x3C;embed src=y&#x3e;end', 'after end'],
    // A removed tag leaves a space, so no new tag can form from the pieces around it.
    ['a tag split by another', '<<b>video poster=x>after', '< video poster=x>after'],
    ['an entity split by a tag', '&am<b>p;lt;img src=x&gt;after', '&am p;lt;img src=x>after'],
    ['comment', 'a<!-- <img src=x> -->b', 'a b'],
    ['unclosed comment', 'a<!-- <img src=x>', 'a'],
    ['a < that starts no tag stays', 'if a &lt; b and c > d', 'if a < b and c > d'],
    ['line breaks become paragraphs', 'one<br>two<br/>three', 'one\n\ntwo\n\nthree'],
    ['bad code points are dropped', 'a&#0;b&#x110000;c', 'abc'],
  ])('%s', (_name, html, expected) => {
    const text = htmlToText(html);
    expect(text).toBe(expected);
    expect(text).not.toMatch(/<[a-z!?/]/i);
  });
});

describe('parseFeed: encoded markup in a description is not stored as a tag', () => {
  it.each([
    ['entity-encoded', '&lt;video poster="http://evil.example/p.png"&gt;&lt;/video&gt;Text'],
    ['double-encoded', '&amp;lt;video poster="http://evil.example/p.png"&amp;gt;Text'],
    ['CDATA with an encoded tag', '<![CDATA[&lt;table background="http://evil.example/t.png"&gt;Text]]>'],
  ])('%s', (_name, description) => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>T</title><link>https://ex.test/a</link><pubDate>Thu, 02 Jan 2025 08:00:00 GMT</pubDate><description>${description}</description></item></channel></rss>`;
    const { records } = parseFeed(xml);
    expect(records[0].fields.summary).toBe('Text');
  });
});
