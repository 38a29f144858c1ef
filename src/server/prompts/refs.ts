import { createHash } from 'node:crypto';
import { MAX_ROW_ID } from '../../shared/common';
import { formatPromptRef, type PromptRef, parsePromptRef } from '../../shared/prompts';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import { badRequest, notFound } from '../errors';
import { canUseDraft } from './policy';
import * as repo from './repository';

// A prompt ref names prompt text wherever it lives: `draft:ID` (the draft's current text, its
// author only, by the same rule as the workshop: policy.ts), `NAME` (the newest version), `NAME@3`
// (that version) or `NAME@LABEL` (the version a label points at; labels arrive with publishing,
// and until then answer 404 naming the label). Resolving is the one way other features read
// prompt text, so the rules for who may read what stay here.

export interface ResolvedPrompt {
  text: string;
  /** What the ref named, for people: "auspex_default v3", "draft 12 (revision 4)". */
  label: string;
  sha256: string;
}

const resolved = (text: string, label: string): ResolvedPrompt => ({
  text,
  label,
  sha256: createHash('sha256').update(text).digest('hex'),
});

/** Resolves ref text (see shared/prompts promptRef); text that is no ref at all is a 400. */
export async function resolvePromptRef(
  ctx: AppContext,
  user: AuthUser,
  ref: string | PromptRef,
): Promise<ResolvedPrompt> {
  const parsed = typeof ref === 'string' ? parsePromptRef(ref) : ref;
  if (!parsed) throw badRequest(`"${ref}" is not a prompt ref (draft:ID, NAME, NAME@VERSION or NAME@LABEL)`);
  const text = typeof ref === 'string' ? ref.trim() : formatPromptRef(ref);
  if (parsed.kind === 'draft') {
    const id = parsed.draft_id;
    const row = id <= MAX_ROW_ID ? await repo.findDraftText(ctx.db, id) : undefined;
    if (!row || !canUseDraft(user, row)) throw notFound(`Prompt ref "${text}": draft ${id}`);
    return resolved(row.draft_content, `draft ${row.id} (revision ${row.revision})`);
  }
  const { name } = parsed;
  const prompt = await repo.findPromptByName(ctx.db, name);
  if (!prompt) throw notFound(`Prompt ref "${text}": prompt "${name}"`);
  switch (parsed.kind) {
    case 'latest': {
      const latest = await repo.latestVersion(ctx.db, prompt.id);
      if (!latest) throw notFound(`Prompt ref "${text}": prompt "${name}" has no version`);
      return resolved(latest.content, `${name} v${latest.version}`);
    }
    case 'version': {
      const version = await repo.findVersion(ctx.db, prompt.id, parsed.version);
      if (!version) throw notFound(`Prompt ref "${text}": version ${parsed.version} of "${name}"`);
      return resolved(version.content, `${name} v${version.version}`);
    }
    case 'label':
      throw notFound(`Prompt ref "${text}": label "${parsed.label}" of "${name}"`);
  }
}
