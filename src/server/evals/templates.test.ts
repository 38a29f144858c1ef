import { describe, expect, it } from 'vitest';
import { renderCase, renderTemplate } from './templates';

// The rules of templates.ts, one row each (Mustache itself renders; these check what we decide).

const vars = { region: 'EU & UK', year: 2025, urgent: true, empty: '' };

describe.each([
  ['a text without tags', 'Plain {text} here', { ok: true, text: 'Plain {text} here' }],
  ['plain tags, unescaped', 'In {{region}} <{{year}}>', { ok: true, text: 'In EU & UK <2025>' }],
  ['triple and ampersand tags', '{{{region}}} / {{& region}}', { ok: true, text: 'EU & UK / EU & UK' }],
  ['an empty string value', '[{{empty}}]', { ok: true, text: '[]' }],
  ['a section over a true value', '{{#urgent}}Be quick. {{/urgent}}Go', { ok: true, text: 'Be quick. Go' }],
  ['a section over a missing value', '{{#later}}{{nothing}}{{/later}}Go', { ok: true, text: 'Go' }],
  ['an inverted section over a missing value', '{{^later}}No plan{{/later}}', { ok: true, text: 'No plan' }],
  [
    'a missing plain tag',
    'In {{region}} for {{audience}} and {{reader}}',
    {
      ok: false,
      error:
        'The case has no value for {{audience}}, {{reader}} in the prompt (its variables: empty, region, urgent, year)',
    },
  ],
  [
    'a missing tag inside a section that renders',
    '{{#urgent}}{{deadline}}{{/urgent}}',
    {
      ok: false,
      error:
        'The case has no value for {{deadline}} in the prompt (its variables: empty, region, urgent, year)',
    },
  ],
  [
    'an unclosed tag',
    'Focus on {{region',
    { ok: false, error: 'Template error in the prompt: Unclosed tag at 17' },
  ],
  [
    'an unclosed section',
    '{{#urgent}}hurry',
    { ok: false, error: 'Template error in the prompt: Unclosed section "urgent" at 16' },
  ],
  [
    'a partial',
    'See {{> footer}}',
    { ok: false, error: 'Template error in the prompt: partials ({{> footer}}) are not supported' },
  ],
])('renderTemplate with %s', (_name, template, expected) => {
  it('answers as decided', () => expect(renderTemplate(template, vars, 'the prompt')).toEqual(expected));
});

describe('renderCase', () => {
  it.each([
    ['no variables', undefined],
    ['an empty variables object', {}],
  ])('leaves prompt and query as written with %s', (_name, variables) => {
    expect(renderCase('Hello {{region}}', 'Why {{x', variables)).toEqual({
      ok: true,
      value: { system: 'Hello {{region}}', message: 'Why {{x' },
    });
  });

  it('renders both texts and names the query when it fails', () => {
    expect(renderCase('For {{region}}', 'In {{year}}?', vars)).toEqual({
      ok: true,
      value: { system: 'For EU & UK', message: 'In 2025?' },
    });
    expect(renderCase('For {{region}}', 'In {{when}}?', vars)).toEqual({
      ok: false,
      error: 'The case has no value for {{when}} in the query (its variables: empty, region, urgent, year)',
    });
  });

  it('leaves Mustache.escape as other users of the package set it', async () => {
    const Mustache = (await import('mustache')).default;
    renderCase('{{region}}', 'q', vars);
    expect(Mustache.render('{{region}}', vars)).toBe('EU &amp; UK');
  });
});
