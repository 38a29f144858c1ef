import type {
  CreatePromptRequest,
  PromptResponse,
  PromptVersionsResponse,
  UpdatePromptRequest,
} from '../../shared/prompts';
import { DEFAULT_PROMPT_NAME } from '../../shared/prompts';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { DEFAULT_PROMPT_CONTENT, DEFAULT_PROMPT_DESCRIPTION, DEFAULT_PROMPT_TITLE } from './default-prompt';
import { canEditPrompt } from './policy';
import * as repo from './repository';

/** A library prompt with its newest version's content. */
export interface Prompt {
  id: number;
  name: string;
  title: string;
  description: string;
  owner_id: number | null;
  owner: string | null;
  is_default: boolean;
  version: number;
  content: string;
  created_at: string;
  updated_at: string;
}

const toPrompt = (row: repo.PromptWithLatest): Prompt => ({ ...row, is_default: Boolean(row.is_default) });

export function toPromptResponse(p: Prompt, user: AuthUser): PromptResponse {
  return {
    name: p.name,
    title: p.title,
    description: p.description,
    owner: p.owner,
    is_default: p.is_default,
    can_edit: canEditPrompt(user, p),
    version: p.version,
    content: p.content,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

const duplicateName = (name: string) => conflict(`A prompt named "${name}" already exists`);

/** Which prompt version a draft was last committed as; `db` may be the caller's transaction. */
export function lastCommitOfDraft(
  db: DB,
  draftId: number,
): Promise<{ name: string; version: number } | undefined> {
  return repo.findLatestVersionFromDraft(db, draftId);
}

export interface Publication {
  /** The library name: a new prompt, or one the user owns that the draft belongs to. */
  name: string;
  title: string;
  /** Undefined keeps the prompt's description (or takes the draft's for a new prompt). */
  description?: string;
  /** The draft whose text is published. */
  draft: {
    id: number;
    name: string;
    description: string;
    content: string;
    parent_prompt_name: string | null;
  };
  at: string;
}

/**
 * Publishes a draft's text as a library version inside the caller's transaction (what the
 * workshop's commit calls): version 1 of a new prompt, or the next version of a prompt the user
 * owns that the draft came from (or was committed to before). Any other prompt by that name is a
 * 409; a name taken by a parallel writer surfaces as the driver's unique violation.
 */
export async function publishVersion(
  trx: DB,
  user: AuthUser,
  p: Publication,
): Promise<{ promptId: number; version: number }> {
  const version: NewVersion = {
    content: p.draft.content,
    message: `Committed from draft "${p.draft.name}"`,
    author_id: user.id,
    source_draft_id: p.draft.id,
    at: p.at,
  };
  const existing = await repo.findPromptByName(trx, p.name);
  if (!existing) {
    const created = await repo.insertPrompt(trx, {
      name: p.name,
      title: p.title,
      description: p.description ?? p.draft.description,
      owner_id: user.id,
      at: p.at,
    });
    const v = await appendVersion(trx, created, version, 'refuse');
    return { promptId: created.id, version: v.version };
  }
  const related =
    p.draft.parent_prompt_name === p.name ||
    (await repo.promptHasVersionFromDraft(trx, existing.id, p.draft.id));
  if (existing.owner_id !== user.id || !related) throw nameTakenByOther(p.name);
  const v = await appendVersion(trx, existing, version, 'refuse');
  await repo.updatePromptMeta(trx, existing.id, {
    title: p.title,
    ...(p.description === undefined ? {} : { description: p.description }),
    updated_at: p.at,
  });
  return { promptId: existing.id, version: v.version };
}

export interface NewVersion {
  content: string;
  message: string;
  author_id: number | null;
  source_draft_id?: number | null;
  at: string;
}

/**
 * The next version of a prompt, inside the caller's transaction; every version is written here.
 * The one rule for every writer: text identical to the newest version is not a new version.
 * `keep` answers that version as it is (the library's PUT stays idempotent); `refuse` is a 409
 * naming it (a commit must add something, and the caller's transaction then undoes whatever it
 * did before).
 */
async function appendVersion(
  trx: DB,
  prompt: { id: number; name: string },
  v: NewVersion,
  onIdentical: 'keep' | 'refuse',
): Promise<{ version: number; created: boolean }> {
  const latest = await repo.latestVersion(trx, prompt.id);
  if (latest && latest.content === v.content) {
    if (onIdentical === 'keep') return { version: latest.version, created: false };
    throw conflict(
      `The text is identical to version ${latest.version} of "${prompt.name}"; change it before committing`,
    );
  }
  const row = await repo.addPromptVersion(trx, { prompt_id: prompt.id, ...v });
  return { version: row.version, created: true };
}

export const nameTakenByOther = (name: string) =>
  conflict(`A prompt named "${name}" already exists; choose another name`);

export async function listPrompts(ctx: AppContext): Promise<Prompt[]> {
  return (await repo.listPromptsWithLatest(ctx.db)).map(toPrompt);
}

/** The prompt and its latest version; 404 when there is none by that name. */
export async function getPrompt(ctx: AppContext, name: string): Promise<Prompt> {
  const row = await repo.findPromptWithLatest(ctx.db, name);
  if (!row) throw notFound(`Prompt "${name}"`);
  return toPrompt(row);
}

/**
 * The prompt with one version's content (`version` and `content` are that version's), or its
 * newest when `version` is undefined; 404 names the prompt, or the version and the ones it has.
 */
export async function getPromptVersion(ctx: AppContext, name: string, version?: number): Promise<Prompt> {
  if (version === undefined) return getPrompt(ctx, name);
  const row = await repo.findPromptAtVersion(ctx.db, name, version);
  if (row) return toPrompt(row);
  const latest = await getPrompt(ctx, name);
  throw new AppError(
    'not_found',
    `Prompt "${name}" has no version ${version}; its versions are ${latest.version === 1 ? '1' : `1–${latest.version}`}`,
  );
}

/** The prompt marked is_default, or null when an administrator removed the flag everywhere. */
export async function getDefaultPrompt(ctx: AppContext): Promise<Prompt | null> {
  const row = await repo.findDefaultPromptWithLatest(ctx.db);
  return row ? toPrompt(row) : null;
}

export async function createPrompt(
  ctx: AppContext,
  user: AuthUser,
  input: CreatePromptRequest,
): Promise<Prompt> {
  if (await repo.findPromptByName(ctx.db, input.name)) throw duplicateName(input.name);
  try {
    await ctx.db.transaction().execute((trx) =>
      repo.createPromptWithFirstVersion(trx, {
        name: input.name,
        title: input.title,
        description: input.description,
        owner_id: user.id,
        content: input.content,
        message: input.message ?? 'Initial version',
        author_id: user.id,
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(input.name);
    throw err;
  }
  return getPrompt(ctx, input.name);
}

async function editablePrompt(ctx: AppContext, user: AuthUser, name: string) {
  const prompt = await repo.findPromptByName(ctx.db, name);
  if (!prompt) throw notFound(`Prompt "${name}"`);
  if (!canEditPrompt(user, prompt)) {
    throw forbidden(`Only the owner of "${name}" or an administrator may change it`);
  }
  return prompt;
}

/** Title and description change in place; changed content adds a new immutable version. */
export async function updatePrompt(
  ctx: AppContext,
  user: AuthUser,
  name: string,
  patch: UpdatePromptRequest,
): Promise<Prompt> {
  const prompt = await editablePrompt(ctx, user, name);
  const at = nowIso();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.updatePromptMeta(trx, prompt.id, {
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        updated_at: at,
      });
      if (patch.content === undefined) return;
      await appendVersion(
        trx,
        prompt,
        { content: patch.content, message: patch.message ?? '', author_id: user.id, at },
        'keep',
      );
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`"${name}" was changed at the same time; reload and retry`);
    throw err;
  }
  return getPrompt(ctx, name);
}

export async function deletePrompt(ctx: AppContext, user: AuthUser, name: string): Promise<void> {
  const prompt = await editablePrompt(ctx, user, name);
  // It would come back on the next start anyway; removing it would only break callers in between.
  if (prompt.is_default) throw conflict('The default prompt cannot be deleted; edit it instead');
  await repo.deletePrompt(ctx.db, prompt.id);
}

export async function listPromptVersions(ctx: AppContext, name: string): Promise<PromptVersionsResponse> {
  const prompt = await repo.findPromptByName(ctx.db, name);
  if (!prompt) throw notFound(`Prompt "${name}"`);
  const versions = await repo.listVersions(ctx.db, prompt.id);
  return {
    name,
    versions: versions.map((v) => ({
      version: v.version,
      content: v.content,
      message: v.message,
      author: v.author,
      source_draft_id: v.source_draft_id,
      created_at: v.created_at,
    })),
  };
}

/** Seeds the shipped default prompt unless a prompt of that name exists; safe to run on every start. */
export async function ensureDefaultPrompt(ctx: AppContext): Promise<boolean> {
  if (await repo.findPromptByName(ctx.db, DEFAULT_PROMPT_NAME)) return false;
  try {
    await ctx.db.transaction().execute((trx) =>
      repo.createPromptWithFirstVersion(trx, {
        name: DEFAULT_PROMPT_NAME,
        title: DEFAULT_PROMPT_TITLE,
        description: DEFAULT_PROMPT_DESCRIPTION,
        owner_id: null,
        is_default: true,
        content: DEFAULT_PROMPT_CONTENT,
        message: 'Shipped with Prompt Workshop',
        author_id: null,
      }),
    );
    return true;
  } catch (err) {
    // Another process seeded it at the same moment.
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
