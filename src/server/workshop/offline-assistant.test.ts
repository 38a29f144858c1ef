import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../llm/types';
import { fence, openingUserMessage, workshopStateBlock } from './meta-prompt';
import {
  assembleDraft,
  codeBlocks,
  OFFLINE_INTRO,
  offlineOpening,
  offlineReply,
  QUESTIONS,
  revisionBase,
} from './offline-assistant';

/** Plays a conversation: each user message gets the offline reply, as the chat route would store it. */
function converse(opening: string, userMessages: string[], currentDraft?: string): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'user', content: 'opening' },
    { role: 'assistant', content: opening },
  ];
  for (const content of userMessages) {
    messages.push({ role: 'user', content });
    messages.push({ role: 'assistant', content: offlineReply({ messages, currentDraft }) });
  }
  return messages;
}

const ANSWERS = [
  'market trends, competitors and pricing',
  'portfolio managers',
  'brief and executive',
  'an executive summary, then key findings as bullets',
  'search_articles and sentiment trends',
  'only the last 90 days; no investment advice',
];

describe('offline opening', () => {
  it.each([
    ['blank', {}, /I will ask six short questions[\s\S]*\*\*Question 1 of 6 — Analysis type\.\*\*/],
    [
      'requirements',
      { requirements: 'I need a financial analysis prompt' },
      /You asked for: “I need a financial analysis prompt”\. I will ask six short questions[\s\S]*Question 1 of 6/,
    ],
    [
      'clone',
      { parentPromptName: 'auspex_default', startingPrompt: 'x'.repeat(120) },
      /starting from the library prompt "auspex_default"; it is in the editor\.[\s\S]*`add <instruction>`/,
    ],
  ])('%s', (_name, opening, expected) => {
    const text = offlineOpening(opening);
    expect(text.startsWith(OFFLINE_INTRO)).toBe(true);
    expect(text).toMatch(/not an AI model/);
    expect(text).toMatch(expected);
  });
});

describe('offline guided interview', () => {
  it('asks the six questions in order, then assembles a draft in one code block', () => {
    const messages = converse(offlineOpening({}), ANSWERS);
    const assistant = messages.filter((m) => m.role === 'assistant').map((m) => m.content);
    for (let i = 1; i < 6; i++)
      expect(assistant[i]).toMatch(`**Question ${i + 1} of 6 — ${QUESTIONS[i].label}.**`);
    const final = assistant[6];
    expect(codeBlocks(final)).toHaveLength(1);
    const draft = codeBlocks(final)[0];
    expect(draft).toBe(
      assembleDraft({
        analysis: 'market trends, competitors and pricing',
        audience: 'portfolio managers',
        tone: 'brief and executive',
        format: 'an executive summary, then key findings as bullets',
        tools: 'search_articles and sentiment trends',
        constraints: 'only the last 90 days; no investment advice',
      }),
    );
    for (const heading of [
      'Focus areas',
      'Tone',
      'Output format',
      'Tool strategy',
      'Quality bar',
      'Citation rules',
    ]) {
      expect(draft).toContain(`## ${heading}`);
    }
    expect(draft).toMatch(
      /^You are Auspex, a research assistant\. Your job: market trends, competitors and pricing/,
    );
    expect(draft).toContain('You write for portfolio managers.');
    expect(draft).toContain('- Market trends.\n- Competitors.\n- Pricing.');
    expect(draft).toContain('- Call search_articles, analyze_sentiment_trends when');
    expect(draft).toContain('- Only the last 90 days.\n- No investment advice.');
    expect(draft.length).toBeGreaterThan(100);
  });

  it('uses defaults for skipped questions and is deterministic', () => {
    const a = converse(offlineOpening({}), ['skip', 'skip', 'skip', 'skip', 'skip', 'none']);
    const b = converse(offlineOpening({}), ['skip', 'skip', 'skip', 'skip', 'skip', 'none']);
    expect(a).toEqual(b);
    expect(codeBlocks(a.at(-1)!.content)[0]).toBe(assembleDraft({}));
    expect(assembleDraft({})).toContain(
      '- Use only the articles provided with the question; do not call tools.',
    );
  });

  it('puts the requirements in the draft', () => {
    const draft = assembleDraft({}, 'Track chip export rules');
    expect(draft.split('\n')[1]).toBe('Purpose: Track chip export rules');
  });

  it('says back each answer it understood, and the default when skipped', () => {
    const messages = converse(offlineOpening({}), ['Market trends.', 'skip']);
    const [, , , first, , second] = messages.map((m) => m.content);
    expect(first).toMatch(/^Noted — analysis type: “Market trends”\.\n\n\*\*Question 2 of 6/);
    expect(second).toMatch(
      /^Noted — audience: the default, “informed professionals”\.\n\n\*\*Question 3 of 6/,
    );
  });

  // People answer in sentences; the draft should read as if the answers were written for it.
  it.each([
    ['analysis', 'I want it to focus on market trends and pricing', 'market trends and pricing'],
    ['analysis', 'Well, I think mainly risk assessment, please', 'risk assessment'],
    ['analysis', 'Well sourced market analysis', 'Well sourced market analysis'],
    ['audience', 'The readers are portfolio managers', 'portfolio managers'],
    ['audience', "It's for engineers.", 'engineers'],
    ['audience', 'for', 'for'],
    ['tone', 'It should be brief and executive', 'brief and executive'],
    ['tone', 'Keep it neutral', 'neutral'],
    ['tone', 'Tone it down, sober', 'Tone it down, sober'],
    ['format', 'Each answer should start with a summary', 'start with a summary'],
    ['tools', 'Use search and sentiment', 'search and sentiment'],
    ['constraints', 'Yes: only the last 90 days', 'only the last 90 days'],
    ['constraints', 'Yes — only EU', 'only EU'],
    ['constraints', 'OK to speculate if labelled', 'OK to speculate if labelled'],
    ['constraints', 'As you please', 'As you please'],
  ] as const)('%s: “%s” goes in as “%s”', (key, said, meant) => {
    const index = QUESTIONS.findIndex((q) => q.key === key);
    const answers = ANSWERS.map((a, i) => (i === index ? said : a));
    const draft = codeBlocks(converse(offlineOpening({}), answers).at(-1)!.content)[0];
    const clean = Object.fromEntries(QUESTIONS.map((q, i) => [q.key, i === index ? meant : ANSWERS[i]]));
    expect(draft).toBe(assembleDraft(clean));
  });

  it.each<[string, string[], string]>([
    [
      'search_articles and sentiment trends',
      ['- Call search_articles, analyze_sentiment_trends when'],
      'Use tools as follows',
    ],
    [
      'everything you have',
      ['- Call search_articles, get_topic_articles, analyze_sentiment_trends, get_article_categories when'],
      'Use tools as follows',
    ],
    ['the company filings database', ['- Use tools as follows: the company filings database.'], '- Call '],
    ...["don't use any tools", 'don’t use any tools', 'avoid using tools', 'without tools'].map(
      (t): [string, string[], string] => [
        t,
        ['- Use only the articles provided with the question; do not call tools.'],
        '- Call ',
      ],
    ),
    ["search, and I don't mind which tools else", ['- Call search_articles when'], 'do not call tools'],
    ['search only, not any others', ['- Call search_articles when'], 'get_topic_articles'],
  ])('tools: “%s”', (tools, present, absent) => {
    const draft = assembleDraft({ tools });
    for (const line of present) expect(draft).toContain(line);
    expect(draft).not.toContain(absent);
  });

  it('starts over on request', () => {
    const messages = converse(offlineOpening({}), ['market trends', 'start over']);
    expect(messages.at(-1)!.content).toMatch(/^Starting over\.\n\n\*\*Question 1 of 6/);
    const after = converse(offlineOpening({}), [
      'market trends',
      'start over',
      'risk assessment',
      ...ANSWERS.slice(1),
    ]);
    expect(codeBlocks(after.at(-1)!.content)[0]).toMatch(/Your job: risk assessment,/);
  });

  it('revises the proposed draft, then its own revision', () => {
    const messages = converse(offlineOpening({}), [
      ...ANSWERS,
      'add cite at least three sources',
      'remove tone',
    ]);
    const revised = messages.at(-3)!.content;
    expect(revised).toMatch(/^Added "cite at least three sources" under Citation rules\./);
    const twice = codeBlocks(messages.at(-1)!.content)[0];
    expect(twice).toContain('- Cite at least three sources.');
    expect(twice).not.toContain('## Tone');
  });

  it('revises the editor text when the user edited it by hand', () => {
    const edited = `${'My own hand-written prompt. '.repeat(5)}\n\n## Focus areas\n- Chips.`;
    const messages = converse(offlineOpening({}), [...ANSWERS, 'emphasise dates'], edited);
    expect(codeBlocks(messages.at(-1)!.content)[0]).toBe(
      `${'My own hand-written prompt. '.repeat(5)}\n\n## Priorities\n- Above all: dates.\n\n## Focus areas\n- Chips.`,
    );
  });

  it('revises a cloned prompt from the first message', () => {
    const starting = `You are Auspex.\n\n## Rules\n- Cite sources.\n- ${'Be careful. '.repeat(10).trim()}`;
    const opening = openingUserMessage({ parentPromptName: 'auspex_default', startingPrompt: starting });
    const messages: ChatMessage[] = [
      { role: 'user', content: opening },
      {
        role: 'assistant',
        content: offlineOpening({ parentPromptName: 'auspex_default', startingPrompt: starting }),
      },
      { role: 'user', content: 'add a risk section' },
    ];
    const reply = offlineReply({ messages, currentDraft: starting });
    expect(codeBlocks(reply)[0]).toBe(`${starting}\n\n## Additional instructions\n- A risk section.`);
  });

  it('explains the instructions it understands', () => {
    const messages = converse(offlineOpening({}), [...ANSWERS, 'make it sparkle']);
    expect(messages.at(-1)!.content).toMatch(/^I did not recognise an instruction[\s\S]*`shorter`/);
  });

  it('takes a pasted draft as the new base', () => {
    const pasted = 'You are a pasted prompt with enough words to matter.\n\n## Rules\n- One.';
    const messages = converse(offlineOpening({}), [
      ...ANSWERS,
      `Use this:\n\`\`\`\n${pasted}\n\`\`\``,
      'add two',
    ]);
    expect(messages.at(-3)!.content).toMatch(/^I will use the draft you pasted/);
    expect(codeBlocks(messages.at(-1)!.content)[0]).toBe(`${pasted}\n\n## Additional instructions\n- Two.`);
  });
});

describe('revisionBase', () => {
  it.each([
    ['no draft anywhere', undefined, [], null],
    ['the newest block', '', ['a', 'b'], 'b'],
    ['editor text matching a block is not newer', 'a', ['a', 'b'], 'b'],
    ['hand-edited editor text wins', 'edited', ['a', 'b'], 'edited'],
    ['editor only', 'edited', [], 'edited'],
  ])('%s', (_name, editor, blocks, expected) => {
    expect(revisionBase(editor, blocks)).toBe(expected);
  });
});

describe('meta-prompt helpers', () => {
  it('fences text that itself contains a fence', () => {
    const text = 'Answer like:\n```\nexample\n```';
    const fenced = fence(text);
    expect(fenced).toBe(`\`\`\`\`\n${text}\n\`\`\`\``);
    expect(codeBlocks(fenced)).toEqual([text]);
  });

  it.each([
    ['blank', {}, 'I want to design a new system prompt for Auspex. Please guide me.'],
    ['requirements', { requirements: 'Track chip exports' }, 'Here is what I need: Track chip exports'],
    [
      'clone',
      { parentPromptName: 'p1', parentVersion: 3, startingPrompt: 'Prompt text' },
      'I am starting from the library prompt "p1" (version 3):\n\n```\nPrompt text\n```\n\nHelp me adapt and improve it.',
    ],
  ])('opening user message: %s', (_name, opening, expected) => {
    expect(openingUserMessage(opening)).toBe(expected);
  });

  it('describes the workshop state with the draft and recent tests', () => {
    const block = workshopStateBlock({
      draftName: 'Chips',
      parentPromptName: null,
      draftContent: 'You are Auspex.',
      tests: [
        {
          query: 'What changed in export rules?',
          topic: 'AI Adoption',
          article_count: 7,
          status: 'ok',
          user_rating: 2,
          notes: 'too long',
          response_preview: 'Export rules tightened…',
        },
      ],
    });
    expect(block).toBe(
      [
        '# Current workshop state',
        'Draft name: Chips',
        'The draft in the editor (what the user tests and commits):\n```\nYou are Auspex.\n```',
        'Recent test runs of this draft, newest first:',
        '- query "What changed in export rules?" on topic "AI Adoption", 7 articles, rated 2/5, notes: "too long"; answer began: "Export rules tightened…"',
      ].join('\n'),
    );
  });
});
