import { describe, expect, it } from 'vitest';
import { estimateTokens, formatCost, formatMs, suggestPromptName } from './format';
import { codeBlocks, lastCodeBlock } from './markdown';
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
  ])('%j -> %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
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
