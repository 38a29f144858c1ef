import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { DEFAULT_PROMPT_NAME } from '../../shared/prompts';
import { DEFAULT_PROMPT_CONTENT } from './default-prompt';
import * as repo from './repository';
import { ensureDefaultPrompt, getPrompt } from './service';

const content = (tag: string) =>
  `${tag}: ${'You answer questions about news articles and cite them. '.repeat(3)}`;

describe.each(dialects)('prompt library on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
  });
  afterAll(() => t?.close());

  it('seeds the default prompt once, with no owner, and re-seeding is a no-op', async () => {
    expect(await ensureDefaultPrompt(t.ctx)).toBe(false);
    const res = await alice('GET', `/api/auspex/prompts/${DEFAULT_PROMPT_NAME}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: DEFAULT_PROMPT_NAME,
      owner: null,
      is_default: true,
      can_edit: false,
      version: 1,
      content: DEFAULT_PROMPT_CONTENT,
    });
    const versions = await alice('GET', `/api/auspex/prompts/${DEFAULT_PROMPT_NAME}/versions`);
    expect(versions.json().versions).toHaveLength(1);
  });

  it('creates a prompt, lists it for every member, and refuses a duplicate name with 409', async () => {
    const body = { name: 'alice_brief', title: 'Alice brief', description: 'Short', content: content('v1') };
    const created = await alice('POST', '/api/auspex/prompts', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      name: 'alice_brief',
      title: 'Alice brief',
      description: 'Short',
      owner: 'alice',
      is_default: false,
      can_edit: true,
      version: 1,
      content: content('v1'),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const dup = await bob('POST', '/api/auspex/prompts', { ...body, title: 'Another title' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().detail).toBe('A prompt named "alice_brief" already exists');

    const list = await bob('GET', '/api/auspex/prompts');
    expect(list.statusCode).toBe(200);
    const names = list.json().prompts.map((p: { name: string }) => p.name);
    expect(names[0]).toBe(DEFAULT_PROMPT_NAME);
    expect(names).toContain('alice_brief');
    expect(list.json().prompts.find((p: { name: string }) => p.name === 'alice_brief')).toMatchObject({
      owner: 'alice',
      can_edit: false,
      version: 1,
    });
  });

  it('adds an immutable version per content change, newest first, with author and message', async () => {
    const put = await alice('PUT', '/api/auspex/prompts/alice_brief', {
      content: content('v2'),
      message: 'tighter',
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ version: 2, content: content('v2') });

    // Same text again, or only a title change, adds no version.
    await alice('PUT', '/api/auspex/prompts/alice_brief', { content: content('v2') });
    const retitled = await alice('PUT', '/api/auspex/prompts/alice_brief', { title: 'Alice brief, renamed' });
    expect(retitled.json()).toMatchObject({ title: 'Alice brief, renamed', version: 2 });

    const versions = await bob('GET', '/api/auspex/prompts/alice_brief/versions');
    expect(versions.statusCode).toBe(200);
    expect(versions.json()).toEqual({
      name: 'alice_brief',
      versions: [
        {
          version: 2,
          content: content('v2'),
          message: 'tighter',
          author: 'alice',
          source_draft_id: null,
          created_at: expect.any(String),
        },
        {
          version: 1,
          content: content('v1'),
          message: 'Initial version',
          author: 'alice',
          source_draft_id: null,
          created_at: expect.any(String),
        },
      ],
    });
  });

  it('lets an admin edit any prompt and shows who wrote each version', async () => {
    const res = await admin('PUT', '/api/auspex/prompts/alice_brief', { content: content('v3') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ owner: 'alice', version: 3, can_edit: true });
    const versions = await alice('GET', '/api/auspex/prompts/alice_brief/versions');
    expect(versions.json().versions.map((v: { author: string }) => v.author)).toEqual([
      'admin',
      'alice',
      'alice',
    ]);
  });

  describe.each([
    ['PUT', { title: 'Bob was here' }],
    ['DELETE', undefined],
  ] as const)('%s by a member who does not own the prompt', (method, payload) => {
    it('answers 403 and changes nothing', async () => {
      const res = await bob(method, '/api/auspex/prompts/alice_brief', payload);
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toBe('Only the owner of "alice_brief" or an administrator may change it');
      expect((await getPrompt(t.ctx, 'alice_brief')).title).toBe('Alice brief, renamed');
    });
  });

  it('does not let a member change the shipped default prompt, and nobody can delete it', async () => {
    expect(
      (await alice('PUT', `/api/auspex/prompts/${DEFAULT_PROMPT_NAME}`, { title: 'Mine now' })).statusCode,
    ).toBe(403);
    const del = await admin('DELETE', `/api/auspex/prompts/${DEFAULT_PROMPT_NAME}`);
    expect(del.statusCode).toBe(409);
  });

  describe.each([
    ['GET', '/api/auspex/prompts/nope', undefined],
    ['PUT', '/api/auspex/prompts/nope', { title: 'Whatever title' }],
    ['DELETE', '/api/auspex/prompts/nope', undefined],
    ['GET', '/api/auspex/prompts/nope/versions', undefined],
  ] as const)('%s %s on a missing prompt', (method, url, payload) => {
    it('answers 404 with a detail', async () => {
      const res = await alice(method, url, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Prompt "nope" not found' });
    });
  });

  describe.each([
    [
      'a name with upper case',
      { name: 'Bad_Name', title: 'Valid title', content: content('x') },
      'body.name',
    ],
    ['a two-letter name', { name: 'ab', title: 'Valid title', content: content('x') }, 'body.name'],
    ['the reserved name', { name: 'workshop', title: 'Valid title', content: content('x') }, 'body.name'],
    ['a short title', { name: 'good_name', title: 'abc', content: content('x') }, 'body.title'],
    ['short content', { name: 'good_name', title: 'Valid title', content: 'too short' }, 'body.content'],
    [
      'a long description',
      { name: 'good_name', title: 'Valid title', description: 'd'.repeat(501), content: content('x') },
      'body.description',
    ],
  ])('POST with %s', (_label, body, path) => {
    it('answers 400 naming the field', async () => {
      const res = await alice('POST', '/api/auspex/prompts', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([path]);
    });
  });

  it('rejects an empty PUT', async () => {
    const res = await alice('PUT', '/api/auspex/prompts/alice_brief', {});
    expect(res.statusCode).toBe(400);
  });

  it('deletes a prompt with its versions for the owner', async () => {
    const res = await alice('DELETE', '/api/auspex/prompts/alice_brief');
    expect(res.statusCode).toBe(204);
    expect((await alice('GET', '/api/auspex/prompts/alice_brief')).statusCode).toBe(404);
    const orphans = await t.ctx.db.selectFrom('prompt_versions').select('id').execute();
    expect(orphans).toHaveLength(1); // only the default prompt's version is left
  });

  it('exposes transaction-aware helpers that number versions and reject a duplicate name', async () => {
    const { prompt } = await t.ctx.db.transaction().execute((trx) =>
      repo.createPromptWithFirstVersion(trx, {
        name: 'from_draft',
        title: 'From a draft',
        description: '',
        owner_id: null,
        content: content('d1'),
        message: 'commit',
        author_id: null,
        source_draft_id: 7,
      }),
    );
    const v2 = await t.ctx.db.transaction().execute((trx) =>
      repo.addPromptVersion(trx, {
        prompt_id: prompt.id,
        content: content('d2'),
        message: 'again',
        author_id: null,
      }),
    );
    expect(v2.version).toBe(2);
    expect((await repo.latestVersion(t.ctx.db, prompt.id))?.content).toBe(content('d2'));
    expect((await repo.findPromptByName(t.ctx.db, 'from_draft'))?.id).toBe(prompt.id);
    await expect(
      t.ctx.db.transaction().execute((trx) =>
        repo.createPromptWithFirstVersion(trx, {
          name: 'from_draft',
          title: 'Duplicate',
          description: '',
          owner_id: null,
          content: content('x'),
          message: '',
          author_id: null,
        }),
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/23505|SQLITE_CONSTRAINT/) });
  });
});
