import { z } from 'zod';

// The prompt library: named system prompts with immutable, numbered versions.

export const PROMPT_CONTENT_MIN = 100;
export const PROMPT_CONTENT_MAX = 50_000;
export const DEFAULT_PROMPT_NAME = 'auspex_default';

export const promptName = z
  .string()
  .min(3, 'name must be 3–50 characters')
  .max(50, 'name must be 3–50 characters')
  .regex(/^[a-z0-9_]+$/, 'name may contain lower-case letters, digits and _ only')
  // `/api/auspex/prompts/workshop/...` belongs to the workshop routes.
  .refine((v) => v !== 'workshop', { message: 'name "workshop" is reserved' });

export const promptTitle = z
  .string()
  .trim()
  .min(5, 'title must be 5–100 characters')
  .max(100, 'title must be 5–100 characters');

export const promptDescription = z.string().trim().max(500, 'description must be at most 500 characters');

export const promptContent = z
  .string()
  .refine((v) => v.trim().length >= PROMPT_CONTENT_MIN, {
    message: `content must be at least ${PROMPT_CONTENT_MIN} characters`,
  })
  .refine((v) => v.length <= PROMPT_CONTENT_MAX, {
    message: `content must be at most ${PROMPT_CONTENT_MAX} characters`,
  });

export const versionMessage = z.string().trim().max(500, 'message must be at most 500 characters');

export const createPromptRequest = z.object({
  name: promptName,
  title: promptTitle,
  description: promptDescription.default(''),
  content: promptContent,
  message: versionMessage.optional(),
});
export type CreatePromptRequest = z.infer<typeof createPromptRequest>;

export const updatePromptRequest = z
  .object({
    title: promptTitle.optional(),
    description: promptDescription.optional(),
    content: promptContent.optional(),
    /** Describes the new version; ignored when the content does not change. */
    message: versionMessage.optional(),
  })
  .refine((v) => v.title !== undefined || v.description !== undefined || v.content !== undefined, {
    message: 'give at least one of title, description, content',
  });
export type UpdatePromptRequest = z.infer<typeof updatePromptRequest>;

export const promptNameParams = z.object({ name: z.string().min(1).max(100) });

export const promptResponse = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  /** Username of the owner; null for prompts shipped with the product. */
  owner: z.string().nullable(),
  is_default: z.boolean(),
  /** Whether the caller may change or delete it (owner or admin). */
  can_edit: z.boolean(),
  version: z.number().int(),
  content: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PromptResponse = z.infer<typeof promptResponse>;

export const promptListResponse = z.object({ prompts: z.array(promptResponse) });
export type PromptListResponse = z.infer<typeof promptListResponse>;

export const promptVersionResponse = z.object({
  version: z.number().int(),
  content: z.string(),
  message: z.string(),
  /** Username of the author; null for shipped prompts or deleted users. */
  author: z.string().nullable(),
  source_draft_id: z.number().int().nullable(),
  created_at: z.string(),
});
export type PromptVersionResponse = z.infer<typeof promptVersionResponse>;

export const promptVersionsResponse = z.object({
  name: z.string(),
  versions: z.array(promptVersionResponse),
});
export type PromptVersionsResponse = z.infer<typeof promptVersionsResponse>;

// A prompt ref names prompt text wherever it lives. Labels (`name@prod`) are admitted now and
// resolved once publishing adds them; until then a label answers 404 naming it.

/** `draft:ID` (its current text), `name` (newest version), `name@3` (a version), `name@label`. */
export const promptRef = z
  .string()
  .trim()
  .regex(
    /^(draft:\d{1,10}|[a-z0-9_]{1,50}(@(\d{1,9}|[a-z][a-z0-9_-]{0,49}))?)$/,
    'prompt must be draft:ID, NAME, NAME@VERSION or NAME@LABEL',
  );

export type PromptRef =
  | { kind: 'draft'; draft_id: number }
  | { kind: 'latest'; name: string }
  | { kind: 'version'; name: string; version: number }
  | { kind: 'label'; name: string; label: string };

/** The parts of a ref; undefined when the text is not a ref at all. */
export function parsePromptRef(text: string): PromptRef | undefined {
  if (!promptRef.safeParse(text).success) return undefined;
  const ref = text.trim();
  const draft = /^draft:(\d+)$/.exec(ref);
  if (draft) return { kind: 'draft', draft_id: Number(draft[1]) };
  const [name, at] = ref.split('@');
  if (at === undefined) return { kind: 'latest', name };
  if (/^\d+$/.test(at)) return { kind: 'version', name, version: Number(at) };
  return { kind: 'label', name, label: at };
}

/** The ref's text again, e.g. for messages: the inverse of parsePromptRef. */
export function formatPromptRef(ref: PromptRef): string {
  switch (ref.kind) {
    case 'draft':
      return `draft:${ref.draft_id}`;
    case 'latest':
      return ref.name;
    case 'version':
      return `${ref.name}@${ref.version}`;
    case 'label':
      return `${ref.name}@${ref.label}`;
  }
}
