#!/usr/bin/env node
// Compiles the bot to plain JavaScript for `npm start` (issue 16 item 5): tsx compiling every
// module at run time costs start-up time and memory a long-running bot should not pay. esbuild
// bundles our own code (src/, the generated Prisma clients included) into one file in about a
// tenth of a second, so start builds every time and is never stale; packages stay external.
// The bundle sits two folders below the repository, as src/<room>/<file>.ts does, so paths the
// code resolves from its own URL (src/i18n/catalog.ts finds ../../locales/) hold unchanged.
import { build } from "esbuild";

const entries = process.argv.slice(2).length ? process.argv.slice(2) : ["main"];
const started = performance.now();
await build({
  entryPoints: entries.map((e) => `src/${e}.ts`),
  outdir: "dist/bin",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
if (process.env.BUILD_VERBOSE) console.log(`build: ${entries.join(", ")} in ${Math.round(performance.now() - started)} ms`);
