import { describe, expect, it } from 'vitest';
import { applyRevision, CANNOT_SHORTEN, parseCommand } from './revisions';

const DRAFT = [
  'You are Auspex, a research assistant for market analysts.',
  '',
  '## Focus areas',
  '- Market trends.',
  '- Competitors.',
  '',
  '## Tone',
  '- Neutral and analytical.',
  '',
  '## Citation rules',
  '- Cite inline as [Title](URL).',
].join('\n');

describe('parseCommand', () => {
  it.each([
    ['add cite at least three sources', { kind: 'add', arg: 'cite at least three sources' }],
    ['Please add: "a risk section".', { kind: 'add', arg: 'a risk section' }],
    ['include regional breakdowns', { kind: 'add', arg: 'regional breakdowns' }],
    ['remove tone', { kind: 'remove', arg: 'tone' }],
    ['delete the competitors', { kind: 'remove', arg: 'the competitors' }],
    ['shorter', { kind: 'shorter' }],
    ['Make it shorter please', { kind: 'shorter' }],
    ['emphasise evidence over opinion', { kind: 'emphasise', arg: 'evidence over opinion' }],
    ['emphasize dates', { kind: 'emphasise', arg: 'dates' }],
    ['hello there', null],
    ['what about tone?', null],
  ])('%s', (message, expected) => {
    expect(parseCommand(message)).toEqual(expected);
  });
});

describe('applyRevision', () => {
  it('adds to the section the instruction is about', () => {
    const r = applyRevision(DRAFT, { kind: 'add', arg: 'cite at least three sources' });
    expect(r).toEqual({
      changed: true,
      summary: 'Added "cite at least three sources" under Citation rules.',
      text: `${DRAFT}\n- Cite at least three sources.`,
    });
  });

  it('adds to the end of a middle section, before the blank line', () => {
    const r = applyRevision(DRAFT, { kind: 'add', arg: 'a friendly tone for newcomers' });
    expect(r.text.split('\n').slice(6, 10)).toEqual([
      '## Tone',
      '- Neutral and analytical.',
      '- A friendly tone for newcomers.',
      '',
    ]);
  });

  it('adds an Additional instructions section when no section fits', () => {
    const r = applyRevision(DRAFT, { kind: 'add', arg: 'mention the regulator' });
    expect(r.text).toBe(`${DRAFT}\n\n## Additional instructions\n- Mention the regulator.`);
    const again = applyRevision(r.text, { kind: 'add', arg: 'name the countries' });
    expect(again.text).toBe(`${r.text}\n- Name the countries.`);
  });

  it('does not add what the draft already says', () => {
    expect(applyRevision(DRAFT, { kind: 'add', arg: 'competitors' })).toMatchObject({
      changed: false,
      text: DRAFT,
    });
  });

  it('removes a whole section by its name', () => {
    const r = applyRevision(DRAFT, { kind: 'remove', arg: 'tone' });
    expect(r.summary).toBe('Removed the Tone section.');
    expect(r.text).not.toMatch(/Tone|Neutral/);
    expect(r.text).toMatch(/## Focus areas\n- Market trends.\n- Competitors.\n\n## Citation rules/);
  });

  it('removes the lines that mention a phrase', () => {
    const r = applyRevision(DRAFT, { kind: 'remove', arg: 'competitors' });
    expect(r).toMatchObject({ changed: true, summary: 'Removed 1 line mentioning "competitors".' });
    expect(r.text).not.toMatch(/Competitors/);
  });

  it('reports a phrase it cannot find', () => {
    expect(applyRevision(DRAFT, { kind: 'remove', arg: 'weather' })).toEqual({
      text: DRAFT,
      changed: false,
      summary: 'I found no line mentioning "weather".',
    });
  });

  it('shortens by tightening wording and merging repeated lines, never by dropping a line', () => {
    const long = [
      'You are Auspex. Please make sure to answer in order to help analysts.',
      '',
      '## Points',
      '- one',
      '  - nested detail',
      '- two',
      '- Two.',
      '- three',
      '- four',
      '- five',
    ].join('\n');
    const tight = [
      'You are Auspex. Answer to help analysts.',
      '',
      '## Points',
      '- one',
      '  - nested detail',
      '- two',
      '- three',
      '- four',
      '- five',
    ].join('\n');
    const r = applyRevision(long, { kind: 'shorter' });
    expect(r).toEqual({
      changed: true,
      text: tight,
      summary: `Shortened the draft from ${long.length} to ${tight.length} characters by tightening its wording (filler phrases, repeated lines); every rule is kept.`,
    });
    expect(applyRevision(r.text, { kind: 'shorter' })).toEqual({
      changed: false,
      text: r.text,
      summary: CANNOT_SHORTEN,
    });
  });

  it('puts an emphasised point first under Priorities', () => {
    const r = applyRevision(DRAFT, { kind: 'emphasise', arg: 'evidence over opinion' });
    expect(r.text.split('\n').slice(0, 6)).toEqual([
      'You are Auspex, a research assistant for market analysts.',
      '',
      '## Priorities',
      '- Above all: evidence over opinion.',
      '',
      '## Focus areas',
    ]);
    const second = applyRevision(r.text, { kind: 'emphasise', arg: 'dates' });
    expect(second.text.split('\n').slice(2, 5)).toEqual([
      '## Priorities',
      '- Above all: dates.',
      '- Above all: evidence over opinion.',
    ]);
    expect(applyRevision(second.text, { kind: 'emphasise', arg: 'dates' })).toMatchObject({ changed: false });
  });
});
