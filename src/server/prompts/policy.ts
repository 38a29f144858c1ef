import type { AuthUser } from '../auth/types';

// Who may do what with prompt text: the one place for both kinds of it. Library prompts are read
// by every member; drafts are private to their author. The workshop (editing, testing,
// committing a draft) and prompt refs (`draft:ID` in an evaluation) apply the same rule.

/** Every member may read every library prompt; only the owner or an admin may change one. */
export const canEditPrompt = (user: AuthUser, prompt: { owner_id: number | null }): boolean =>
  user.role === 'admin' || (prompt.owner_id !== null && prompt.owner_id === user.id);

/**
 * A draft is its author's alone: to read, edit, test, commit or evaluate. Anyone else (an admin
 * too) is answered exactly as if it did not exist, so its id reveals nothing.
 */
export const canUseDraft = (user: AuthUser, draft: { user_id: number }): boolean => draft.user_id === user.id;
