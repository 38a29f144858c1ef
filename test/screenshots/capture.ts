// Screenshots for the README of what a user sees with no model configured: the offline model
// answers (labelled "not AI"). Run after `npm run build`: npx tsx test/screenshots/capture.ts
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, setEditorText, startE2e } from '../e2e/harness';

const PROMPT = [
  'You are Auspex, a research analyst for AI adoption news. You write for portfolio managers.',
  '',
  '## Output',
  '- Use bullet points and cite every claim inline as [Title](URL), with publication dates.',
  '- Cover at most 4 articles.',
  '- Never speculate; end with what the articles do not cover.',
].join('\n');
const SHOTS = [
  'workshop-test',
  'workshop-compare',
  'prompt-library',
  'auspex-chat',
  'drafts',
  'eval-results',
  'eval-cell',
];

const e = await startE2e({ DEFAULT_MODEL: 'offline:demo' });
try {
  const page = await e.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/prompt-workshop');
  await e.signIn(page);
  await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
  await page.waitForSelector('#draft-content .cm-content');
  await page.fill('#draft-name', 'AI adoption briefing for portfolio managers');
  await page.fill(
    '#workshop-user-input',
    'Risk assessment: where AI adoption pays off and where it does not.',
  );
  await page.click('#send-workshop-message');
  await page.waitForSelector('.workshop-message.assistant >> nth=1');
  await setEditorText(page, PROMPT);
  await page.waitForSelector('#save-state[data-state="saved"]');
  await page.click('[data-bs-target="#tab-test"]');
  await page.selectOption('#test-topic', 'AI Adoption');
  await page.fill('#test-query', 'How are companies measuring returns on AI projects?');
  await page.click('#run-test');
  await page.waitForSelector('#test-metrics');
  await page.click('.rating-stars [data-rating="4"]');
  await page.fill('#test-notes', 'Cites well; could lead with the answer.');
  await page.click('#save-test-feedback');
  await e.screenshot(page, 'workshop-test');

  await page.click('[data-bs-target="#tab-draft"]');
  await setEditorText(page, `${PROMPT}\n- Start with a TL;DR line.`);
  await page.waitForSelector('#save-state[data-state="saved"]');
  await page.click('[data-bs-target="#tab-test"]');
  await page.click('#run-test');
  await page.waitForSelector('#test-metrics');
  await page.click('[data-bs-target="#tab-history"]');
  const picks = page.locator('#test-history-list input[data-compare]');
  await picks.nth(0).check();
  await picks.nth(1).check();
  await page.waitForSelector('#test-compare');
  await e.screenshot(page, 'workshop-compare');

  await page.click('#commit-prompt');
  await page.fill('#commit-name', 'ai_adoption_briefing');
  await page.fill('#commit-title', 'AI adoption briefing');
  await page.click('#confirm-commit');
  await page.waitForSelector('#commit-success, .alert.success');
  await page.goto('/prompts?name=ai_adoption_briefing');
  await page.waitForSelector('#prompt-versions li');
  await e.screenshot(page, 'prompt-library');

  await page.goto('/auspex-chat');
  await page.waitForSelector('#chat-topic option:not([value=""])', { state: 'attached' });
  await page.selectOption('#chat-topic', 'AI Adoption');
  await page.fill('#chat-input', 'Which companies report productivity gains from AI?');
  await page.press('#chat-input', 'Control+Enter');
  await page.waitForSelector('.chat-message.assistant .chat-figures');
  await e.screenshot(page, 'auspex-chat');

  await page.goto('/drafts');
  await page.waitForSelector('#drafts-list li');
  await e.screenshot(page, 'drafts');

  // An evaluation of the committed version next to the default prompt, scored by assertions.
  const suite = await page.request.post('/api/evals/suites', {
    data: {
      name: 'AI adoption questions',
      description: 'What portfolio managers ask about AI adoption',
      cases: [
        'How are companies measuring returns on AI projects?',
        'Which banks are piloting generative AI assistants?',
        'What do unions say about automation at work?',
        'Where has AI adoption been slower than planned?',
        'Which firms report productivity gains from AI coding tools?',
        'What risks do regulators see in AI adoption?',
      ].map((query) => ({ query, topic: 'AI Adoption' })),
      scoring: {
        assertions: [
          { type: 'citations-grounded' },
          { type: 'citation-coverage', min: 0.3 },
          { type: 'length', unit: 'words', max: 330 },
        ],
      },
    },
  });
  const run = await page.request.post('/api/evals/runs', {
    data: {
      suite_id: (await suite.json()).id,
      variants: [{ prompt: 'ai_adoption_briefing@1' }, { prompt: 'auspex_default' }],
    },
  });
  const runId = (await run.json()).id;
  await page.goto(`/evals/runs/${runId}`);
  await page.waitForSelector('#run-status:text("done")', { timeout: 60_000 });
  await page.waitForSelector('#results-matrix .matrix-cell >> nth=11');
  await e.screenshot(page, 'eval-results');
  await page.locator('#results-matrix .matrix-cell').first().click();
  await page.waitForSelector('#cell-answer a.citation-mark');
  await e.screenshot(page, 'eval-cell');

  for (const name of SHOTS)
    copyFileSync(join(RESULTS_DIR, `${name}.png`), join('docs/screenshots', `${name}.png`));
  console.log(`Wrote ${SHOTS.length} screenshots to docs/screenshots/`);
} finally {
  await e.close();
}
