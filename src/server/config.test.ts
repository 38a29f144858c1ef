import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect({
      port: c.port,
      host: c.host,
      db: c.databaseUrl,
      model: c.defaultModel,
      sample: c.sampleCorpus,
    }).toEqual({
      port: 8000,
      host: '127.0.0.1',
      db: 'sqlite:./data/workshop.db',
      model: undefined,
      sample: true,
    });
  });

  it('reads every documented variable', () => {
    const c = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u@h/db',
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      OPENAI_COMPATIBLE_PROVIDERS: '[{"name":"lmstudio","baseURL":"http://127.0.0.1:1234/v1"}]',
      DEFAULT_MODEL: 'openai:gpt-4.1-mini',
      SAMPLE_CORPUS: 'false',
    });
    expect(c.port).toBe(9000);
    expect(c.openai).toEqual({ apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1' });
    expect(c.compatProviders).toEqual([
      { name: 'lmstudio', baseURL: 'http://127.0.0.1:1234/v1', models: [] },
    ]);
    expect(c.sampleCorpus).toBe(false);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['127.0.0.1, 10.1.2.3,::1', ['127.0.0.1', '10.1.2.3', '::1']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ])('TRUST_PROXY=%s trusts %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('takes the earlier TEST_RATE_LIMIT_PER_MINUTE when MODEL_CALLS_PER_MINUTE is unset', () => {
    expect(loadConfig({}).modelCallsPerMinute).toBe(20);
    expect(loadConfig({ TEST_RATE_LIMIT_PER_MINUTE: '7' }).modelCallsPerMinute).toBe(7);
    expect(
      loadConfig({ TEST_RATE_LIMIT_PER_MINUTE: '7', MODEL_CALLS_PER_MINUTE: '9' }).modelCallsPerMinute,
    ).toBe(9);
  });

  it('judges with offline:demo unless EVAL_JUDGE_MODEL names a model', () => {
    expect(loadConfig({}).evals.judgeModel).toBe('offline:demo');
    expect(loadConfig({ EVAL_JUDGE_MODEL: 'openai:gpt-4.1-mini' }).evals.judgeModel).toBe(
      'openai:gpt-4.1-mini',
    );
  });

  describe.each([
    ['DATABASE_URL', 'mysql://x', 'Invalid DATABASE_URL: must start with sqlite: or postgres://'],
    ['PORT', 'eighty', 'Invalid PORT: Invalid input: expected number, received NaN'],
    ['PORT', '70000', 'Invalid PORT: Too big: expected number to be <=65535'],
    [
      'LOG_LEVEL',
      'loud',
      'Invalid LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
    ],
    ['DEFAULT_MODEL', 'gpt-4', 'Invalid DEFAULT_MODEL: must look like provider:model'],
    ['EVAL_JUDGE_MODEL', 'gpt-4', 'Invalid EVAL_JUDGE_MODEL: must look like provider:model'],
    ['OPENAI_BASE_URL', 'not a url', 'Invalid OPENAI_BASE_URL: Invalid URL'],
    [
      'OPENAI_COMPATIBLE_PROVIDERS',
      '{oops',
      'Invalid OPENAI_COMPATIBLE_PROVIDERS: must be a JSON array of {name, baseURL, apiKey?, models?}',
    ],
    ['SAMPLE_CORPUS', 'maybe', 'Invalid SAMPLE_CORPUS: must be true or false'],
    ['WORKSHOP_ADMIN_PASSWORD', 'short', 'Invalid WORKSHOP_ADMIN_PASSWORD: must be at least 8 characters'],
    ...['true', 'yes', '10.0.0.0/33', '10.0.0.1,evil', '999', 'anywhere'].map((value) => [
      'TRUST_PROXY',
      value,
      'Invalid TRUST_PROXY: must be a hop count (1 for one proxy in front) or a comma-separated list of proxy addresses or CIDR ranges; "true" would trust any client\'s X-Forwarded-For',
    ]),
    ['METRICS_TOKEN', 'short', 'Invalid METRICS_TOKEN: must be at least 16 characters'],
  ])('%s=%s', (name, value, message) => {
    it('refuses with one line naming the variable', () => {
      expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
    });
  });
});
