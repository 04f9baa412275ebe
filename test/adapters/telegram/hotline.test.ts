/**
 * Issue 14's acceptance on Telegram through real grammY against the fake Bot API, both desks over
 * one SQLite store, the real catalogs and outbox sender: a first-time matter sent to the hotline
 * is redirected and filed with the property; the owner rates 不满意 twice and takes it to the
 * hotline; the property head sets the measures and names the department head; both callbacks and
 * the closing callback are made; a case left 7 days produces the written report; an officer
 * records a phone call with the standard greeting; a major case reaches the general manager.
 */
import type { Message, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { hotlineExtension } from "../../../src/core/hotline/extension.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import { hotlineStore } from "../../../src/infra/prisma/hotline.js";
import { hotlineSweep } from "../../../src/core/hotline/sweep.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { createHotlineFiles } from "../../../src/infra/export/hotline-workbook.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { buttonRows, dataOf, type FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { freshSqliteStore, type TestStore } from "../../support/db.js";
import { openTelegramDesks, type TelegramDesks } from "../../support/telegram-desks.js";
import { hotlineDeps } from "../../support/hotline.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const HOTLINE_GROUP = { id: -1009999, title: "总经理热线(全质办)" };
const OWNER: User = { id: 1001, is_bot: false, first_name: "张", last_name: "三", language_code: "zh-hans" };
const WANG: User = { id: 2001, is_bot: false, first_name: "王强", username: "wangqiang", language_code: "zh-hans" };
const HEAD: User = { id: 2002, is_bot: false, first_name: "李总", language_code: "zh-hans" };
const OFFICER: User = { id: 3001, is_bot: false, first_name: "周专员", language_code: "zh-hans" };
const GM: User = { id: 3002, is_bot: false, first_name: "陈总经理", language_code: "zh-hans" };
const COMPLAINT = ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"];

let desks: TelegramDesks;
let api: FakeBotApi;
let opened: TestStore;

afterEach(() => desks.close());

beforeEach(async () => {
  opened = await freshSqliteStore();
  desks = await openTelegramDesks({ create: createGrammyBot, opened, extensions: (o) => [hotlineExtension(hotlineDeps(o))], hotline: hotlineDeps });
  api = desks.api;
  const { turn, say, invite } = desks;
  const company = (grant: Parameters<ReturnType<typeof hotlineStore>["createCompanyInvite"]>[0]) =>
    opened.use(hotlineStore).createCompanyInvite(grant, new Date(desks.clock.now().getTime() + 86_400_000), desks.clock.now()).then((i) => i.code);
  const staffCode = await invite({ kind: "bind", purpose: "staff", department: null });
  await turn(() => api.userMessage({ chat: GROUP, text: `/bind@${api.botInfo.username} ${staffCode}`, from: WANG }));
  await say(`/join ${await invite({ kind: "join", role: "zone_specialist", zoneId: null })}`, WANG);
  await say(`/join ${await invite({ kind: "join", role: "property_head", zoneId: null })}`, HEAD);
  expect((await say(`/join ${await company({ kind: "join", role: "hotline_officer" })}`, OFFICER)).text).toContain("热线专员");
  expect((await say(`/join ${await company({ kind: "join", role: "general_manager" })}`, GM)).text).toContain("总经理");
  const groupCode = await company({ kind: "bind" });
  const bound = await turn(() => api.userMessage({ chat: HOTLINE_GROUP, text: `/bind@${api.botInfo.username} ${groupCode}`, from: OFFICER }));
  expect(bound.text).toContain("总经理热线群");
});

function card(number: string): Message {
  return desks.botMessage(GROUP.id, ` ${number} · `);
}

describe("the general manager's hotline on grammY", () => {
  it("a first-time matter is redirected to the property and filed there; rated 不满意 twice, it goes to the hotline, and the property head sets the measures", async () => {
    const { say, turn, deliver, botMessage } = desks;
    // §4.1: nothing handled yet, so the owner is guided to the property and offered to file at once.
    let r = await say("/hotline", OWNER);
    expect(r.text).toContain("请先向楼盘反映");
    expect(r.text).toContain("监督各楼盘的工作质量");
    expect(r.buttons).toEqual(["向楼盘报修", "向楼盘投诉"]);
    const offer = botMessage(OWNER.id, "请先向楼盘反映");
    r = await turn(() => api.pressButton({ message: offer, data: dataOf(offer, "向楼盘投诉"), from: OWNER }));
    for (const line of COMPLAINT) r = await say(line, OWNER);
    expect(r.text).toContain("HG-0001");
    await deliver();

    // Claimed, resolved, rated 不满意 (reopened), resolved again, rated 不满意 again.
    await turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
    for (let round = 1; round <= 2; round++) {
      if (round === 2) await turn(() => api.userMessage({ chat: GROUP, text: `/claim@${api.botInfo.username} HG-0001`, from: WANG }));
      await turn(() => api.userMessage({ chat: GROUP, text: `/resolve@${api.botInfo.username} HG-0001 已和保安队长谈话`, from: WANG }));
      await deliver();
      const resolved = api.botMessages(OWNER.id).reverse().find((m) => buttonRows(m).flat().includes("不满意"))!;
      // Resolved again after a reopen, the notice itself offers the hotline (issue 14 item 2).
      expect(buttonRows(resolved).flat().includes("转总经理热线")).toBe(round === 2);
      r = await turn(() => api.pressButton({ message: resolved, data: dataOf(resolved, "不满意"), from: OWNER }));
      expect(r.buttons).toEqual(["转总经理热线"]);
    }
    expect((await desks.store.ticketByNumber("HG-0001"))!.reopenCount).toBe(2);
    const toHotline = botMessage(OWNER.id, "转总经理热线");
    r = await turn(() => api.pressButton({ message: toHotline, data: dataOf(toHotline, "转总经理热线"), from: OWNER }));
    expect(r.text).toContain("您好,总经理热线为您服务!");
    expect(r.text).toContain("HL2026-0001");
    await deliver();

    // §4.3.1: the case file to the property head in private, and logged in the hotline group; never in the staff group.
    const file = botMessage(HEAD.id, "热线处理档案 HL2026-0001");
    expect(file.text).toContain("/measures HL2026-0001");
    expect(botMessage(HOTLINE_GROUP.id, "HL2026-0001").text).toContain("已发给");
    expect(api.botMessages(GROUP.id).some((m) => m.text?.includes("HL2026"))).toBe(false);
    expect(api.botMessages(GM.id).some((m) => m.text?.includes("HL2026-0001"))).toBe(false);

    // §4.4: measures and the department head, who is told in private.
    r = await say("/measures HL2026-0001 @wangqiang 保安队长今天上门致歉,调岗处理", HEAD);
    expect(r.text).toContain("已记录 HL2026-0001 的处理措施");
    await deliver();
    expect(botMessage(WANG.id, "指派您处理这份热线档案").text).toContain("保安队长今天上门致歉");
    // The staff group cannot read it (§4.8).
    r = await turn(() => api.userMessage({ chat: GROUP, text: `/case@${api.botInfo.username} HL2026-0001`, from: HEAD }));
    expect(r.text).toContain("无关人员不得传阅");

    // §4.6: the department head's first callback, the property's report that it is done, the property
    // head's second callback, and the officer's closing callback, which closes the case.
    expect((await say("/hlcall HL2026-0001 first 满意 业主接受道歉", WANG)).text).toContain("第一次回访(满意)");
    expect((await say("/hldone HL2026-0001 保安已调岗", WANG)).text).toContain("楼盘反馈已完成");
    expect((await say("/hlcall HL2026-0001 second 满意", HEAD)).text).toContain("第二次回访(满意)");
    expect((await say("/hlcall HL2026-0001 closing 满意 业主满意", OFFICER)).text).toContain("已结案");
    await deliver();
    expect(api.botMessages(HOTLINE_GROUP.id).filter((m) => m.text?.startsWith("HL2026-0001(")).map((m) => m.text!.split(":")[1]!.split(",")[0])).toEqual([
      "处理措施已确定", "第一次回访(满意)", "楼盘反馈处理完成", "第二次回访(满意)", "结案回访(满意)",
    ]);
  });

  it("a reopened ticket resolved again carries the hotline button on its resolution notice, and pressing it files the case", async () => {
    const { say, turn, deliver } = desks;
    for (const line of COMPLAINT) await say(line, OWNER);
    await deliver();
    await turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
    await turn(() => api.userMessage({ chat: GROUP, text: `/resolve@${api.botInfo.username} HG-0001 已批评教育`, from: WANG }));
    await deliver();
    const first = api.botMessages(OWNER.id).reverse().find((m) => buttonRows(m).flat().includes("不满意"))!;
    await turn(() => api.pressButton({ message: first, data: dataOf(first, "不满意"), from: OWNER }));
    await turn(() => api.userMessage({ chat: GROUP, text: `/claim@${api.botInfo.username} HG-0001`, from: WANG }));
    await turn(() => api.userMessage({ chat: GROUP, text: `/resolve@${api.botInfo.username} HG-0001 保安已调岗`, from: WANG }));
    await deliver();
    const again = api.botMessages(OWNER.id).reverse().find((m) => m.text?.includes("保安已调岗"))!;
    expect(again.text).toContain("可以转总经理热线");
    expect(buttonRows(again).flat()).toEqual(["满意", "较满意", "不满意", "转总经理热线"]);
    expect(dataOf(again, "转总经理热线")).toBe("hotline:HG-0001");
    const r = await turn(() => api.pressButton({ message: again, data: dataOf(again, "转总经理热线"), from: OWNER }));
    expect(r.text).toContain("HL2026-0001");
    expect((await opened.use(hotlineStore).caseByNumber("HL2026-0001"))!.tickets).toEqual(["HG-0001"]);
  });

  it("an open ticket past the 7-day mark offers the hotline when the owner looks at it, and not before", async () => {
    const { say, turn, deliver, clock } = desks;
    for (const line of COMPLAINT) await say(line, OWNER);
    await deliver();
    let r = await say("/status HG-0001", OWNER);
    expect(r.buttons).not.toContain("转总经理热线");
    expect(r.text).not.toContain("超过 7 天");
    clock.advance(7 * 24 * 3_600_000 + 60_000);
    r = await say("/status HG-0001", OWNER);
    expect(r.text).toContain("已超过 7 天仍未解决");
    expect(r.buttons).toContain("转总经理热线");
    // Never claimed, but the property has had it past the 7-day mark (§4.3.3): the hotline takes it.
    const view = desks.botMessage(OWNER.id, "已超过 7 天");
    r = await turn(() => api.pressButton({ message: view, data: dataOf(view, "转总经理热线"), from: OWNER }));
    expect(r.text).toContain("HL2026-0001");
    await deliver();
    expect(desks.botMessage(HEAD.id, "热线处理档案 HL2026-0001").text).toContain("保安态度太差");
  });

  it("a case left 7 days without a solution produces the written report to the general manager and the hotline group", async () => {
    const { say, deliver, botMessage, clock } = desks;
    for (const line of COMPLAINT) await say(line, OWNER);
    await deliver();
    await desks.turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
    await say("/hlrecord HG-0001 保安态度问题一直没人管", OFFICER);
    await say("/measures HL2026-0001 @wangqiang 约谈保安", HEAD);
    await deliver();
    clock.advance(7 * 24 * 3_600_000);
    const ledger = opened.use(createJobLedger);
    const hotlineFiles = createHotlineFiles({ renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"), timeZone: "Asia/Shanghai" });
    const deps = { hotline: opened.use(hotlineStore), store: desks.store, sla: { policyOf: async () => DEFAULT_SLA_POLICY }, ledger, staffLocale: "zh-CN" as const, hotlineFiles };
    expect((await hotlineSweep(deps, clock.now())).posted).toBeGreaterThan(0);
    await deliver();
    const report = botMessage(GM.id, "书面报告");
    expect(report.text).toContain("7 天内未能解决");
    expect(report.text).toContain("约谈保安");
    expect(botMessage(HOTLINE_GROUP.id, "书面报告").text).toContain("HL2026-0001");
    // §4.3.3 in writing: the printable document, to the general manager and the hotline group.
    for (const chat of [GM.id, HOTLINE_GROUP.id]) {
      const doc = api.botMessages(chat).find((m) => m.document?.file_name === "热线书面报告-HL2026-0001.html")!;
      expect(doc.caption).toContain("书面报告(可打印)");
      const html = api.uploads.get(doc.document!.file_id)!.bytes.toString("utf8");
      expect(html).toContain("约谈保安");
      expect(html).toContain("<li>第一次回访:");
      expect(html).toContain("<li>反馈处理回访表:");
    }
    expect((await hotlineSweep(deps, new Date(clock.now().getTime() + 3_600_000))).posted).toBe(0);
  });

  it("an officer records a call with the standard greeting; a major case reaches the general manager at once", async () => {
    const { say, deliver, botMessage } = desks;
    for (const line of COMPLAINT) await say(line, OWNER);
    await deliver();
    await desks.turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
    let r = await say("/hlrecord", OFFICER);
    expect(r.text).toContain("「您好,总经理热线为您服务!」");
    r = await say("/hlrecord HG-0001 13800001234 重大投诉:保安动手推搡业主,要求总经理处理", OFFICER);
    expect(r.text).toContain("HL2026-0001");
    await deliver();
    expect(botMessage(GM.id, "重大投诉").text).toContain("HL2026-0001");
    expect(botMessage(HEAD.id, "热线处理档案 HL2026-0001").text).toContain("13800001234");
  });
});
