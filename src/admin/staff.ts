/**
 * `staff list|role|remove` and `chat unbind`: who works for a property and where. Removing a
 * person takes effect at once (src/core/registry/staff-removal.ts); the operator may remove or
 * demote the last admin only with --force, which a lead in chat never has.
 */
import { CHANNELS, type Channel } from "../core/messages.js";
import type { PersonRecord } from "../core/people/store.js";
import type { PropertyRecord } from "../core/property/store.js";
import { changeStaffRole, removeStaff } from "../core/registry/staff-removal.js";
import { STAFF_ROLES, type StaffRole } from "../core/staff/roles.js";
import { t } from "../core/text.js";
import { propertyNamed, usageOf, type AdminCommand, type AdminDeps, type Say } from "./deps.js";
import { table } from "./table.js";

type D = AdminDeps & { say: Say };

const nameOf = (p: PersonRecord) => p.name ?? p.displayName ?? "-";
const handleOf = (p: PersonRecord) => (p.username ? `@${p.username}` : `${p.platform}:${p.platformUserId}`);
const zoneName = (property: PropertyRecord, id: string | null) => property.zones.find((z) => z.id === id)?.code ?? "-";
const day = (d: Date) => d.toISOString().slice(0, 10);

export const staffCommands: readonly AdminCommand[] = [
  {
    name: "staff list",
    usage: "admin.help.staff_list",
    async run([code], _values, d) {
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const members = await d.registry.staffMembers(property.id);
      d.say(t("admin.staff.title", { property: property.name, count: new Set(members.map((m) => m.person.id)).size }));
      if (members.length) {
        const head = ["person", "handle", "role", "zone", "since", "person_id"].map((h) => d.text(t(`admin.col.${h}` as "admin.col.name")));
        const rows = members.map((m) => [nameOf(m.person), handleOf(m.person), d.text(t(`role.${m.role}`)), zoneName(property, m.zoneId), day(m.since), m.person.id]);
        d.print(table(head, rows).join("\n"));
      }
      const chats = await d.registry.boundChats(property.id);
      d.say(t("admin.staff.chats_title", { count: chats.length }));
      if (chats.length) {
        const head = ["purpose", "department", "chat", "active"].map((h) => d.text(t(`admin.col.${h}` as "admin.col.name")));
        const rows = chats.map((c) => [d.text(t(`purpose.${c.purpose}`)), c.department ?? "-", `${c.platform} ${c.chatId}`, d.text(t(c.active ? "admin.rooms.yes" : "admin.staff.inactive"))]);
        d.print(table(head, rows).join("\n"));
      }
      return 0;
    },
  },
  {
    name: "staff role",
    usage: "admin.help.staff_role",
    async run([code, who, role], values, d) {
      if (!who || !STAFF_ROLES.includes(role as StaffRole)) return usageOf(d, "admin.help.staff_role");
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const zone = values.zone ? property.zones.find((z) => z.code.toUpperCase() === values.zone!.toUpperCase()) : undefined;
      if (values.zone && !zone) {
        d.say(t("admin.no_zone", { zone: values.zone, code: property.code }));
        return 1;
      }
      const person = await personNamed(d, who);
      if (!person) return 1;
      const changed = await changeStaffRole({ store: { ...d.store, ...d.registry } }, { propertyId: property.id, person, role: role as StaffRole, zoneId: zone?.id ?? null, actor: "cli", at: d.clock.now(), force: values.force === true });
      if (!changed.ok) {
        d.say(t("admin.staff.last_admin", { name: nameOf(person), property: property.name }));
        return 1;
      }
      d.say(t("admin.staff.role_set", { name: nameOf(person), role: t(`role.${role as StaffRole}`), zone: zone?.name ?? "-", property: property.name }));
      return 0;
    },
  },
  {
    name: "staff remove",
    usage: "admin.help.staff_remove",
    async run([code, who], values, d) {
      if (!who) return usageOf(d, "admin.help.staff_remove");
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const person = await personNamed(d, who);
      if (!person) return 1;
      const removed = await removeStaff(
        { store: { ...d.store, ...d.registry }, staffLocale: d.staffLocale },
        { propertyId: property.id, person, actor: "cli", at: d.clock.now(), force: values.force === true },
      );
      if (!removed.ok) {
        d.say(removed.code === "last_admin" ? t("admin.staff.last_admin", { name: nameOf(person), property: property.name }) : t("admin.staff.not_staff", { name: nameOf(person), property: property.name }));
        return 1;
      }
      d.say(
        t("admin.staff.removed", { name: nameOf(person), property: property.name, roles: removed.roles.map((r) => d.text(t(`role.${r}`))).join(", ") || "-" }),
        removed.released.length
          ? t("admin.staff.released", { count: removed.released.length, tickets: removed.released.map((x) => x.number).join(", ") })
          : t("admin.staff.released_none"),
      );
      return 0;
    },
  },
];

export const auditCommands: readonly AdminCommand[] = [
  {
    name: "audit list",
    usage: "admin.help.audit_list",
    async run([code], _values, d) {
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const entries = await d.registry.auditLog(property.id, AUDIT_LISTED);
      d.say(t("admin.audit.title", { property: property.name, count: entries.length }));
      if (entries.length === 0) return 0;
      // Subjects and actors are person ids: show who they are.
      const ids = new Set(entries.flatMap((e) => [e.actor === "cli" ? null : e.actor.personId, e.action.startsWith("staff_") ? e.subject : null]).filter((x): x is string => !!x));
      const people = new Map<string, string>();
      for (const id of ids) {
        const p = await d.store.personById(id);
        if (p) people.set(id, `${nameOf(p)} ${handleOf(p)}`);
      }
      const head = ["at", "actor", "action", "subject", "details"].map((h) => d.text(t(`admin.col.${h}` as "admin.col.name")));
      const rows = entries.map((e) => [
        e.at.toISOString().slice(0, 16).replace("T", " "),
        e.actor === "cli" ? "cli" : (people.get(e.actor.personId) ?? e.actor.personId),
        d.text(t(`admin.audit.${e.action}`)),
        (e.subject && people.get(e.subject)) ?? e.subject ?? "-",
        JSON.stringify(e.data),
      ]);
      d.print(table(head, rows).join("\n"));
      return 0;
    },
  },
];

/** The newest entries; older ones stay in the AuditEvent table. */
const AUDIT_LISTED = 50;

export const chatCommands: readonly AdminCommand[] = [
  {
    name: "chat unbind",
    usage: "admin.help.chat_unbind",
    async run([platform, chatId], _values, d) {
      if (!platform || !chatId || !(CHANNELS as readonly string[]).includes(platform)) return usageOf(d, "admin.help.chat_unbind");
      const removed = await d.registry.unbindChatAudited({ platform: platform as Channel, chatId }, d.clock.now(), "cli");
      if (!removed) {
        d.say(t("admin.chat.not_bound", { chat: `${platform} ${chatId}` }));
        return 1;
      }
      const property = (await d.store.properties()).find((p) => p.id === removed.propertyId);
      d.say(t("admin.chat.unbound", { chat: `${platform} ${chatId}`, purpose: t(`purpose.${removed.purpose}`), property: property?.name ?? "?" }));
      return 0;
    },
  },
];

/** The one person `who` names, or a message: nobody, or several (then their ids, to name one). */
async function personNamed(d: D, who: string): Promise<PersonRecord | null> {
  const people = await d.registry.findPeople(who);
  if (people.length === 1) return people[0]!;
  if (people.length === 0) d.say(t("admin.staff.unknown_person", { who }));
  else d.say(t("admin.staff.ambiguous", { who, people: people.map((p) => `${handleOf(p)} (${p.platform}, ${p.id})`).join("; ") }));
  return null;
}
