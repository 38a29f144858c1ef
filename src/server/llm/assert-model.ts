import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { LlmError } from './types';

/** An unknown or unconfigured model is the caller's mistake: a 400 before anything streams. */
export function assertModel(ctx: AppContext, model: string | undefined): void {
  if (model === undefined) return;
  try {
    ctx.llm.modelInfo(model);
  } catch (err) {
    if (err instanceof LlmError) throw badRequest(err.message);
    throw err;
  }
}
