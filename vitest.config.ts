import { defineConfig } from 'vitest/config';
import { checkedRulesDefine } from './scripts/checked-rules.mjs';

export default defineConfig({
  // As in the builds: reads of data files a check already accepted skip the schema.
  define: checkedRulesDefine(),
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI asks for a JSON report too, to print its own one-line summary.
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : {},
  },
});
