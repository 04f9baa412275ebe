/**
 * The operator's tool: `npm run admin -- <command>` (`--help` lists them). Properties, zones and
 * the one-time codes that set a property up in chat; the owner roster; staff and their chats. A
 * second composition root beside main.ts, over the same config and store, speaking the
 * operator's language (DEFAULT_LOCALE).
 */
import { runAdmin } from "./admin/commands.js";
import { loadConfigOrExit } from "./config.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { openStore } from "./infra/prisma/open.js";
import { registryStore } from "./infra/prisma/registry.js";
import { createLetterFiles } from "./infra/export/letters.js";
import { letterRegisterStore } from "./infra/prisma/letters.js";
import { createSlaStore } from "./infra/prisma/sla.js";
import { hotlineStore } from "./infra/prisma/hotline.js";
import { systemClock } from "./infra/system.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const renderer = createRenderer(await loadCatalog(), config.timeZone);
  const { store, use, close } = await openStore({ databaseUrl: config.databaseUrl });
  try {
    process.exitCode = await runAdmin(process.argv.slice(2), {
      store,
      registry: use(registryStore),
      sla: use(createSlaStore),
      hotline: use(hotlineStore),
      clock: systemClock,
      text: (text) => renderer.text(text, config.defaultLocale),
      print: (line) => console.log(line),
      staffLocale: config.defaultLocale,
      letters: { register: use(letterRegisterStore), files: createLetterFiles({ renderer, timeZone: config.timeZone }) },
    });
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    await close();
  }
}

await main();
