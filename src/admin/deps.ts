/** What every admin command is given, and how it is described. */
import type { parseArgs } from "node:util";
import type { Clock } from "../core/time/clock.js";
import type { LetterFiles } from "../core/frontdesk/letters.js";
import type { LetterRegisterStore } from "../core/frontdesk/register.js";
import type { SlaStore } from "../core/sla/store.js";
import type { PersonStore } from "../core/people/store.js";
import type { PropertyRecord, PropertyStore } from "../core/property/store.js";
import type { RegistryStore } from "../core/registry/store.js";
import type { ChatStore } from "../core/staff/chats.js";
import type { InviteStore } from "../core/staff/invites.js";
import type { StaffStore } from "../core/staff/roles.js";
import type { TicketStore } from "../core/ticket/store.js";
import type { HotlineStore } from "../core/hotline/store.js";
import { t, type Locale, type MessageKey, type Text } from "../core/text.js";

export type Say = (...lines: Text[]) => void;

export interface AdminDeps {
  readonly store: PropertyStore & InviteStore & PersonStore & StaffStore & TicketStore & ChatStore;
  readonly registry: RegistryStore;
  readonly sla?: SlaStore;
  /** The hotline's company codes (`invite join|bind --company`); absent, those are refused. */
  readonly hotline?: Pick<HotlineStore, "createCompanyInvite">;
  readonly clock: Clock;
  /** Renders a text in the operator's language (DEFAULT_LOCALE). */
  readonly text: (text: Text) => string;
  /** One line (or block) of output, already rendered. */
  readonly print: (line: string) => void;
  /** The language of messages the tool queues for staff groups. */
  readonly staffLocale: Locale;
  /** 收文登记簿, for `register export`. */
  readonly letters?: { readonly register: LetterRegisterStore; readonly files: LetterFiles };
}

export const OPTIONS = {
  zones: { type: "string" },
  en: { type: "string" },
  zone: { type: "string" },
  department: { type: "string" },
  hours: { type: "string", default: "72" },
  force: { type: "boolean" },
  "skip-bad": { type: "boolean" },
  bad: { type: "string" },
  help: { type: "boolean", short: "h" },
  out: { type: "string" },
  company: { type: "boolean" },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export interface AdminCommand {
  /** "rooms import": the area and the action. */
  readonly name: string;
  readonly usage: MessageKey;
  run(args: readonly string[], values: Values, deps: AdminDeps & { say: Say }): Promise<number>;
}

/** The property a command names by its code, or a message saying there is none. */
export async function propertyNamed(d: { store: PropertyStore; say: Say }, code: string | undefined): Promise<PropertyRecord | null> {
  const property = (await d.store.properties()).find((p) => p.code === code?.toUpperCase());
  if (!property) d.say(t("admin.no_property", { code: code ?? "" }));
  return property ?? null;
}

/** A command's usage, for input it cannot read; exit code 2. */
export function usageOf(d: { say: Say }, key: MessageKey): number {
  d.say(t(key));
  return 2;
}
