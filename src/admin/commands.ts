/**
 * The admin tool's commands, apart from its entry point (src/admin.ts) so tests can run them
 * over a real store without a process. Each command has its usage (`--help`); a mistyped one is
 * answered with the nearest command; lists are aligned tables in the operator's language.
 */
import { parseArgs } from "node:util";
import { t } from "../core/text.js";
import { OPTIONS, type AdminCommand, type AdminDeps, type Say } from "./deps.js";
import { runSlaAdmin } from "./sla.js";
import { nearest } from "./table.js";
import { inviteCommands, propertyCommands } from "./setup.js";
import { roomsCommands } from "./rooms.js";
import { letterCommands } from "./letters.js";
import { auditCommands, chatCommands, staffCommands } from "./staff.js";

const COMMANDS: readonly AdminCommand[] = [
  ...propertyCommands,
  ...inviteCommands,
  {
    name: "sla show",
    usage: "sla.admin.usage",
    run: (args, _v, d) => (d.sla ? runSlaAdmin("show", args, d.store, d.sla, d.clock, d.say) : Promise.resolve(2)),
  },
  {
    name: "sla set",
    usage: "sla.admin.usage",
    run: (args, _v, d) => (d.sla ? runSlaAdmin("set", args, d.store, d.sla, d.clock, d.say) : Promise.resolve(2)),
  },
  ...roomsCommands,
  ...staffCommands,
  ...chatCommands,
  ...auditCommands,
  ...letterCommands,
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

/** A chat id such as Telegram's -1001234 is a value, not an option. */
const NEGATIVE = /^-\d+$/;
const MARK = "\u0000";

export async function runAdmin(argv: readonly string[], deps: AdminDeps): Promise<number> {
  const say: Say = (...lines) => deps.print(lines.map(deps.text).join("\n"));
  const d = { ...deps, say };
  let parsed;
  try {
    parsed = parseArgs({ args: argv.map((a) => (NEGATIVE.test(a) ? MARK + a : a)), allowPositionals: true, options: OPTIONS });
  } catch (e) {
    // An option without its value, an unknown option: say which, then the usage, never a stack.
    say(t("admin.bad_option", { detail: (e as Error).message.split("\n")[0]! }));
    return usage(d, commandOf(argv.filter((a) => !a.startsWith("-"))));
  }
  const { values } = parsed;
  const positionals = parsed.positionals.map((p) => (p.startsWith(MARK) ? p.slice(1) : p));
  const [area = "", action = "", ...rest] = positionals;
  const command = COMMANDS.find((c) => c.name === `${area} ${action}`.toLowerCase());
  if (command) {
    if (values.help) {
      say(t(command.usage));
      return 0;
    }
    return command.run(rest, values, d);
  }
  if (values.help && !area) {
    say(t("admin.usage"));
    return 0;
  }
  const ofArea = COMMANDS.filter((c) => c.name.startsWith(`${area.toLowerCase()} `));
  if (ofArea.length > 0 && !action) {
    say(...[...new Set(ofArea.map((c) => c.usage))].map((k) => t(k)));
    return values.help ? 0 : 2;
  }
  const typed = [area, action].filter(Boolean).join(" ");
  const guess = nearest(typed, COMMAND_NAMES) ?? (ofArea.length ? nearest(`${area} ${action}`, ofArea.map((c) => c.name)) : null);
  if (typed && guess) {
    say(t("admin.did_you_mean", { typed, command: guess }));
    return 2;
  }
  if (typed) say(t("admin.unknown_command", { typed }));
  return usage(d, null);
}

function commandOf(words: readonly string[]): AdminCommand | null {
  return COMMANDS.find((c) => c.name === words.slice(0, 2).join(" ").toLowerCase()) ?? null;
}

function usage(d: { say: Say }, command: AdminCommand | null): number {
  d.say(t(command?.usage ?? "admin.usage"));
  return 2;
}
