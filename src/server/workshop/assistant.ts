import { RESPONSE_PREVIEW_CHARS } from '../../shared/workshop';
import type { ChatResponder, ChatResponderResult } from '../chats/responders';
import { chatMessages } from '../chats/service';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import { AppError } from '../errors';
import { assertModel } from '../llm/assert-model';
import { type ChatMessage, LlmError, type StreamRequest } from '../llm/types';
import { type Opening, WORKSHOP_META_PROMPT, workshopStateBlock } from './meta-prompt';
import { offlineOpening, offlineReply } from './offline-assistant';
import * as repo from './repository';

// The design assistant: answers workshop chats with the meta-prompt plus the current workshop
// state, on the configured model, or with the offline guided interview on offline:demo.

/** Test runs the assistant sees, newest first. */
const RECENT_TESTS = 5;

export type AssistantAnswer = ChatResponderResult & { error: string | null };

async function collect(
  ctx: AppContext,
  req: StreamRequest,
  onText?: (chunk: string) => void,
): Promise<AssistantAnswer> {
  const answer: AssistantAnswer = {
    content: '',
    model: req.model ?? ctx.llm.defaultModel(),
    offline: false,
    input_tokens: null,
    output_tokens: null,
    metadata: {},
    error: null,
  };
  try {
    for await (const event of ctx.llm.stream(req)) {
      if (event.type === 'text') {
        answer.content += event.text;
        onText?.(event.text);
      } else if (event.type === 'finish') {
        answer.model = event.model;
        answer.offline = event.offline;
        answer.input_tokens = event.usage.input_tokens;
        answer.output_tokens = event.usage.output_tokens;
        answer.metadata = {
          offline: event.offline,
          cost_usd: event.cost_usd,
          first_token_ms: event.first_token_ms,
          workshop_assistant: true,
        };
      }
    }
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    answer.error =
      err.kind === 'aborted' ? 'The request was cancelled before the answer finished' : err.message;
  }
  return answer;
}

/** The assistant's opening turn of a new workshop; a model failure is a 502 and nothing is stored. */
export async function firstAnswer(
  ctx: AppContext,
  input: {
    draftName: string;
    parentPromptName: string | null;
    draftContent: string;
    openingMessage: string;
    opening: Opening;
  },
): Promise<AssistantAnswer> {
  const state = workshopStateBlock({
    draftName: input.draftName,
    parentPromptName: input.parentPromptName,
    draftContent: input.draftContent,
    tests: [],
  });
  const answer = await collect(ctx, {
    system: `${WORKSHOP_META_PROMPT}\n\n${state}`,
    messages: [{ role: 'user', content: input.openingMessage }],
    offline: () => offlineOpening(input.opening),
  });
  if (answer.error) {
    throw new AppError('upstream_error', `The workshop assistant could not answer: ${answer.error}`);
  }
  return answer;
}

export const workshopResponder: ChatResponder = {
  async validate(ctx, { request }) {
    assertModel(ctx, request.model);
  },
  async respond(ctx, { chat, user, message, history, model, signal }, onText) {
    const draft = await repo.findDraftByChat(ctx.db, chat.id, user.id);
    const stored = (await chatMessages(ctx.db, chat.id)).find((m) => m.role === 'system');
    const tests = draft ? await repo.listTestRuns(ctx.db, draft.id, { limit: RECENT_TESTS }) : [];
    const state = workshopStateBlock({
      draftName: draft?.draft_name ?? chat.title,
      parentPromptName: draft?.parent_prompt_name ?? null,
      draftContent: draft?.draft_content ?? '',
      tests: tests.map((t) => ({ ...t, response_preview: t.response.slice(0, RESPONSE_PREVIEW_CHARS) })),
    });
    const messages: ChatMessage[] = [...history, { role: 'user', content: message }];
    const requirements = draft ? requirementsOf(draft.metadata) : undefined;
    const answer = await collect(
      ctx,
      {
        model,
        // The meta-prompt the chat started with, so a later release does not change a running workshop.
        system: `${stored?.content ?? WORKSHOP_META_PROMPT}\n\n${state}`,
        messages,
        signal,
        offline: () => offlineReply({ messages, currentDraft: draft?.draft_content, requirements }),
      },
      onText,
    );
    // Talking to the assistant is activity: the retention clock restarts.
    if (draft) await repo.touchDraft(ctx.db, draft.id, nowIso());
    return { ...answer, metadata: { ...answer.metadata, draft_id: draft?.id ?? null } };
  },
};

function requirementsOf(metadata: string): string | undefined {
  try {
    const r = JSON.parse(metadata)?.requirements;
    return typeof r === 'string' && r ? r : undefined;
  } catch {
    return undefined;
  }
}
