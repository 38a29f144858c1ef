import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only contend for the CPU that scrypt and Chromium need.
    maxWorkers: 2,
    // Browser assertions poll (expect.poll): the page fills in after fetches, so a single read races.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
