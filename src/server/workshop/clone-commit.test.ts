import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, memberClient } from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// Cloning a chosen version, numbered clone names, and the library's one rule against a version
// identical to the newest, on both engines.

const V1 = DRAFT_TEXT;
const V2 = `${DRAFT_TEXT}\n- Version two.`;
const V3 = `${DRAFT_TEXT}\n- Version three.`;

describe.each(dialects)('clone and commit on $dialect', ({ create }) => {
  let f: WorkshopFixture;
  let carol: Client;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
    carol = await memberClient(f.t, f.admin, 'carol');
    // alice_brief at versions 1..3, through the library's create and edits.
    const made = await f.alice('POST', '/api/auspex/prompts', {
      name: 'alice_brief',
      title: 'Alice brief',
      content: V1,
    });
    expect(made.statusCode).toBe(201);
    for (const content of [V2, V3]) {
      expect((await f.alice('PUT', '/api/auspex/prompts/alice_brief', { content })).statusCode).toBe(200);
    }
  });
  afterAll(async () => f?.close());
  beforeEach(() => f.fake.reset());

  const draftOf = async (c: Client, id: number) => (await c('GET', `${BASE}/drafts/${id}`)).json();

  describe('clone ?version=', () => {
    it.each([
      { query: '?version=1', version: 1, content: V1 },
      { query: '?version=2', version: 2, content: V2 },
      { query: '', version: 3, content: V3 },
    ])('clones version $version for "$query" and says which', async ({ query, version, content }) => {
      const res = await f.bob('POST', `/api/auspex/prompts/alice_brief/clone${query}`);
      expect(res.statusCode).toBe(201);
      const id = res.json().draft_id;
      const draft = await draftOf(f.bob, id);
      expect(res.json()).toEqual({
        draft_id: id,
        chat_id: expect.any(Number),
        parent_prompt: 'alice_brief',
        message: `Cloned "alice_brief" version ${version} into draft "${draft.draft_name}"`,
      });
      expect(draft).toMatchObject({
        draft_content: content,
        parent_prompt_name: 'alice_brief',
        parent_prompt_version: version,
        draft_description: `Cloned from "alice_brief" version ${version}`,
      });
      // The opening turn the assistant saw names the same version.
      expect(JSON.stringify(f.fake.modelRequests().at(-1)!.body)).toContain(
        `I am starting from the library prompt \\"alice_brief\\" (version ${version})`,
      );
      const listed = (await f.bob('GET', `${BASE}/drafts`))
        .json()
        .drafts.find((d: { id: number }) => d.id === id);
      expect(listed).toMatchObject({ parent_prompt_version: version });
    });

    it('starts from a version with parent_prompt_version, the same path the clone takes', async () => {
      const res = await f.bob('POST', `${BASE}/start`, {
        parent_prompt_name: 'alice_brief',
        parent_prompt_version: 2,
      });
      expect(res.statusCode).toBe(201);
      expect(await draftOf(f.bob, res.json().draft_id)).toMatchObject({
        draft_content: V2,
        parent_prompt_version: 2,
      });
    });

    it('gives drafts that were not cloned no parent version', async () => {
      const { id } = await readyDraft(f.bob);
      expect(await draftOf(f.bob, id)).toMatchObject({
        parent_prompt_name: null,
        parent_prompt_version: null,
      });
    });
  });

  describe('clone names', () => {
    it('numbers a user’s clones of one version; other versions and other users count apart', async () => {
      const clone = async (c: Client, query: string) => {
        const res = await c('POST', `/api/auspex/prompts/auspex_default/clone${query}`);
        expect(res.statusCode).toBe(201);
        return (await draftOf(c, res.json().draft_id)).draft_name;
      };
      const names = [];
      for (const _ of [1, 2, 3]) names.push(await clone(carol, '?version=1'));
      names.push(await clone(f.alice, '?version=1'));
      names.push(await clone(carol, ''));
      names.push(await clone(carol, '?clone_name=My%20own%20name'));
      expect(names).toEqual([
        'auspex_default v1 — draft 1',
        'auspex_default v1 — draft 2',
        'auspex_default v1 — draft 3',
        'auspex_default v1 — draft 1',
        // The shipped prompt has one version, so "newest" is v1 again.
        'auspex_default v1 — draft 4',
        'My own name',
      ]);
    });

    it('continues after the highest number, so deleting one never reuses a taken name', async () => {
      const clone = async () =>
        (await f.admin('POST', '/api/auspex/prompts/alice_brief/clone?version=2')).json().draft_id as number;
      const first = await clone();
      await clone();
      await f.admin('DELETE', `${BASE}/drafts/${first}`);
      expect((await draftOf(f.admin, await clone())).draft_name).toBe('alice_brief v2 — draft 3');
    });

    it('numbers parallel clones apart', async () => {
      const ids = await Promise.all(
        [1, 2, 3, 4].map(
          async () =>
            (await f.admin('POST', '/api/auspex/prompts/alice_brief/clone?version=1')).json()
              .draft_id as number,
        ),
      );
      const names = await Promise.all(ids.map(async (id) => (await draftOf(f.admin, id)).draft_name));
      expect(names.sort()).toEqual([1, 2, 3, 4].map((n) => `alice_brief v1 — draft ${n}`));
    });
  });

  describe('commit of text identical to the newest version', () => {
    const commit = (c: Client, id: number) =>
      c('POST', `${BASE}/drafts/${id}/commit`, { name: 'alice_brief', title: 'Alice brief again' });
    const versions = async () =>
      (await f.alice('GET', '/api/auspex/prompts/alice_brief/versions')).json().versions.length as number;

    it.each([
      { how: 'unchanged clone of the newest', query: '', edits: (_newest: string) => [] as string[] },
      {
        how: 'clone changed and changed back',
        query: '',
        edits: (newest: string) => [`${newest}\nextra`, newest],
      },
      { how: 'older version edited into the newest text', query: '?version=1', edits: (n: string) => [n] },
    ])(
      'is a 409 naming the version and leaves the draft uncommitted: $how',
      async ({ how, query, edits }) => {
        const newest = (await f.alice('GET', '/api/auspex/prompts/alice_brief')).json();
        const id = (await f.alice('POST', `/api/auspex/prompts/alice_brief/clone${query}`)).json().draft_id;
        for (const draft_content of edits(newest.content)) {
          expect((await f.alice('PUT', `${BASE}/drafts/${id}`, { draft_content })).statusCode).toBe(200);
        }
        const draftBefore = await draftOf(f.alice, id);

        const res = await commit(f.alice, id);
        expect({ status: res.statusCode, body: res.json() }).toEqual({
          status: 409,
          body: {
            detail: `The text is identical to version ${newest.version} of "alice_brief"; change it before committing`,
          },
        });
        expect(await versions()).toBe(newest.version);
        // The claim rolled back with the refusal: the draft is as it was, and a real change commits.
        expect(await draftOf(f.alice, id)).toEqual(draftBefore);
        await f.alice('PUT', `${BASE}/drafts/${id}`, { draft_content: `${newest.content}\n- ${how}` });
        const ok = await commit(f.alice, id);
        expect(ok.statusCode).toBe(201);
        expect(ok.json().version).toBe(newest.version + 1);
      },
    );

    it('keeps "already committed" for a committed draft that did not change', async () => {
      const id = (await f.alice('POST', '/api/auspex/prompts/alice_brief/clone')).json().draft_id;
      await f.alice('PUT', `${BASE}/drafts/${id}`, { draft_content: `${V3}\n- once more` });
      const first = await commit(f.alice, id);
      expect(first.statusCode).toBe(201);
      const again = await commit(f.alice, id);
      expect({ status: again.statusCode, body: again.json() }).toEqual({
        status: 409,
        body: { detail: `Draft ${id} was already committed as alice_brief v${first.json().version}` },
      });
    });

    it('keeps the library PUT of the same text a no-op that still saves the title (the same rule)', async () => {
      const before = (await f.alice('GET', '/api/auspex/prompts/alice_brief')).json();
      const res = await f.alice('PUT', '/api/auspex/prompts/alice_brief', {
        title: 'Alice brief renamed',
        content: before.content,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: before.version, title: 'Alice brief renamed' });
    });
  });
});
