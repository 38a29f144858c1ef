import { blankTurnResult, runAuspexTurn } from '../auspex/turn';
import type { OnText, Retrieve, TurnResult } from '../auspex/types';
import type { AppContext } from '../context';
import { renderCase } from './templates';

// Running one case against one variant: the one way prompt text meets a model for judging. An
// evaluation cell and the workshop's single test are both a call to executeCase.

/** What a case asks (an eval case, or the workshop's one test query). */
export interface CaseInput {
  query: string;
  topic: string;
  /** Values for the Mustache tags of the prompt and the query (rules: templates.ts). */
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
  /** How the articles are fetched; the default searches (or reads the pinned ones) each time. */
  retrieve?: Retrieve;
  /** Waits until the model may be called, once the prompt is built (TurnInput.beforeCall). */
  beforeCall?: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * One Auspex turn for the case, its variables rendered into the prompt and the query first; never
 * throws: failures (a template that does not render, a model error) come back as status 'error'.
 */
export async function executeCase(ctx: AppContext, run: CaseExecution, onText?: OnText): Promise<TurnResult> {
  const rendered = renderCase(run.promptText, run.case.query, run.case.variables);
  if (!rendered.ok) {
    return {
      ...blankTurnResult(run.model ?? ctx.llm.defaultModel(), rendered.error),
      error_kind: 'template',
    };
  }
  return runAuspexTurn(
    ctx,
    {
      systemPrompt: rendered.value.system,
      message: rendered.value.message,
      topic: run.case.topic,
      limit: run.limit,
      model: run.model,
      agentic: run.agentic,
      articleIds: run.articleIds,
      retrieve: run.retrieve,
      beforeCall: run.beforeCall,
      signal: run.signal,
    },
    onText,
  );
}
