import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Migrates one SQLite template (and TEST_DATABASE_URL, when set) once per run.
    globalSetup: ["test/support/global-setup.ts"],
    // Real databases and a few Prisma CLI runs (about 1–2 s each) in the drift test.
    testTimeout: 30_000,
    // CI reads the counts from the JSON report to print its closing "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results.json" }]] : ["default"],
    hookTimeout: 60_000,
  },
});
