/**
 * The operator's tool: `npm run admin -- <command>`. Creates properties and zones and issues
 * the one-time codes that set a property up in chat (`/join CODE`, `/bind CODE`). A second
 * composition root beside main.ts, over the same config and store.
 */
import { runAdmin, type Say } from "./admin/commands.js";
import { loadConfigOrExit } from "./config.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { openStore } from "./infra/prisma/open.js";
import { createSlaStore } from "./infra/prisma/sla.js";
import { systemClock } from "./infra/system.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const renderer = createRenderer(await loadCatalog(), config.timeZone);
  const say: Say = (...lines) => console.log(lines.map((l) => renderer.text(l, config.defaultLocale)).join("\n"));
  const { store, use, close } = await openStore({ databaseUrl: config.databaseUrl });
  try {
    process.exitCode = await runAdmin(process.argv.slice(2), store, systemClock, say, use(createSlaStore));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    await close();
  }
}

await main();
