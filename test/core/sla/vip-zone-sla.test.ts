/**
 * The SLA side of issue 13 items 2 and 3 (both databases): the vip.claim and vip.reply keys in
 * `sla show` and `sla set`, a VIP's shorter clocks in the overdue sweep, the first rung of an
 * unclaimed zone ticket going to the zone's 管家, and the staff-group rung reaching only the
 * groups that see the ticket's zone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../../src/admin/commands.js";
import { firstReplyDue } from "../../../src/core/sla/deadlines.js";
import { OVERDUE_JOB, overdueSweep } from "../../../src/core/sla/overdue-sweep.js";
import { DEFAULT_SLA_POLICY, vipClaimMinutes, vipReplyMinutes } from "../../../src/core/sla/policy.js";
import type { Text } from "../../../src/core/text.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { backends } from "../../support/db.js";
import { openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

const ZONE_B_GROUP = "-200";
const ZONE_A_GROUP = "-300";

describe.each(backends())("VIP clocks and zone rungs on $name", (backend) => {
  let w: World;
  let said: string[];
  let filed = 0;
  const admin = (...argv: string[]) =>
    runAdmin(argv, { store: w.store, registry: w.db.use(registryStore), sla: w.sla, clock: w.clock, text: (x: Text) => w.render([x]), print: (l) => said.push(l), staffLocale: "zh-CN" });
  const sweep = (at: Date) => overdueSweep(w.deps, at, at);
  const zone = (code: string) => w.property.zones.find((z) => z.code === code)!;
  /** The ledger's posts: "HG-0001 claim L1 → s-zhou", sorted (posts of one sweep share their time). */
  async function posts(): Promise<string[]> {
    const all = await w.ledger.postsOf(OVERDUE_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    return all.map((p) => `${p.data["ticket"]} ${p.data["deadline"]} L${p.data["level"]} → ${(p.data["to"] as string[]).map((to) => to.replace("telegram:", "")).sort().join(" ")}`).sort();
  }
  /** A ticket of a zone, filed as intake files it: a VIP's with the VIP promise. */
  async function file(zoneCode: string, at: Date, vip: { note: string | null } | null): Promise<TicketRecord> {
    const policy = await w.sla.policyOf(w.property.id);
    const { ticket } = await w.store.fileTicket({
      intakeId: `vz-${++filed}`, propertyId: w.property.id, zoneId: zone(zoneCode).id, roomId: null, kind: "repair", category: "other", weight: "general",
      majorReasons: [], ownerId: w.owner.id, roomLabel: "3-1201", contactName: "王先生", contactPhone: "13900001111", location: "home", place: null,
      description: "灯不亮", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: at,
      nextReplyDueAt: firstReplyDue("repair", "general", at, policy, vip !== null), confirmation: {}, vip,
    });
    return ticket;
  }

  beforeEach(async () => {
    w = await openWorld(backend);
    said = [];
    // 小周 is A区's 管家; the world's 小王 is a specialist of the whole property (no zone).
    const zhou = await w.store.person({ platform: "telegram", platformUserId: "s-zhou", displayName: "小周", locale: "zh-CN" });
    await w.store.grantStaffRole(zhou.id, { propertyId: w.property.id, zoneId: zone("A").id, role: "zone_specialist" });
    await w.store.bindChat({ platform: "telegram", chatId: ZONE_B_GROUP, propertyId: w.property.id, purpose: "staff", department: null, zoneId: zone("B").id }, sh("2026-11-20T09:00"));
    await w.store.bindChat({ platform: "telegram", chatId: ZONE_A_GROUP, propertyId: w.property.id, purpose: "staff", department: null, zoneId: zone("A").id }, sh("2026-11-20T09:00"));
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it("sla show lists vip.claim and vip.reply as half the usual; sla set changes them, default restores them", async () => {
    expect(await admin("sla", "show", "HG")).toBe(0);
    expect(said[0]).toContain("vip.claim = half — 重要业主(VIP)工单受理时限");
    expect(said[0]).toContain("vip.reply = half — 重要业主(VIP)工单首次回复时限");
    expect(vipClaimMinutes(DEFAULT_SLA_POLICY)).toBe(15);
    expect(vipReplyMinutes(DEFAULT_SLA_POLICY, "complaint")).toBe(120);

    expect(await admin("sla", "set", "HG", "vip.claim=10m", "vip.reply=45m", "claim=1h")).toBe(0);
    expect(said[1]).toContain("vip.claim = 10m(已修改,默认 half)");
    let policy = await w.sla.policyOf(w.property.id);
    expect([vipClaimMinutes(policy), vipReplyMinutes(policy, "repair")]).toEqual([10, 45]);

    // Back to the default: half of the property's own claim time, which is now an hour.
    expect(await admin("sla", "set", "HG", "vip.claim=default", "vip.reply=half")).toBe(0);
    policy = await w.sla.policyOf(w.property.id);
    expect([vipClaimMinutes(policy), vipReplyMinutes(policy, "repair")]).toEqual([30, 60]);
    expect(await w.sla.overridesOf(w.property.id)).toEqual({ claim: "1h", "vip.reply": "half" });

    expect(await admin("sla", "set", "HG", "vip.claim=0")).toBe(1);
    expect(said.at(-1)).toContain("vip.claim 的值「0」无效");
  });

  it("a VIP's ticket is chased at half the claim time; the first rung of an unclaimed zone ticket is the zone's 管家, the second the groups that see the zone", async () => {
    await file("A", sh("2026-11-23T10:00"), { note: "老领导" }); // HG-0001: VIP, claim by 10:15
    await file("A", sh("2026-11-23T10:00"), null); // HG-0002: claim by 10:30
    await file("B", sh("2026-11-23T10:00"), null); // HG-0003: B区, no 管家 of its own
    const vip = (await w.store.ticketByNumber("HG-0001"))!;
    expect(vip).toMatchObject({ vip: true, vipNote: "老领导" });
    expect(vip.nextReplyDueAt).toEqual(sh("2026-11-23T11:00")); // a repair's 2 h halved

    await sweep(sh("2026-11-23T10:16"));
    expect(await posts()).toEqual([`HG-0001 claim L1 → s-zhou`]);

    await sweep(sh("2026-11-23T10:31"));
    await sweep(sh("2026-11-23T10:46"));
    expect(await posts()).toEqual([
      `HG-0001 claim L1 → s-zhou`,
      `HG-0001 claim L2 → ${STAFF_CHAT} ${ZONE_A_GROUP}`,
      `HG-0002 claim L1 → s-zhou`,
      // No 管家 in B区: the groups that see B, as before zones.
      `HG-0003 claim L1 → ${STAFF_CHAT} ${ZONE_B_GROUP}`,
    ]);
  });
});
