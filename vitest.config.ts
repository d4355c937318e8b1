import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      // `server-only` throws outside Next
      "server-only": path.resolve(import.meta.dirname, "lib/server-only-noop.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts", "db/**/*.test.ts", "components/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // a stray `.only` fails the run instead of quietly running one test (Vitest only forbids it when CI is set)
    allowOnly: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // integration files each start real servers; two cores
    fileParallelism: true,
    maxWorkers: 2,
  },
});
