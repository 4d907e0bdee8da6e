import { defineConfig } from 'vitest/config';

/**
 * One project per test tier (docs/architecture.md, "Tests and benchmarks"). Tiers that start DynamoDB Local or
 * the whole runtime get longer timeouts; each test file runs in its own process, so the
 * environment a runtime sets for its handlers never leaks between files.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Handlers log through Powertools; tests assert on behaviour, not on log lines.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Tiers run one after another (2 cores); within a tier files run in parallel up to maxWorkers.
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: DynamoDB Local (a JVM) per file, two files at a time.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'workflows',
          sequence: { groupOrder: 2 },
          include: ['test/workflows/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          sequence: { groupOrder: 3 },
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 4 },
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
