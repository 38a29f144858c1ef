import type { DB } from '../db/database';
import type { PromptRow, PromptVersionRow } from '../db/types';

// Every function takes `db` first; pass a Transaction where several writes must land together.

export interface PromptWithLatest {
  id: number;
  name: string;
  title: string;
  description: string;
  owner_id: number | null;
  owner: string | null;
  is_default: number;
  version: number;
  content: string;
  created_at: string;
  updated_at: string;
}

export interface VersionWithAuthor extends PromptVersionRow {
  author: string | null;
}

/** Prompts joined with each of their versions and the owner's username. */
function promptsWithVersions(db: DB) {
  return db
    .selectFrom('prompts as p')
    .innerJoin('prompt_versions as v', 'v.prompt_id', 'p.id')
    .leftJoin('users as u', 'u.id', 'p.owner_id')
    .select([
      'p.id',
      'p.name',
      'p.title',
      'p.description',
      'p.owner_id',
      'u.username as owner',
      'p.is_default',
      'v.version',
      'v.content',
      'p.created_at',
      'p.updated_at',
    ]);
}

/** Prompts joined with their newest version and owner's username. */
function promptsWithLatest(db: DB) {
  return promptsWithVersions(db).where('v.version', '=', (eb) =>
    eb
      .selectFrom('prompt_versions as lv')
      .select((e) => e.fn.max('lv.version').as('m'))
      .whereRef('lv.prompt_id', '=', 'p.id'),
  );
}

export function listPromptsWithLatest(db: DB): Promise<PromptWithLatest[]> {
  // Default first, then the most recently changed.
  return promptsWithLatest(db)
    .orderBy('p.is_default', 'desc')
    .orderBy('p.updated_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
}

export function findPromptWithLatest(db: DB, name: string): Promise<PromptWithLatest | undefined> {
  return promptsWithLatest(db).where('p.name', '=', name).executeTakeFirst();
}

/** The prompt with one given version's content in place of the newest. */
export function findPromptAtVersion(
  db: DB,
  name: string,
  version: number,
): Promise<PromptWithLatest | undefined> {
  return promptsWithVersions(db)
    .where('p.name', '=', name)
    .where('v.version', '=', version)
    .executeTakeFirst();
}

export function findDefaultPromptWithLatest(db: DB): Promise<PromptWithLatest | undefined> {
  return promptsWithLatest(db).where('p.is_default', '=', 1).orderBy('p.id').executeTakeFirst();
}

export function findPromptByName(db: DB, name: string): Promise<PromptRow | undefined> {
  return db.selectFrom('prompts').selectAll().where('name', '=', name).executeTakeFirst();
}

export function latestVersion(db: DB, promptId: number): Promise<PromptVersionRow | undefined> {
  return db
    .selectFrom('prompt_versions')
    .selectAll()
    .where('prompt_id', '=', promptId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findVersion(
  db: DB,
  promptId: number,
  version: number,
): Promise<PromptVersionRow | undefined> {
  return db
    .selectFrom('prompt_versions')
    .selectAll()
    .where('prompt_id', '=', promptId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** A draft's current text and author (drafts are prompt text too: see refs.ts and policy.ts). */
export function findDraftText(db: DB, draftId: number) {
  return db
    .selectFrom('drafts')
    .select(['id', 'user_id', 'draft_content', 'revision'])
    .where('id', '=', draftId)
    .executeTakeFirst();
}

/** Whether an earlier commit of this draft created a version of that prompt. */
export async function promptHasVersionFromDraft(db: DB, promptId: number, draftId: number): Promise<boolean> {
  const row = await db
    .selectFrom('prompt_versions')
    .select('id')
    .where('prompt_id', '=', promptId)
    .where('source_draft_id', '=', draftId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The newest version an earlier commit of this draft made, with its prompt's name. */
export function findLatestVersionFromDraft(
  db: DB,
  draftId: number,
): Promise<{ name: string; version: number } | undefined> {
  return db
    .selectFrom('prompt_versions as v')
    .innerJoin('prompts as p', 'p.id', 'v.prompt_id')
    .select(['p.name', 'v.version'])
    .where('v.source_draft_id', '=', draftId)
    .orderBy('v.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listVersions(db: DB, promptId: number): Promise<VersionWithAuthor[]> {
  return db
    .selectFrom('prompt_versions as v')
    .leftJoin('users as u', 'u.id', 'v.author_id')
    .selectAll('v')
    .select('u.username as author')
    .where('v.prompt_id', '=', promptId)
    .orderBy('v.version', 'desc')
    .execute();
}

export interface NewPrompt {
  name: string;
  title: string;
  description: string;
  owner_id: number | null;
  is_default?: boolean;
  content: string;
  message: string;
  author_id: number | null;
  source_draft_id?: number | null;
  /** Defaults to now. */
  at?: string;
}

/**
 * Inserts a prompt and its version 1. Call inside a transaction; a taken name surfaces as the
 * driver's unique violation (see db/errors isUniqueViolation).
 */
export async function createPromptWithFirstVersion(
  trx: DB,
  input: NewPrompt,
): Promise<{ prompt: PromptRow; version: PromptVersionRow }> {
  const at = input.at ?? new Date().toISOString();
  const prompt = await insertPrompt(trx, { ...input, at });
  const version = await insertVersion(trx, { ...input, prompt_id: prompt.id }, 1, at);
  return { prompt, version };
}

/** Inserts a prompt without versions; the caller adds version 1 in the same transaction. */
export function insertPrompt(
  trx: DB,
  input: Pick<NewPrompt, 'name' | 'title' | 'description' | 'owner_id' | 'is_default'> & { at: string },
): Promise<PromptRow> {
  return trx
    .insertInto('prompts')
    .values({
      name: input.name,
      title: input.title,
      description: input.description,
      owner_id: input.owner_id,
      is_default: input.is_default ? 1 : 0,
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface NewPromptVersion {
  prompt_id: number;
  content: string;
  message: string;
  author_id: number | null;
  source_draft_id?: number | null;
  at?: string;
}

function insertVersion(
  trx: DB,
  input: NewPromptVersion,
  version: number,
  at: string,
): Promise<PromptVersionRow> {
  return trx
    .insertInto('prompt_versions')
    .values({
      prompt_id: input.prompt_id,
      version,
      content: input.content,
      message: input.message,
      author_id: input.author_id,
      source_draft_id: input.source_draft_id ?? null,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Appends the next numbered version and touches the prompt's updated_at. Call inside a
 * transaction; two writers racing for the same number hit the (prompt_id, version) unique key.
 */
export async function addPromptVersion(trx: DB, input: NewPromptVersion): Promise<PromptVersionRow> {
  const at = input.at ?? new Date().toISOString();
  const current = await latestVersion(trx, input.prompt_id);
  const version = await insertVersion(trx, input, (current?.version ?? 0) + 1, at);
  await trx.updateTable('prompts').set({ updated_at: at }).where('id', '=', input.prompt_id).execute();
  return version;
}

export async function updatePromptMeta(
  trx: DB,
  id: number,
  patch: { title?: string; description?: string; updated_at: string },
): Promise<void> {
  await trx.updateTable('prompts').set(patch).where('id', '=', id).execute();
}

export async function deletePrompt(db: DB, id: number): Promise<void> {
  await db.deleteFrom('prompts').where('id', '=', id).execute();
}
