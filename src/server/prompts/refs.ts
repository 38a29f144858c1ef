import { createHash } from 'node:crypto';
import { MAX_ROW_ID } from '../../shared/common';
import type { AuthUser } from '../auth/service';
import type { AppContext } from '../context';
import { notFound } from '../errors';
import * as repo from './repository';

// A prompt ref names prompt text wherever it lives: `draft:ID` (the draft's current text, its
// owner only), `NAME` (the newest version), `NAME@3` (that version) or `NAME@LABEL` (the version a
// label points at; labels arrive with publishing). Resolving is the one way other features read
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

export async function resolvePromptRef(
  ctx: AppContext,
  user: AuthUser,
  ref: string,
): Promise<ResolvedPrompt> {
  const draft = /^draft:(\d+)$/.exec(ref);
  if (draft) {
    const id = Number(draft[1]);
    const row = id <= MAX_ROW_ID ? await repo.findDraftText(ctx.db, id, user.id) : undefined;
    if (!row) throw notFound(`Prompt ref "${ref}": draft ${draft[1]}`);
    return resolved(row.draft_content, `draft ${row.id} (revision ${row.revision})`);
  }
  const [name, at] = ref.split('@');
  const prompt = await repo.findPromptByName(ctx.db, name);
  if (!prompt) throw notFound(`Prompt ref "${ref}": prompt "${name}"`);
  if (at === undefined) {
    const latest = await repo.latestVersion(ctx.db, prompt.id);
    if (!latest) throw notFound(`Prompt ref "${ref}": prompt "${name}" has no version`);
    return resolved(latest.content, `${name} v${latest.version}`);
  }
  if (/^\d+$/.test(at)) {
    const version = await repo.findVersion(ctx.db, prompt.id, Number(at));
    if (!version) throw notFound(`Prompt ref "${ref}": version ${at} of "${name}"`);
    return resolved(version.content, `${name} v${version.version}`);
  }
  throw notFound(`Prompt ref "${ref}": label "${at}" of "${name}"`);
}
