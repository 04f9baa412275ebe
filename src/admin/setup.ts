/**
 * `property add|list` and `invite join|bind|revoke`: a property, its zones, and the one-time
 * codes that set it up in chat (`/join CODE`, `/bind CODE`).
 */
import { CHAT_PURPOSES, type ChatPurpose } from "../core/staff/chats.js";
import { STAFF_ROLES, type StaffRole } from "../core/staff/roles.js";
import { t } from "../core/text.js";
import { propertyNamed, usageOf, type AdminCommand, type Say } from "./deps.js";
import type { PropertyRecord, ZoneRecord } from "../core/property/store.js";
import { table } from "./table.js";
import { companyInvite } from "./hotline.js";

const HOUR = 3_600_000;
/** A property's code, the prefix of its ticket numbers (HG-0001): what the store accepts. */
const PROPERTY_CODE = /^[A-Za-z]{1,6}$/;

export const propertyCommands: readonly AdminCommand[] = [
  {
    name: "property add",
    usage: "admin.help.property_add",
    async run([code, name], values, d) {
      if (!code || !name || !PROPERTY_CODE.test(code)) return usageOf(d, "admin.help.property_add");
      const zones = (values.zones ?? "").split(",").filter(Boolean).map((z) => {
        const [zc, zn] = z.split(":");
        return { code: zc!.trim(), name: (zn ?? zc!).trim() };
      });
      if (zones.some((z) => !z.code) || new Set(zones.map((z) => z.code.toUpperCase())).size < zones.length) return usageOf(d, "admin.help.property_add");
      // The store refuses these too, but with an error for programmers; the operator is told here.
      if ((await d.store.properties()).some((p) => p.code === code.toUpperCase())) {
        d.say(t("admin.property_exists", { code: code.toUpperCase() }));
        return 1;
      }
      const p = await d.store.createProperty({ code, name, nameEn: values.en, zones });
      d.say(t("admin.property_added", { code: p.code, name: p.name, zones: p.zones.map((z) => z.name).join(", ") || "-" }));
      return 0;
    },
  },
  {
    name: "property list",
    usage: "admin.help.property_list",
    async run(_args, _values, d) {
      const properties = await d.store.properties();
      if (properties.length === 0) {
        d.say(t("admin.no_properties"));
        return 0;
      }
      const rows = await Promise.all(
        properties.map(async (p) => {
          const rooms = await d.registry.roster(p.id);
          return [p.code, p.name, p.nameEn ?? "-", p.zones.map((z) => `${z.code}:${z.name}`).join(", ") || "-", String(rooms.length), String(rooms.filter((r) => r.vip).length)];
        }),
      );
      const head = ["code", "name", "name_en", "zones", "rooms", "vip"].map((h) => d.text(t(`admin.col.${h}` as "admin.col.code")));
      d.print(table(head, rows).join("\n"));
      return 0;
    },
  },
];

export const inviteCommands: readonly AdminCommand[] = [
  {
    name: "invite join",
    usage: "admin.help.invite_join",
    async run(args, values, d) {
      if (values.company) return companyInvite("join", args, values.hours, d);
      const [code, what] = args;
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const expiresAt = expiry(values.hours, d.clock.now());
      if (!expiresAt || !STAFF_ROLES.includes(what as StaffRole)) return usageOf(d, "admin.help.invite_join");
      const zone = zoneNamed(d, property, values.zone);
      if (zone === false) return 1;
      const invite = await d.store.createInvite({ propertyId: property.id, grant: { kind: "join", role: what as StaffRole, zoneId: zone?.id ?? null }, expiresAt, createdAt: d.clock.now() });
      d.say(t("admin.invite_join", { code: invite.code, role: t(`role.${what as StaffRole}`), property: property.name, expires: { time: expiresAt.toISOString() } }));
      return 0;
    },
  },
  {
    name: "invite bind",
    usage: "admin.help.invite_bind",
    async run(args, values, d) {
      if (values.company) return companyInvite("bind", args, values.hours, d);
      const [code, what] = args;
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const expiresAt = expiry(values.hours, d.clock.now());
      // A zone's group is a staff group (issue 13 §3): the other chats serve the whole property.
      if (!expiresAt || !CHAT_PURPOSES.includes(what as ChatPurpose) || (values.zone && what !== "staff")) return usageOf(d, "admin.help.invite_bind");
      const zone = zoneNamed(d, property, values.zone);
      if (zone === false) return 1;
      const invite = await d.store.createInvite({
        propertyId: property.id,
        grant: { kind: "bind", purpose: what as ChatPurpose, department: values.department ?? null, zoneId: zone?.id ?? null },
        expiresAt,
        createdAt: d.clock.now(),
      });
      const said = { code: invite.code, purpose: t(`purpose.${what as ChatPurpose}`), property: property.name, expires: { time: expiresAt.toISOString() } };
      d.say(zone ? t("admin.invite_bind_zone", { ...said, zone: zone.name }) : t("admin.invite_bind", said));
      return 0;
    },
  },
  {
    name: "invite revoke",
    usage: "admin.help.invite_revoke",
    async run([code], _values, d) {
      if (!code) return usageOf(d, "admin.help.invite_revoke");
      const result = await d.registry.revokeInvite(code, d.clock.now(), "cli");
      d.say(t(`admin.revoke.${result}`, { code: code.toUpperCase() }));
      return result === "revoked" ? 0 : 1;
    },
  },
];

/** The zone `--zone` names (by code), undefined without one, false (said so) when the property has none such. */
function zoneNamed(d: { say: Say }, property: PropertyRecord, code: string | undefined): ZoneRecord | undefined | false {
  if (!code) return undefined;
  const zone = property.zones.find((z) => z.code.toUpperCase() === code.toUpperCase());
  if (!zone) d.say(t("admin.no_zone", { zone: code, code: property.code }));
  return zone ?? false;
}

function expiry(hoursText: string | undefined, now: Date): Date | null {
  const hours = Number(hoursText);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) return null;
  return new Date(now.getTime() + hours * HOUR);
}
