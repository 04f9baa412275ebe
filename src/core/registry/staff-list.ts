/**
 * `/staff` for a lead in chat (issue 13 item 4): who works for the property, in which role and
 * zone, and which chats are bound to it, as `npm run admin -- staff list HG` prints it. In the
 * property's group, that property; in a private chat, every property the person leads, or the
 * one named (`/staff HG`). `/staff role @li zone_specialist A` changes a colleague's role or zone
 * (./staff-role.ts). Everyone else keeps what `/staff` always answered (the staff desk's
 * where-am-I), which is why the desk hands this extension only a lead's `/staff`.
 */
import type { Outcome } from "../messages.js";
import { nameOf } from "../people/name.js";
import type { PersonRecord } from "../people/store.js";
import type { PropertyRecord, PropertyStore } from "../property/store.js";
import { isLeadOf } from "../staff/access.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { t, type Text } from "../text.js";
import type { RegistryStore } from "./store.js";
import { setRoleInChat, type StaffRoleStores } from "./staff-role.js";

/** Lines per list in chat; a longer list is read in the admin tool. */
const LISTED = 40;

const handleOf = (p: PersonRecord) => (p.username ? `@${p.username}` : `${p.platform}:${p.platformUserId}`);

/**
 * The properties a lead's `/staff` acts on here: the one named (`/staff HG`), else the group's,
 * else in private every one they lead. None means the person leads none of them.
 */
export function ledProperties(ctx: Pick<StaffContext, "roles" | "propertyIds" | "binding">, properties: readonly PropertyRecord[], code: string | undefined): PropertyRecord[] {
  const led = properties.filter((p) => ctx.propertyIds.includes(p.id) && isLeadOf(ctx.roles, p.id));
  if (code) return led.filter((p) => p.code === code.toUpperCase());
  return ctx.binding ? led.filter((p) => p.id === ctx.binding!.propertyId) : led;
}

export function staffListExtension(deps: { store: StaffRoleStores & PropertyStore }): StaffExtension {
  return {
    names: ["staff"],
    async handle(ctx): Promise<Outcome> {
      const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
      const words = ctx.args.trim().split(/\s+/).filter(Boolean);
      const all = await deps.store.properties();
      // "/staff HG", "/staff HG role …": a property code first; "role" is never one.
      const code = words[0] && words[0].toLowerCase() !== "role" ? words.shift() : undefined;
      if (code && !all.some((p) => p.code === code.toUpperCase())) return say(t("roster.staff.role_usage"));
      const properties = ledProperties(ctx, all, code);
      if (properties.length === 0) return say(t("workflow.not_lead"));
      if (words[0]?.toLowerCase() === "role") {
        if (properties.length !== 1) return say(t("roster.staff.role_where"));
        return say(await setRoleInChat(deps.store, ctx, properties[0]!, words.slice(1)));
      }
      if (words.length > 0) return say(t("roster.staff.role_usage"));
      return say(...(await Promise.all(properties.map((p) => staffList(deps.store, p)))).flat());
    },
  };
}

async function staffList(store: RegistryStore, property: PropertyRecord): Promise<Text[]> {
  const [members, chats] = await Promise.all([store.staffMembers(property.id), store.boundChats(property.id)]);
  const more = (count: number): Text[] => (count > LISTED ? [t("roster.staff.more", { count: count - LISTED, code: property.code })] : []);
  const zoneName = (id: string | null) => property.zones.find((z) => z.id === id)?.name;
  const people = members.slice(0, LISTED).map((m) => {
    const line = { name: nameOf(m.person), handle: handleOf(m.person), role: t(`role.${m.role}`) };
    const zone = zoneName(m.zoneId);
    return zone ? t("roster.staff.line_zone", { ...line, zone }) : t("roster.staff.line", line);
  });
  const bound = chats.slice(0, LISTED).map((c) => {
    const department = c.department ? t("roster.staff.department", { department: c.department }) : "";
    const line = { purpose: t(`purpose.${c.purpose}`), department, chat: `${c.platform} ${c.chatId}` };
    return t(c.active ? "roster.staff.chat" : "roster.staff.chat_inactive", line);
  });
  const name = property.name;
  return [
    members.length ? t("roster.staff.title", { property: name, count: new Set(members.map((m) => m.person.id)).size }) : t("roster.staff.none", { property: name }),
    ...people,
    ...more(members.length),
    t("roster.staff.chats_title", { count: chats.length }),
    ...bound,
    ...more(chats.length),
  ];
}
