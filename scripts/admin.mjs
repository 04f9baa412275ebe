#!/usr/bin/env node
// `npm run admin -- <command>` (issue 13 item 5: each command under a second once migrated). One
// process does what `npm start` does in three: the migration check without the Prisma CLI
// (./migrate.mjs's fast path), the esbuild bundle of src/admin.ts rebuilt only when a source
// changed (./build.mjs), and the bundle itself, so no command pays for tsx compiling at run time.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildIfStale, outdir } from "./build.mjs";
import { migrate } from "./migrate.mjs";

if (!(await migrate({ quiet: true }))) process.exit(1);
await buildIfStale("admin");
await import(pathToFileURL(path.join(outdir, "admin.js")).href);
