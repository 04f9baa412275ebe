/**
 * The admin tool's commands, apart from its entry point (src/admin.ts) so tests can run them
 * over a real store without a process.
 */
import { parseArgs } from "node:util";
import type { Clock } from "../core/time/clock.js";
import type { SlaStore } from "../core/sla/store.js";
import { CHAT_PURPOSES, type ChatPurpose } from "../core/staff/chats.js";
import { STAFF_ROLES, type StaffRole } from "../core/staff/roles.js";
import { t, type Text } from "../core/text.js";
import { runSlaAdmin } from "./sla.js";
import type { PropertyStore } from "../core/property/store.js";
import type { InviteStore } from "../core/staff/invites.js";

const HOUR = 3_600_000;

export type Say = (...lines: Text[]) => void;

export async function runAdmin(argv: string[], store: PropertyStore & InviteStore, clock: Clock, say: Say, sla?: SlaStore): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        zones: { type: "string" },
        en: { type: "string" },
        zone: { type: "string" },
        department: { type: "string" },
        hours: { type: "string", default: "72" },
      },
    });
  } catch {
    // An option without its value, an unknown option: the operator gets the usage, not a stack.
    return usage(say);
  }
  const { values, positionals } = parsed;
  const [area, action, ...rest] = positionals;
  if (area === "sla" && sla) return runSlaAdmin(action, rest, store, sla, clock, say);
  if (area === "property" && action === "add") {
    const [code, name] = rest;
    if (!code || !name) return usage(say);
    const zones = (values.zones ?? "").split(",").filter(Boolean).map((z) => {
      const [zc, zn] = z.split(":");
      return { code: zc!.trim(), name: (zn ?? zc!).trim() };
    });
    const p = await store.createProperty({ code, name, nameEn: values.en, zones });
    say(t("admin.property_added", { code: p.code, name: p.name, zones: p.zones.map((z) => z.name).join(", ") || "-" }));
    return 0;
  }
  if (area === "property" && action === "list") {
    for (const p of await store.properties()) {
      say(t("admin.property_line", { code: p.code, name: p.name, zones: p.zones.map((z) => `${z.code}:${z.name}`).join(", ") || "-" }));
    }
    return 0;
  }
  if (area === "invite" && (action === "join" || action === "bind")) {
    const [code, what] = rest;
    const property = (await store.properties()).find((p) => p.code === code?.toUpperCase());
    if (!property) {
      say(t("admin.no_property", { code: code ?? "" }));
      return 1;
    }
    const hours = Number(values.hours);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) return usage(say);
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + hours * HOUR);
    if (action === "join") {
      if (!STAFF_ROLES.includes(what as StaffRole)) return usage(say);
      const zone = values.zone ? property.zones.find((z) => z.code === values.zone) : undefined;
      if (values.zone && !zone) {
        say(t("admin.no_zone", { zone: values.zone, code: property.code }));
        return 1;
      }
      const invite = await store.createInvite({ propertyId: property.id, grant: { kind: "join", role: what as StaffRole, zoneId: zone?.id ?? null }, expiresAt, createdAt: now });
      say(t("admin.invite_join", { code: invite.code, role: t(`role.${what as StaffRole}`), property: property.name, expires: { time: expiresAt.toISOString() } }));
      return 0;
    }
    if (!CHAT_PURPOSES.includes(what as ChatPurpose)) return usage(say);
    const invite = await store.createInvite({
      propertyId: property.id,
      grant: { kind: "bind", purpose: what as ChatPurpose, department: values.department ?? null },
      expiresAt,
      createdAt: now,
    });
    say(t("admin.invite_bind", { code: invite.code, purpose: t(`purpose.${what as ChatPurpose}`), property: property.name, expires: { time: expiresAt.toISOString() } }));
    return 0;
  }
  return usage(say);
}

function usage(say: Say): number {
  say(t("admin.usage"));
  return 2;
}

