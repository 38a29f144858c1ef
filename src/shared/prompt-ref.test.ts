import { describe, expect, it } from 'vitest';
import { formatPromptRef, parsePromptRef } from './prompts';

describe.each([
  ['draft:12', { kind: 'draft', draft_id: 12 }],
  ['auspex_default', { kind: 'latest', name: 'auspex_default' }],
  ['auspex_default@3', { kind: 'version', name: 'auspex_default', version: 3 }],
  ['auspex_default@prod', { kind: 'label', name: 'auspex_default', label: 'prod' }],
  ['  my_prompt@canary-2 ', { kind: 'label', name: 'my_prompt', label: 'canary-2' }],
])('parsePromptRef(%j)', (text, expected) => {
  it('names its parts and formats back to the same text', () => {
    const ref = parsePromptRef(text);
    expect(ref).toEqual(expected);
    expect(formatPromptRef(ref!)).toBe(text.trim());
  });
});

describe.each(['', 'draft:', 'draft:x', 'Upper', 'a@', 'a@1@2', 'a@-x', 'name@Prod'])(
  'parsePromptRef(%j)',
  (text) => {
    it('is not a ref', () => expect(parsePromptRef(text)).toBeUndefined());
  },
);
