import { ensureAdmin } from './auth/service';
import type { AppContext } from './context';
import { loadSampleCorpusIfEmpty } from './corpus/sample';
import { ensureDefaultPrompt } from './prompts/service';

/** First-start work that must happen before the server takes requests. Each step is idempotent. */
export async function bootstrap(ctx: AppContext): Promise<void> {
  const admin = await ensureAdmin(ctx);
  if (admin?.generatedPassword) {
    // Printed once, on the first start only; it is never stored in clear.
    ctx.log.warn(
      `Created administrator "${admin.username}" with generated password: ${admin.generatedPassword} ` +
        '(change it with: prompt-workshop users reset-password)',
    );
  } else if (admin) {
    ctx.log.info(`Created administrator "${admin.username}" from WORKSHOP_ADMIN_PASSWORD`);
  }
  if (await ensureDefaultPrompt(ctx)) ctx.log.info('Seeded the default Auspex prompt');
  await loadSampleCorpusIfEmpty(ctx);
}
