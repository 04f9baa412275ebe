// Shared by the database scripts: run the Prisma CLI directly (not through npx, which adds npm's
// start-up and warnings) with the settings an offline machine needs.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build/index.js");

// Lines every command prints that say nothing about this run.
const NOISE = [
  /^Loaded Prisma config from/,
  /^Prisma config detected, skipping environment variable loading/,
  /^Prisma schema loaded from/,
  /^WARNING: Your schema specifies the following datasource properties/,
  /^- url$/,
  /^The values from your schema will NOT be used/,
  /^We recommend you to remove those properties/,
];

/** Runs `prisma <args>` in the repo root; resolves with its exit code and de-noised output. */
export function prisma(args, databaseUrl) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        // No update check or telemetry: there is no route to prisma.io, and waiting on it is slow.
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        // If the schema ever fails to parse, do not fall back to downloading the library engine.
        PRISMA_CLIENT_ENGINE_TYPE: "client",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ code: 1, output: `${output}\n${e.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output: denoise(output) }));
  });
}

function denoise(text) {
  return text
    .split("\n")
    .filter((line) => !NOISE.some((re) => re.test(line.trim())))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A database URL fit for a log line: no password. */
export function redact(url) {
  return url.replace(/^(\w+:\/\/[^:/@]+):[^@]*@/, "$1:***@");
}
