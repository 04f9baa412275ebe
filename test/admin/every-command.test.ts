/**
 * Issue 13's acceptance, "tests of every admin command's happy path, bad input and --help", as one
 * table over COMMAND_NAMES: a command added without its row fails the first test. For each, the
 * happy path exits 0, prints what it did and changes what it should; the bad input exits non-zero,
 * says why and changes nothing; `--help` after the happy path's own arguments prints the command's
 * usage and does nothing. The commands' finer cases are in the other files of this folder.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "../../src/admin/commands.js";
import { letterRegisterStore } from "../../src/infra/prisma/letters.js";
import { createSlaStore } from "../../src/infra/prisma/sla.js";
import { backends } from "../support/db.js";
import { GROUP, staffWorld, type StaffWorld } from "./staff-world.js";

interface Ctx {
  readonly w: StaffWorld;
  /** An empty folder of this test's own, for the files a command reads or writes. */
  readonly dir: string;
}

interface Row {
  /** Sets the world up for the command where it needs more than the staff world, and gives its arguments. */
  happy(c: Ctx): string[] | Promise<string[]>;
  /** What the happy path prints, which its usage does not. */
  shows: string | RegExp;
  /** The state the command changes; a listing changes none. */
  effect?(c: Ctx): Promise<unknown>;
  bad: { readonly argv: readonly string[]; readonly exit: 1 | 2; readonly says: string };
}

const files = ({ dir }: Ctx) => Promise.resolve(readdirSync(dir).sort());
const codes = async ({ w }: Ctx) => (await w.db.store.properties()).map((p) => p.code).sort();
const rolesOf = (who: "wang" | "li" | "boss") => async ({ w }: Ctx) => (await w.db.store.staffRoles(w.people[who].id)).map((r) => [r.role, r.zoneId]);
/** The property's invite codes, each with what it grants: the port finds one code, the table holds them all. */
const invites = ({ w }: Ctx) =>
  w.db.use(({ db }) => ({ all: () => db.inviteCode.findMany({ where: { propertyId: w.property.id }, select: { code: true, role: true, purpose: true, zoneId: true, usedAt: true } }) })).all();
/** The invite a command printed, from the last output. */
const inviteIn = (said: string) => /([A-Z0-9]{8})/.exec(said)?.[1] ?? null;

const ROWS: Record<string, Row> = {
  "property add": {
    happy: () => ["property", "add", "jx", "金星苑", "--zones", "A:A区"],
    shows: "已创建小区 JX 金星苑(分区:A区)。",
    effect: codes,
    bad: { argv: ["property", "add", "JX"], exit: 2, says: "用法:npm run admin -- property add" },
  },
  "property list": {
    happy: () => ["property", "list"],
    shows: /^HG\s+虹港家园\s+-\s+A:A区, B:B区\s+0\s+0$/m,
    bad: { argv: ["property", "list", "--zone"], exit: 2, says: "用法:npm run admin -- property list" },
  },
  "invite join": {
    happy: () => ["invite", "join", "HG", "zone_specialist", "--zone", "b"],
    shows: /邀请码 [A-Z0-9]{8}/,
    effect: invites,
    bad: { argv: ["invite", "join", "HG", "boss"], exit: 2, says: "角色:front_desk" },
  },
  "invite bind": {
    happy: () => ["invite", "bind", "HG", "staff", "--zone", "A"],
    shows: "该群即成为【虹港家园】A区的客服工作群",
    effect: invites,
    bad: { argv: ["invite", "bind", "HG", "director", "--zone", "A"], exit: 2, says: "--zone 只用于 staff" },
  },
  "invite revoke": {
    async happy({ w }) {
      await w.admin("invite", "join", "HG", "supervisor");
      return ["invite", "revoke", inviteIn(w.take())!.toLowerCase()];
    },
    shows: /^邀请码 [A-Z0-9]{8} 已作废。$/,
    effect: async ({ w }) => (await w.registry.auditLog(w.property.id, 50)).map((a) => a.action),
    bad: { argv: ["invite", "revoke", "ZZZZZZZZ"], exit: 1, says: "没有邀请码 ZZZZZZZZ" },
  },
  "sla show": {
    happy: () => ["sla", "show", "hg"],
    shows: "reply.repair = 2h — 报修首次回复时限",
    bad: { argv: ["sla", "show", "NOPE"], exit: 1, says: "没有代码为 NOPE 的小区" },
  },
  "sla set": {
    happy: () => ["sla", "set", "HG", "reply.repair=90m"],
    shows: "reply.repair = 1h30m(已修改,默认 2h)",
    effect: ({ w }) => w.db.use(createSlaStore).overridesOf(w.property.id),
    bad: { argv: ["sla", "set", "HG", "reply.pizza=1h"], exit: 1, says: "没有设置项 reply.pizza" },
  },
  "rooms template": {
    happy: ({ dir }) => ["rooms", "template", "HG", join(dir, "template.xlsx")],
    shows: "已生成【虹港家园】的业主档案模板:",
    effect: files,
    bad: { argv: ["rooms", "template", "HG", "template.txt"], exit: 2, says: "用法:npm run admin -- rooms template" },
  },
  "rooms import": {
    happy({ dir }) {
      const file = join(dir, "roster.csv");
      writeFileSync(file, "\ufeff楼栋,单元,房号,区域,业主姓名,电话\r\n3,,1201,A,王先生,13900001111\r\n");
      return ["rooms", "import", "HG", file];
    },
    shows: /^新增\s+1$/m,
    effect: async ({ w }) => (await w.registry.roster(w.property.id)).map((r) => r.label),
    bad: { argv: ["rooms", "import", "HG", "/nonexistent/roster.csv"], exit: 1, says: "找不到文件 /nonexistent/roster.csv" },
  },
  "rooms export": {
    happy: ({ dir }) => ["rooms", "export", "HG", join(dir, "roster.csv")],
    shows: "已导出【虹港家园】的业主档案 0 户:",
    effect: files,
    bad: { argv: ["rooms", "export", "NOPE"], exit: 1, says: "没有代码为 NOPE 的小区" },
  },
  "staff list": {
    happy: () => ["staff", "list", "HG"],
    shows: /^li\s+@li\s+客服前台助理/m,
    bad: { argv: ["staff", "list", "NOPE"], exit: 1, says: "没有代码为 NOPE 的小区" },
  },
  "staff role": {
    happy: () => ["staff", "role", "HG", "@li", "zone_specialist", "--zone", "a"],
    shows: "li 现为【虹港家园】的客服专员(管家)(分区:A区)。",
    effect: rolesOf("li"),
    bad: { argv: ["staff", "role", "HG", "@li", "boss"], exit: 2, says: "用法:npm run admin -- staff role" },
  },
  "staff remove": {
    happy: () => ["staff", "remove", "HG", "@li"],
    shows: "已移除 li 在【虹港家园】的全部权限",
    effect: rolesOf("li"),
    bad: { argv: ["staff", "remove", "HG", "@nobody"], exit: 1, says: "找不到“@nobody”" },
  },
  "audit list": {
    async happy({ w }) {
      await w.admin("chat", "unbind", "telegram", GROUP);
      w.take();
      return ["audit", "list", "HG"];
    },
    shows: new RegExp(`解绑群\\s+telegram:${GROUP}`),
    bad: { argv: ["audit", "list", "NOPE"], exit: 1, says: "没有代码为 NOPE 的小区" },
  },
  "chat unbind": {
    happy: () => ["chat", "unbind", "telegram", GROUP],
    shows: `已解除 telegram ${GROUP} 与【虹港家园】的绑定`,
    effect: async ({ w }) => (await w.db.store.chatBinding({ platform: "telegram", chatId: GROUP }))?.active,
    bad: { argv: ["chat", "unbind", "whatsapp", GROUP], exit: 2, says: "用法:npm run admin -- chat unbind" },
  },
  "register export": {
    async happy({ w, dir }) {
      await w.db.use(letterRegisterStore).registerLetter({
        propertyId: w.property.id, year: 2026, intakeId: "letter-1", receivedOn: "2026-12-01", sender: "刘女士", summary: "电梯噪音扰民",
        scans: [], registeredAt: w.clock.now(), registeredById: w.people.li.id,
      });
      return ["register", "export", "HG", "2026", "--out", dir];
    },
    shows: "(1 件来信)",
    effect: files,
    bad: { argv: ["register", "export", "HG", "26"], exit: 2, says: "用法:npm run admin -- register export" },
  },
};

describe("the table of admin commands", () => {
  it("has a row for every command the tool knows, and none it does not", () => {
    expect(Object.keys(ROWS).sort()).toEqual([...COMMAND_NAMES].sort());
  });
});

describe.each(backends())("every admin command on $name", (backend) => {
  let c: Ctx;
  beforeEach(async () => {
    c = { w: await staffWorld(backend), dir: mkdtempSync(join(tmpdir(), "admin-")) };
    c.w.take();
  });
  afterEach(async () => {
    rmSync(c.dir, { recursive: true, force: true });
    await c.w.close();
  });
  const state = (row: Row) => (row.effect ? row.effect(c) : Promise.resolve(null));

  it("the tool's own --help names every command, in both operator languages", async () => {
    for (const locale of ["zh-CN", "en"] as const) {
      expect(await c.w.adminIn(locale, "--help")).toBe(0);
      const said = c.w.take();
      for (const name of COMMAND_NAMES) expect(said, `${locale}: ${name}`).toContain(name);
    }
  });

  describe.each(Object.entries(ROWS))("%s", (name, row) => {
    it("happy path: exits 0, says what it did, and does it", async () => {
      const argv = await row.happy(c);
      const before = await state(row);
      expect(await c.w.admin(...argv)).toBe(0);
      expect(c.w.take()).toMatch(row.shows);
      if (row.effect) expect(await state(row)).not.toEqual(before);
    });

    it("bad input: exits non-zero, says why, changes nothing", async () => {
      const before = await state(row);
      expect(await c.w.admin(...row.bad.argv)).toBe(row.bad.exit);
      expect(c.w.take()).toContain(row.bad.says);
      expect(await state(row)).toEqual(before);
    });

    it("--help: its own usage, exit 0, and nothing done", async () => {
      const argv = await row.happy(c);
      const before = await state(row);
      expect(await c.w.admin(...argv, "--help")).toBe(0);
      const said = c.w.take();
      expect(said).toContain(name);
      expect(said).toMatch(/^用法:/);
      expect(said).not.toMatch(row.shows);
      expect(await state(row)).toEqual(before);
    });
  });
});
