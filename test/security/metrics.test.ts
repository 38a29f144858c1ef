import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import { freshSqlite } from '../helpers/databases';

// /metrics is public by default (counts only); METRICS_TOKEN makes it want that bearer token.

describe('/metrics', () => {
  it('answers anyone without METRICS_TOKEN', async () => {
    const t = await startTestApp(freshSqlite());
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^# HELP /m);
    await t.close();
  });

  it.each([
    [undefined, 401],
    ['Bearer wrong-token-of-the-same', 401],
    ['Bearer short', 401],
    ['Bearer metrics-token-0123456789', 200],
  ])('with METRICS_TOKEN set, Authorization %s answers %d', async (authorization, status) => {
    const t = await startTestApp(freshSqlite(), { METRICS_TOKEN: 'metrics-token-0123456789' });
    const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    expect(res.statusCode).toBe(status);
    if (status === 401)
      expect(res.json()).toEqual({ detail: 'Metrics need Authorization: Bearer <METRICS_TOKEN>' });
    await t.close();
  });
});
