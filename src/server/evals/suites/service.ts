import {
  type CreateSuiteRequest,
  type EvalCase,
  type ImportLineError,
  type ImportSuiteRequest,
  SUITE_CASES_MAX,
  type SuiteFormat,
  type SuiteResponse,
  type SuiteScoring,
  type SuiteSummary,
  type UpdateSuiteRequest,
} from '../../../shared/evals';
import { plural } from '../../../shared/plural';
import type { AuthUser } from '../../auth/types';
import { type AppContext, nowIso } from '../../context';
import { listTopics } from '../../corpus/service';
import { isUniqueViolation } from '../../db/errors';
import { AppError, badRequest, conflict, notFound } from '../../errors';
import { formatSuite, parseSuiteFile } from './formats';
import * as repo from './repository';

// Suites belong to their owner (another user's answers 404, as drafts do). Every change writes a
// new immutable version; runs record the version they used.

type SuiteRow = NonNullable<Awaited<ReturnType<typeof repo.findSuite>>>;

const NO_SCORING: SuiteScoring = { assertions: [] };
const scoringOf = (row: SuiteRow): SuiteScoring =>
  row.scoring === null ? NO_SCORING : (JSON.parse(row.scoring) as SuiteScoring);
// Versions without suite-level scoring store null, so older versions and new empty ones read alike.
const scoringJson = (s: SuiteScoring) =>
  s.assertions.length === 0 && s.threshold === undefined ? null : JSON.stringify(s);

function toSuiteResponse(row: SuiteRow): SuiteResponse {
  const { cases, scoring: _s, ...summary } = row;
  return { ...summary, cases: JSON.parse(cases) as EvalCase[], scoring: scoringOf(row) };
}

const nameTaken = (name: string) => conflict(`You already have a suite named "${name}"`);

async function ownSuite(ctx: AppContext, user: AuthUser, id: number): Promise<SuiteRow> {
  const row = await repo.findSuite(ctx.db, id, user.id);
  if (!row) throw notFound(`Suite ${id}`);
  return row;
}

/** Cases whose topic does not exist, named by where they came from (case index or file line). */
async function assertTopicsExist(
  ctx: AppContext,
  cases: { where: string; value: EvalCase }[],
): Promise<void> {
  const topics = new Set((await listTopics(ctx)).map((t) => t.name));
  const missing = cases.filter((c) => !topics.has(c.value.topic));
  if (missing.length === 0) return;
  const errors = missing.map((c) => ({ where: c.where, message: `topic "${c.value.topic}" does not exist` }));
  throw new AppError(
    'bad_request',
    `${errors
      .slice(0, 5)
      .map((e) => `${e.where}: ${e.message}`)
      .join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`,
    { errors: errors.map((e) => ({ path: e.where, message: e.message })) },
  );
}

const byIndex = (cases: EvalCase[]) => cases.map((value, i) => ({ where: `cases.${i}.topic`, value }));

export async function listSuites(ctx: AppContext, user: AuthUser): Promise<SuiteSummary[]> {
  return (await repo.listSuites(ctx.db, user.id)).map(({ version_id: _, ...s }) => s);
}

export async function getSuite(ctx: AppContext, user: AuthUser, id: number): Promise<SuiteResponse> {
  return toSuiteResponse(await ownSuite(ctx, user, id));
}

export async function createSuite(
  ctx: AppContext,
  user: AuthUser,
  input: CreateSuiteRequest,
): Promise<SuiteResponse> {
  await assertTopicsExist(ctx, byIndex(input.cases));
  if (await repo.findSuiteByName(ctx.db, input.name, user.id)) throw nameTaken(input.name);
  const at = nowIso();
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertSuite(trx, {
        owner_id: user.id,
        name: input.name,
        description: input.description,
        at,
      });
      await repo.insertSuiteVersion(trx, {
        suite_id: id,
        version: 1,
        cases: JSON.stringify(input.cases),
        case_count: input.cases.length,
        scoring: scoringJson(input.scoring),
        author_id: user.id,
        at,
      });
      return id;
    });
    return getSuite(ctx, user, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

/** Writes the next version of a suite; nothing changes when nothing differs. */
async function writeVersion(
  ctx: AppContext,
  user: AuthUser,
  current: SuiteRow,
  next: { name: string; description: string; cases: EvalCase[]; scoring?: SuiteScoring },
): Promise<SuiteResponse> {
  const casesJson = JSON.stringify(next.cases);
  const scoring = next.scoring === undefined ? current.scoring : scoringJson(next.scoring);
  if (
    next.name === current.name &&
    next.description === current.description &&
    casesJson === current.cases &&
    scoring === current.scoring
  ) {
    return toSuiteResponse(current);
  }
  if (next.name !== current.name && (await repo.findSuiteByName(ctx.db, next.name, user.id))) {
    throw nameTaken(next.name);
  }
  const at = nowIso();
  const version = current.version + 1;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const advanced = await repo.advanceSuite(trx, current.id, current.version, { ...next, version, at });
      if (!advanced)
        throw conflict(`Suite ${current.id} changed while this edit was made; reload it and try again`);
      await repo.insertSuiteVersion(trx, {
        suite_id: current.id,
        version,
        cases: casesJson,
        case_count: next.cases.length,
        scoring,
        author_id: user.id,
        at,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      // Either the name was taken meanwhile or another edit made this version first.
      throw conflict(`Suite ${current.id} changed while this edit was made, or the name is taken; reload it`);
    }
    throw err;
  }
  return getSuite(ctx, user, current.id);
}

export async function updateSuite(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  patch: UpdateSuiteRequest,
): Promise<SuiteResponse> {
  const current = await ownSuite(ctx, user, id);
  if (patch.cases) await assertTopicsExist(ctx, byIndex(patch.cases));
  return writeVersion(ctx, user, current, {
    name: patch.name ?? current.name,
    description: patch.description ?? current.description,
    cases: patch.cases ?? (JSON.parse(current.cases) as EvalCase[]),
    scoring: patch.scoring,
  });
}

function appendCases(current: SuiteRow, added: EvalCase[], mode: 'append' | 'replace'): EvalCase[] {
  const cases = mode === 'replace' ? added : [...(JSON.parse(current.cases) as EvalCase[]), ...added];
  if (cases.length > SUITE_CASES_MAX) {
    throw badRequest(
      `A suite holds at most ${SUITE_CASES_MAX.toLocaleString('en')} cases; this would make ${cases.length.toLocaleString('en')}`,
    );
  }
  return cases;
}

/** Appends cases (the workshop's "Save as case"). */
export async function addCases(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  added: EvalCase[],
): Promise<SuiteResponse> {
  const current = await ownSuite(ctx, user, id);
  await assertTopicsExist(ctx, byIndex(added));
  return writeVersion(ctx, user, current, {
    name: current.name,
    description: current.description,
    cases: appendCases(current, added, 'append'),
  });
}

function importRefused(errors: ImportLineError[]): AppError {
  const shown = errors
    .slice(0, 5)
    .map((e) => `line ${e.line}: ${e.message}`)
    .join('; ');
  return new AppError(
    'bad_request',
    `${plural(errors.length, 'row')} invalid; nothing was imported. ${shown}${errors.length > 5 ? ' …' : ''}`,
    { errors: errors.map((e) => ({ path: `line ${e.line}`, message: e.message, line: e.line })) },
  );
}

/** Imports a whole file or nothing: any bad row is reported with its line, and no version is made. */
export async function importSuite(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  input: ImportSuiteRequest,
): Promise<SuiteResponse & { imported: number }> {
  const current = await ownSuite(ctx, user, id);
  const parsed = parseSuiteFile(input.format, input.content);
  const topics = new Set((await listTopics(ctx)).map((t) => t.name));
  // Every bad row at once, an unknown topic next to a malformed row, in the file's order.
  const errors = [
    ...parsed.errors,
    ...parsed.cases
      .filter((c) => !topics.has(c.value.topic))
      .map((c) => ({ line: c.line, message: `topic "${c.value.topic}" does not exist` })),
  ].sort((a, b) => a.line - b.line);
  if (errors.length > 0) throw importRefused(errors);
  if (parsed.cases.length === 0) throw badRequest('The file holds no cases; nothing was imported');
  const added = parsed.cases.map((c) => c.value);
  const suite = await writeVersion(ctx, user, current, {
    name: current.name,
    description: current.description,
    cases: appendCases(current, added, input.mode),
  });
  return { ...suite, imported: added.length };
}

export async function exportSuite(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  format: SuiteFormat,
): Promise<{ name: string; body: string }> {
  const suite = await getSuite(ctx, user, id);
  return { name: suite.name, body: formatSuite(format, suite.cases) };
}

export async function deleteSuite(ctx: AppContext, user: AuthUser, id: number): Promise<void> {
  if (!(await repo.deleteSuite(ctx.db, id, user.id))) throw notFound(`Suite ${id}`);
}
