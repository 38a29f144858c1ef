import { runAuspexTurn } from '../auspex/turn';
import type { OnText, TurnResult } from '../auspex/types';
import type { AppContext } from '../context';

// Running one case against one variant: the one way prompt text meets a model for judging. An
// evaluation cell and the workshop's single test are both a call to executeCase.

/** What a case asks (an eval case, or the workshop's one test query). */
export interface CaseInput {
  query: string;
  topic: string;
  /** Values for the case's template tags (see templating in a later step). */
  variables?: Record<string, unknown>;
}

export interface CaseExecution {
  /** The prompt text, already resolved from its ref (prompts/refs). */
  promptText: string;
  /** `provider:model`; the configured default when absent. */
  model?: string;
  /** Articles to retrieve, 5–200. */
  limit: number;
  agentic: boolean;
  /** Pinned retrieval: exactly these articles instead of a search. */
  articleIds?: number[];
  case: CaseInput;
  signal?: AbortSignal;
}

/** One Auspex turn for the case; never throws: failures come back as status 'error'. */
export async function executeCase(ctx: AppContext, run: CaseExecution, onText?: OnText): Promise<TurnResult> {
  return runAuspexTurn(
    ctx,
    {
      systemPrompt: run.promptText,
      message: run.case.query,
      topic: run.case.topic,
      limit: run.limit,
      model: run.model,
      agentic: run.agentic,
      articleIds: run.articleIds,
      signal: run.signal,
    },
    onText,
  );
}
