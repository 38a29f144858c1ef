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
