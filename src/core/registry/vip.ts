/**
 * 重要业主: seed 001 §三.3 asks for a VIP handbook ("将重要业主及相关领导备案…对全体员工培训,做到
 * 认识、知道如何接待"). The VIP flag and its note come from the roster or from a lead in chat:
 *
 *   /vip HG 3-1201 老领导,上门前先电话     mark the room's owner VIP, with the note
 *   /vip off HG 3-1201                    no longer VIP
 *   /vip list HG                          the handbook: room, zone, owner, phone, note
 *
 * The property code may be left out in the property's own group, or by a lead of one property.
 * Leads only (supervisor, director, property head, admin); owners never see any of it.
 */
import type { Outcome } from "../messages.js";
import type { PropertyRecord, PropertyStore } from "../property/store.js";
import { parseRoom } from "../property/room.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { isLeadOf } from "../staff/access.js";
import { t, type Text } from "../text.js";
import { truncate } from "../util/input.js";
import { labelForms, MAX_NOTE_CHARS } from "./roster.js";
import type { RegistryStore, RosterRoom } from "./store.js";

/** A handbook longer than this is read in the exported roster (`rooms export`). */
const LISTED = 50;

export function vipExtension(deps: { store: RegistryStore & PropertyStore }): StaffExtension {
  return {
    names: ["vip"],
    async handle(ctx): Promise<Outcome> {
      const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
      const words = ctx.args.trim().split(/\s+/).filter(Boolean);
      const verb = words[0]?.toLowerCase() === "list" || words[0]?.toLowerCase() === "off" ? words.shift()!.toLowerCase() : "set";
      const properties = await deps.store.properties();
      const led = properties.filter((p) => ctx.propertyIds.includes(p.id) && isLeadOf(ctx.roles, p.id));
      const named = words[0] ? led.find((p) => p.code === words[0]!.toUpperCase()) : undefined;
      if (named) words.shift();
      const property = named ?? (ctx.binding ? led.find((p) => p.id === ctx.binding!.propertyId) : led.length === 1 ? led[0] : undefined);
      if (led.length === 0) return say(t("workflow.not_lead"));
      if (!property) return say(t("registry.vip.which_property"), t("registry.vip.usage"));

      if (verb === "list") return words.length ? say(t("registry.vip.which_property"), t("registry.vip.usage")) : say(...(await handbook(deps.store, property)));
      const typed = words.shift() ?? "";
      const room = parseRoom(typed);
      if (!room.ok) return say(t("registry.vip.usage"));
      const note = words.join(" ").trim();
      if (Array.from(note).length > MAX_NOTE_CHARS) return say(t("registry.vip.too_long", { max: MAX_NOTE_CHARS }));
      const vip = verb === "set";
      const marked = await markVip(deps.store, property, room.label, vip, note || null, ctx);
      if (!marked) return say(t("registry.vip.unknown_room", { room: truncate(typed, 20), code: property.code }));
      return say(vip ? t("registry.vip.set", { room: marked.label, note: marked.vipNote ?? "-" }) : t("registry.vip.cleared", { room: marked.label }));
    },
  };
}

async function markVip(store: RegistryStore, property: PropertyRecord, label: string, vip: boolean, note: string | null, ctx: StaffContext): Promise<RosterRoom | null> {
  // The first form that names a room of the registry: the owner-typed short form finds A-5-301.
  for (const form of labelForms(label, property.zones)) {
    const audit = { propertyId: property.id, at: ctx.now, actor: { personId: ctx.person.id }, action: vip ? "vip_set" : "vip_cleared", subject: form, data: { note } } as const;
    const marked = await store.setVip(property.id, form, { vip, note: vip ? note : null }, audit);
    if (marked) return marked;
  }
  return null;
}

async function handbook(store: RegistryStore, property: PropertyRecord): Promise<Text[]> {
  const rooms = await store.vipRooms(property.id);
  if (rooms.length === 0) return [t("registry.vip.none", { property: property.name })];
  const zoneName = (id: string | null) => property.zones.find((z) => z.id === id)?.name ?? "-";
  const lines = rooms.slice(0, LISTED).map((r) =>
    t("registry.vip.line", { room: r.label, zone: zoneName(r.zoneId), name: r.ownerName ?? "-", phone: r.ownerPhone ?? "-", note: r.vipNote ?? "-" }),
  );
  const more = rooms.length > LISTED ? [t("registry.vip.more", { count: rooms.length - LISTED })] : [];
  return [t("registry.vip.title", { property: property.name, count: rooms.length }), ...lines, ...more];
}
