import { Command, InvalidArgumentError } from 'commander';
import * as auth from '../server/auth/service';
import { ConfigError, loadConfig } from '../server/config';
import {
  type CreateTokenRequest,
  createTokenRequest,
  createUserRequest,
  password as passwordRule,
} from '../shared/auth';
import { idParam } from '../shared/common';
import { type ImportFormat, importFormat, topicName } from '../shared/corpus';
import { withContext } from './context';
import type { EvalOptions } from './eval';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

function parseWith<T>(
  schema: { safeParse(v: unknown): { success: boolean; data?: T; error?: any } },
  value: unknown,
) {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidArgumentError(`${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return r.data as T;
}

const program = new Command('prompt-workshop').description('Prompt Workshop server and administration');

program
  .command('serve')
  .description('run the web server (migrates the database first)')
  .action(async () => {
    const { serve } = await import('../server/main');
    await serve(loadConfig());
  });

program
  .command('migrate')
  .description('apply pending migrations, or undo the last one with --down')
  .option('--down', 'undo the most recent migration')
  .action(async (opts: { down?: boolean }) => {
    const { migrateDown, migrateToLatest } = await import('../server/db/migrate');
    await withContext(
      async (ctx) => {
        const result = opts.down ? await migrateDown(ctx.db) : await migrateToLatest(ctx.db);
        const ran = result.results ?? [];
        if (ran.length === 0) console.log(opts.down ? 'Nothing to undo.' : 'Database is up to date.');
        for (const r of ran)
          console.log(`${r.direction === 'Down' ? 'Reverted' : 'Applied'} ${r.migrationName}`);
      },
      { migrate: false },
    );
  });

const users = program.command('users').description('manage user accounts');
users
  .command('create <username>')
  .requiredOption('--password <password>', 'initial password (8+ characters)')
  .option('--role <role>', 'admin or member', 'member')
  .option('--display-name <name>', 'name shown in the app')
  .action(async (username: string, opts: { password: string; role: string; displayName?: string }) => {
    const input = parseWith(createUserRequest, {
      username,
      password: opts.password,
      role: opts.role,
      display_name: opts.displayName,
    });
    await withContext(async (ctx) => {
      const user = await auth.createUser(ctx, input as any);
      console.log(`Created ${user.role} "${user.username}" (id ${user.id})`);
    });
  });
users.command('list').action(async () => {
  await withContext(async (ctx) => {
    for (const u of await auth.listUsers(ctx)) {
      console.log(`${u.id}\t${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
    }
  });
});
users.command('disable <username>').action(async (username: string) => {
  await withContext(async (ctx) => {
    await auth.updateUser(ctx, username, { disabled: true });
    console.log(`Disabled "${username}" and ended their sessions`);
  });
});
users.command('enable <username>').action(async (username: string) => {
  await withContext(async (ctx) => {
    await auth.updateUser(ctx, username, { disabled: false });
    console.log(`Enabled "${username}"`);
  });
});
users
  .command('reset-password <username>')
  .requiredOption('--password <password>', 'new password (8+ characters)')
  .action(async (username: string, opts: { password: string }) => {
    const pw = parseWith<string>(passwordRule, opts.password);
    await withContext(async (ctx) => {
      await auth.resetPassword(ctx, username, pw);
      console.log(`Password of "${username}" reset; their sessions were ended`);
    });
  });

const tokens = program.command('tokens').description('API tokens');
tokens
  .command('create <username>')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--expires-in-days <days>', 'the token stops working after this many days')
  .action(async (username: string, opts: { name: string; expiresInDays?: string }) => {
    const input = parseWith<CreateTokenRequest>(createTokenRequest, {
      name: opts.name,
      expires_in_days: opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays),
    });
    await withContext(async (ctx) => {
      const t = await auth.createApiTokenFor(ctx, username, input);
      const until = t.expires_at ? `, valid until ${t.expires_at}` : '';
      console.log(`Token ${t.id} "${t.name}" for ${username}${until} (shown once):\n${t.token}`);
    });
  });
tokens
  .command('list <username>')
  .description("a user's tokens that were not revoked")
  .action(async (username: string) => {
    await withContext(async (ctx) => {
      for (const t of await auth.listApiTokensOf(ctx, username)) {
        const expires = t.expires_at ?? 'never';
        console.log(
          `${t.id}\t${t.status}\t${t.name}\tcreated ${t.created_at}\texpires ${expires}\tlast used ${t.last_used_at ?? 'never'}`,
        );
      }
    });
  });
tokens
  .command('revoke <id>')
  .description('revoke a token by its id (any user; see tokens list)')
  .action(async (id: string) => {
    const tokenId = parseWith<number>(idParam, id);
    await withContext(async (ctx) => {
      await auth.revokeApiToken(ctx, null, tokenId);
      console.log(`Token ${tokenId} revoked`);
    });
  });

program
  .command('import <file>')
  .description('import articles from a JSONL, CSV or RSS/Atom file into a topic (created if missing)')
  .requiredOption('--topic <name>', 'topic to import into')
  .option('--format <format>', 'jsonl, csv or rss (default: from the file extension)')
  .action(async (file: string, opts: { topic: string; format?: string }) => {
    const topic = parseWith<string>(topicName, opts.topic);
    const format = opts.format === undefined ? undefined : parseWith<ImportFormat>(importFormat, opts.format);
    const { importFile, importSummary } = await import('../server/corpus/cli-import');
    await withContext(async (ctx) => {
      const result = await importFile(ctx, file, { topic, format });
      console.log(importSummary(topic, result));
    });
  });

program
  .command('eval')
  .description(
    'run a suite over prompt refs and models; exit 1 when a cell fails or a case fails its assertions',
  )
  .requiredOption('--suite <name>', 'the suite to run (yours, by name)')
  .requiredOption(
    '--prompt <ref>',
    'draft:ID, NAME, NAME@VERSION; repeat for more variants',
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .option('--model <id>', 'provider:model for every variant (default: the server default)')
  .option('--repeat <n>', 'repetitions of each case, 1–10')
  .option('--concurrency <n>', 'model calls at once, 1–64')
  .option('--budget <usd>', 'stop when this much was spent')
  .option('--server <url>', 'run on this server instead of in this process')
  .option('--token <token>', 'API token for --server')
  .option('--user <name>', 'whose suites to use when running locally (default: the first admin)')
  .option('--output <file>', 'write the results to a .json, .csv or .xml (JUnit) file')
  .action(async (opts: EvalOptions) => {
    const { runEvalCommand } = await import('./eval');
    process.exitCode = await runEvalCommand(opts);
  });

program
  .command('cleanup')
  .description('remove drafts untouched for DRAFT_RETENTION_DAYS, with their chats and test runs')
  .option('--dry-run', 'list what would be removed, remove nothing')
  .action(async (opts: { dryRun?: boolean }) => {
    const { cleanupExpiredDrafts, cleanupReport } = await import('../server/workshop/cleanup');
    await withContext(async (ctx) => {
      const result = await cleanupExpiredDrafts(ctx, { dryRun: opts.dryRun });
      console.log(
        cleanupReport(result, { dryRun: Boolean(opts.dryRun), days: ctx.config.draftRetentionDays }),
      );
    });
  });

export { program };

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  if (err instanceof InvalidArgumentError) fail(err.message);
  if (err && typeof err === 'object' && 'status' in err && 'message' in err) fail(String(err.message));
  fail(err instanceof Error ? err.message : String(err));
}
