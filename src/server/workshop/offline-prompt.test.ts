import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';
import { OFFLINE_NOTICE } from '../auspex/offline-brief';

// Without any provider, test → compare must still show a difference between two drafts: the
// offline model follows what it recognises in the tested draft, through the real routes.

const STRICT = [
  DRAFT_TEXT,
  '',
  '## Output format',
  '- Give key findings as bullet points; cover at most 3 articles.',
  '- Use footnotes [n] with a reference list at the end, and include publication dates.',
  '- Never speculate.',
].join('\n');

describe.each(dialects)('offline:demo follows the tested draft on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create(), { offline: true });
  });
  afterAll(async () => f?.close());

  it('answers two different drafts differently, each as its draft asks', async () => {
    const plain = await readyDraft(f.alice);
    const strict = await readyDraft(f.alice);
    await f.alice('PUT', `${BASE}/drafts/${strict.id}`, { draft_content: STRICT });

    const run = async (id: number) => {
      const res = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody({ model: 'offline:demo' }));
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const a = await run(plain.id);
    const b = await run(strict.id);
    for (const r of [a, b]) {
      expect(r).toMatchObject({ model: 'offline:demo', status: 'ok', article_count: 5, cost_usd: 0 });
      expect(r.response.startsWith(OFFLINE_NOTICE)).toBe(true);
    }
    expect(a.response).not.toBe(b.response);
    // The plain draft cites inline in a numbered list; the strict one in bullets with footnotes.
    expect(a.response).toMatch(/^1\. \[Robotics report \d+\]\(https:/m);
    expect(b.response).not.toMatch(/^\d+\. /m);
    expect(b.response.match(/^- Robotics report \d+ \[\d\] \([^)]+, \d{4}-\d{2}-\d{2}\): /gm)).toHaveLength(
      3,
    );
    expect(b.response).toContain('### References\n- [1] [Robotics report');
    expect(b.response).toContain('_This prompt asks not to speculate');
    // The same draft and query give the same answer again.
    expect((await run(strict.id)).response).toBe(b.response);
  });
});
