import { plural } from '../../shared/plural';
import type {
  CloneResponse,
  CommitRequest,
  CommitResponse,
  DraftResponse,
  DraftStatus,
  DraftSummary,
  StartWorkshopRequest,
  StartWorkshopResponse,
  UpdateDraftRequest,
} from '../../shared/workshop';
import { cloneDraftName, DRAFT_CONTENT_MIN_TO_TEST, defaultDraftName } from '../../shared/workshop';
import type { AuthUser } from '../auth/types';
import * as chats from '../chats/service';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import type { DraftRow } from '../db/types';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { canUseDraft } from '../prompts/policy';
import {
  getPromptVersion,
  lastCommitOfDraft,
  nameTakenByOther,
  type Prompt,
  publishVersion,
} from '../prompts/service';
import { firstAnswer } from './assistant';
import * as events from './events-repository';
import { type Opening, openingUserMessage, WORKSHOP_META_PROMPT } from './meta-prompt';
import * as repo from './repository';

// Drafts: start (blank, from requirements, or cloned), read, edit with optimistic concurrency,
// delete with everything they own, and commit to the prompt library.

export const draftNotFound = (id: number) => notFound(`Draft ${id}`);

/** Stored in the draft's metadata by startWorkshop; null for drafts not cloned. */
export function parentVersionOf(metadata: string): number | null {
  try {
    const v = JSON.parse(metadata)?.parent_prompt_version;
    return Number.isInteger(v) ? v : null;
  } catch {
    return null;
  }
}

export function toDraftResponse(row: DraftRow): DraftResponse {
  return {
    id: row.id,
    user_id: row.user_id,
    draft_name: row.draft_name,
    draft_content: row.draft_content,
    draft_description: row.draft_description,
    workshop_chat_id: row.workshop_chat_id,
    parent_prompt_name: row.parent_prompt_name,
    parent_prompt_version: row.parent_prompt_name === null ? null : parentVersionOf(row.metadata),
    status: row.status,
    test_count: row.test_count,
    revision: row.revision,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The caller's draft; another user's draft is a 404 exactly like a missing one (prompts/policy). */
export async function ownDraft(db: DB, user: AuthUser, id: number): Promise<DraftRow> {
  const row = await repo.findDraft(db, id);
  if (!row || !canUseDraft(user, row)) throw draftNotFound(id);
  return row;
}

/** A draft must say something before it is worth a model call or a library entry. */
export function assertTestableContent(content: string, action: 'test' | 'commit'): void {
  const n = content.trim().length;
  if (n < DRAFT_CONTENT_MIN_TO_TEST) {
    throw badRequest(
      `Draft content is ${plural(n, 'character')}; a draft needs at least ${DRAFT_CONTENT_MIN_TO_TEST} to ${action}. ` +
        'Write the prompt in the editor or extract it from the conversation first.',
    );
  }
}

/** "name vN — draft K" with K one past the highest this user already has for that version. */
async function nextCloneName(db: DB, userId: number, parent: Prompt): Promise<string> {
  const prefix = cloneDraftName(parent.name, parent.version, 0).slice(0, -1);
  let highest = 0;
  for (const name of await repo.draftNamesStartingWith(db, userId, prefix)) {
    const n = name.slice(prefix.length);
    if (/^[1-9]\d{0,8}$/.test(n)) highest = Math.max(highest, Number(n));
  }
  return cloneDraftName(parent.name, parent.version, highest + 1);
}

interface Started extends StartWorkshopResponse {
  parent: Prompt | null;
}

/**
 * Creates the draft and its workshop chat with the meta-prompt and the assistant's first answer.
 * The model answers first, so a failing model leaves nothing half-made behind.
 */
export async function startWorkshop(
  ctx: AppContext,
  user: AuthUser,
  input: StartWorkshopRequest,
): Promise<Started> {
  const { reuse_blank, ...fields } = input;
  const reuseBlank = reuse_blank === true && Object.values(fields).every((v) => v === undefined);
  if (reuseBlank) {
    const reused = await ctx.db.transaction().execute((trx) => reopenBlankDraft(trx, user));
    if (reused) return reused;
  }
  const parent = input.parent_prompt_name
    ? await getPromptVersion(ctx, input.parent_prompt_name, input.parent_prompt_version)
    : null;
  // A clone without a name is numbered; the number is settled again under the lock below.
  const numbered = parent !== null && input.draft_name === undefined;
  const startingPrompt = input.starting_prompt ?? parent?.content ?? '';
  const opening: Opening = {
    requirements: input.requirements || undefined,
    parentPromptName: parent?.name,
    parentVersion: parent?.version,
    startingPrompt,
  };
  const at = nowIso();
  const draftName =
    input.draft_name ?? (numbered ? await nextCloneName(ctx.db, user.id, parent) : defaultDraftName(at));
  const openingMessage = openingUserMessage(opening);
  await ctx.budgets.modelCalls.take(String(user.id));
  const answer = await firstAnswer(ctx, {
    draftName,
    parentPromptName: parent?.name ?? null,
    draftContent: startingPrompt,
    openingMessage,
    opening,
  });
  const description = parent
    ? parent.description || `Cloned from "${parent.name}" version ${parent.version}`
    : (input.requirements ?? '').slice(0, 500);

  const made = await ctx.db.transaction().execute(async (trx) => {
    if (reuseBlank) {
      // Parallel starts all found no blank draft before their model call; one at a time, each
      // looks again, so the first makes the blank draft and the others reopen it.
      await repo.lockUserDrafts(trx, user.id);
      const reused = await reopenBlankDraft(trx, user);
      if (reused) return { reused };
    }
    let name = draftName;
    if (numbered) {
      await repo.lockUserDrafts(trx, user.id);
      name = await nextCloneName(trx, user.id, parent);
    }
    const chat = await chats.openChat(
      trx,
      { user_id: user.id, kind: 'workshop', topic: null, title: name, at },
      [
        { role: 'system', content: WORKSHOP_META_PROMPT },
        { role: 'user', content: openingMessage, metadata: { opening: true } },
        {
          role: 'assistant',
          content: answer.content,
          model: answer.model,
          input_tokens: answer.input_tokens,
          output_tokens: answer.output_tokens,
          metadata: { ...answer.metadata, status: 'ok', error: null },
        },
      ],
    );
    const draft = await repo.insertDraft(trx, {
      user_id: user.id,
      draft_name: name,
      draft_description: description,
      draft_content: startingPrompt,
      workshop_chat_id: chat.id,
      parent_prompt_name: parent?.name ?? null,
      metadata: {
        origin: parent
          ? 'clone'
          : input.starting_prompt
            ? 'starting_prompt'
            : input.requirements
              ? 'requirements'
              : 'blank',
        requirements: input.requirements ?? null,
        parent_prompt_version: parent?.version ?? null,
      },
      at,
    });
    await events.insertEvent(trx, {
      kind: parent ? 'cloned' : 'started',
      user_id: user.id,
      draft_id: draft.id,
      prompt_name: parent?.name ?? null,
      at,
    });
    return { reused: null, draft, chat };
  });
  if (made.reused) return made.reused;
  const { draft, chat } = made;
  ctx.log.info(`Workshop created: user=${user.username}, draft_id=${draft.id}`);
  return {
    draft_id: draft.id,
    chat_id: chat.id,
    draft_name: draft.draft_name,
    status: draft.status,
    initial_message: answer.content,
    created_at: draft.created_at,
    reused: false,
    parent,
  };
}

/** Opens the newest blank draft again, so each visit to the workshop does not leave another one. */
async function reopenBlankDraft(trx: DB, user: AuthUser): Promise<Started | null> {
  const draft = await repo.findBlankDraft(trx, user.id);
  if (!draft?.workshop_chat_id) return null;
  const at = nowIso();
  await repo.touchDraft(trx, draft.id, at);
  await chats.touchChat(trx, draft.workshop_chat_id, at);
  const messages = await chats.chatMessages(trx, draft.workshop_chat_id);
  const answer = messages.findLast((m) => m.role === 'assistant');
  return {
    draft_id: draft.id,
    chat_id: draft.workshop_chat_id,
    draft_name: draft.draft_name,
    status: draft.status,
    initial_message: answer?.content ?? '',
    created_at: draft.created_at,
    reused: true,
    parent: null,
  };
}

/** A new draft from one version of a library prompt (default its newest); any member may clone any prompt. */
export async function clonePrompt(
  ctx: AppContext,
  user: AuthUser,
  name: string,
  opts: { cloneName?: string; version?: number } = {},
): Promise<CloneResponse> {
  const started = await startWorkshop(ctx, user, {
    parent_prompt_name: name,
    parent_prompt_version: opts.version,
    draft_name: opts.cloneName,
  });
  const version = started.parent?.version;
  return {
    draft_id: started.draft_id,
    chat_id: started.chat_id,
    parent_prompt: name,
    message: `Cloned "${name}"${version ? ` version ${version}` : ''} into draft "${started.draft_name}"`,
  };
}

export async function getDraft(ctx: AppContext, user: AuthUser, id: number): Promise<DraftResponse> {
  return toDraftResponse(await ownDraft(ctx.db, user, id));
}

export async function listDrafts(
  ctx: AppContext,
  user: AuthUser,
  status?: DraftStatus,
): Promise<{ drafts: DraftSummary[]; total: number }> {
  const rows = await repo.listDraftsForUser(ctx.db, user.id, status);
  const drafts = rows.map(({ metadata, ...r }) => ({
    ...r,
    parent_prompt_version: r.parent_prompt_name === null ? null : parentVersionOf(metadata),
  }));
  return { drafts, total: drafts.length };
}

/**
 * Partial update. With `revision`, the edit only lands on that revision: a stale one is a 409
 * carrying the current draft, so two tabs never silently overwrite each other.
 */
export async function updateDraft(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  input: UpdateDraftRequest,
): Promise<DraftResponse> {
  const { revision, ...patch } = input;
  const updated = await repo.updateDraft(ctx.db, id, user.id, patch, nowIso(), revision);
  if (!updated) {
    const current = await ownDraft(ctx.db, user, id);
    throw conflict(
      `Draft ${id} was changed elsewhere (you edited revision ${revision}, it is now at revision ${current.revision}); ` +
        'reload it or save again with the current revision',
      { current: toDraftResponse(current) },
    );
  }
  return getDraft(ctx, user, id);
}

/** The draft, its test runs, its workshop chat and the chat's messages, in one transaction. */
export async function deleteDraft(ctx: AppContext, user: AuthUser, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const draft = await ownDraft(trx, user, id);
    // Of two deletes racing, the second answers 404 and records no second event.
    if (!(await removeDraft(trx, draft))) throw draftNotFound(id);
    await events.insertEvent(trx, { kind: 'deleted', user_id: user.id, draft_id: draft.id, at: nowIso() });
  });
}

/** Deletes a draft with everything it owns; call inside a transaction. False when it was already gone. */
export async function removeDraft(
  trx: DB,
  draft: Pick<DraftRow, 'id' | 'workshop_chat_id'>,
): Promise<boolean> {
  if (!(await repo.deleteDraftRow(trx, draft.id))) return false;
  if (draft.workshop_chat_id !== null) await chats.removeChat(trx, draft.workshop_chat_id);
  return true;
}

/** Why a commit found nothing to claim: the draft is gone (404) or this state of it is in the library. */
async function unclaimable(trx: DB, user: AuthUser, id: number): Promise<AppError> {
  await ownDraft(trx, user, id);
  const last = await lastCommitOfDraft(trx, id);
  return conflict(`Draft ${id} was already committed${last ? ` as ${last.name} v${last.version}` : ''}`);
}

/**
 * In one transaction: the library prompt's version 1, or a new version when the draft came from
 * (or was committed before to) a prompt the caller owns under that name. The draft is claimed
 * first, so a commit that lost a race writes nothing; editing a committed draft makes it
 * committable again (another version).
 */
export async function commitDraft(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  input: CommitRequest,
): Promise<CommitResponse> {
  const at = nowIso();
  try {
    const out = await ctx.db.transaction().execute(async (trx) => {
      const draft = await repo.claimCommit(trx, id, user.id, at);
      if (!draft) throw await unclaimable(trx, user, id);
      assertTestableContent(draft.draft_content, 'commit');
      const saved = await publishVersion(trx, user, {
        name: input.name,
        title: input.title,
        description: input.description,
        draft: {
          id: draft.id,
          name: draft.draft_name,
          description: draft.draft_description,
          content: draft.draft_content,
          parent_prompt_name: draft.parent_prompt_name,
        },
        at,
      });
      await events.insertEvent(trx, {
        kind: 'committed',
        user_id: user.id,
        draft_id: draft.id,
        prompt_name: input.name,
        at,
      });
      return saved;
    });
    ctx.log.info(`Draft committed: draft_id=${id}, name=${input.name}`);
    return {
      prompt_id: out.promptId,
      name: input.name,
      version: out.version,
      message:
        out.version === 1
          ? `Draft committed as prompt "${input.name}"`
          : `Draft committed as version ${out.version} of prompt "${input.name}"`,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUniqueViolation(err)) throw nameTakenByOther(input.name);
    throw err;
  }
}
