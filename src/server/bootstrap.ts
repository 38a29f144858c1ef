import { initialPasswordBanner, saveInitialPassword } from './auth/initial-password';
import { ensureAdmin } from './auth/service';
import type { AppContext } from './context';
import { loadSampleCorpusIfEmpty } from './corpus/sample';
import { ensureDefaultPrompt } from './prompts/service';

/** First-start work that must happen before the server takes requests. Each step is idempotent. */
export async function bootstrap(ctx: AppContext): Promise<void> {
  const admin = await ensureAdmin(ctx);
  if (admin?.generatedPassword) {
    // Shown once, on the first start only, and kept in a file only its owner can read until changed.
    const file = saveInitialPassword(ctx.config, admin.generatedPassword);
    process.stderr.write(initialPasswordBanner(admin.username, admin.generatedPassword, file));
    ctx.log.warn(`Created administrator "${admin.username}" with a generated password (see ${file})`);
  } else if (admin) {
    ctx.log.info(`Created administrator "${admin.username}" from WORKSHOP_ADMIN_PASSWORD`);
  }
  if (await ensureDefaultPrompt(ctx)) ctx.log.info('Seeded the default Auspex prompt');
  await loadSampleCorpusIfEmpty(ctx);
}
