/**
 * 收文登记簿 on Telegram (issue 12, item 3; seed 000 §2(2)B): a written complaint registered with
 * a photo of the letter, presented to the director with its register number, refused a resolution
 * without a written reply, resolved with one, the printable reply and the register's workbook sent
 * and read back. Real grammY against the fake Bot API, SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import type { User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { letterRegisterStore } from "../../../src/infra/prisma/letters.js";
import type { FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { dataOf } from "../../fakes/telegram-bot-api.js";
import { backends, type TestStore } from "../../support/db.js";
import { letterExtensions, REGISTER_HEADERS } from "../../support/letters.js";
import { openTelegramDesks, type TelegramDesks } from "../../support/telegram-desks.js";
import { openWorkbook } from "../../support/workbook.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const DIRECTORS = { id: -1009876543210, title: "虹港家园主任群" };
const LI: User = { id: 2002, is_bot: false, first_name: "小李", language_code: "zh-hans" };
const LETTER = "对物业管理处工作人员的服务态度很不满意,要求书面答复";
const REPLY = "刘女士您好:\n\n来信收悉。经调查,当班客服人员确有态度不当之处,已批评教育并扣减当月考核分。\n\n感谢您的监督。";

let desks: TelegramDesks;
let api: FakeBotApi;
let opened: TestStore;

afterEach(() => desks.close());

const say = (text: string, from: User = LI) => desks.say(text, from);
const inGroup = (text: string) => desks.turn(() => api.userMessage({ chat: GROUP, text, from: LI }));
function press(chatId: number, text: string, label: string) {
  return desks.turn(() => {
    const m = desks.botMessage(chatId, text);
    return api.pressButton({ message: m, data: dataOf(m, label), from: LI });
  });
}
/** The bytes of the documents the bot sent to `chatId`, newest last. */
const documents = (chatId: number) => api.botDocuments(chatId).map((d) => ({ name: d.upload.filename, bytes: d.upload.bytes, caption: d.message.caption }));

describe.each(backends())("written complaints on Telegram (grammY) over $name", (backend) => {
  beforeEach(async () => {
    opened = await backend.open();
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    desks = await openTelegramDesks({ create: createGrammyBot, opened, extensions: (o) => letterExtensions(o, renderer) });
    api = desks.api;
    for (const [chat, purpose] of [[GROUP, "staff"], [DIRECTORS, "director"]] as const) {
      const code = await desks.invite({ kind: "bind", purpose, department: null });
      await desks.turn(() => api.userMessage({ chat, text: `/bind@${api.botInfo.username} ${code}`, from: LI }));
    }
    await say(`/join ${await desks.invite({ kind: "join", role: "front_desk", zoneId: null })}`);
    await say(`/join ${await desks.invite({ kind: "join", role: "supervisor", zoneId: null })}`);
  });

  it("registered with a photo, presented to the director, resolved only in writing, printed and exported", async () => {
    let r = await say(`/record 书面 5-0803 13700002222 ${LETTER}`);
    expect(r.text).toContain("请核对登记内容(书面):");
    expect(r.text).toContain("尚无来信照片");
    // The photo of the letter, sent while the record is open: kept with the draft, not an owner's message.
    r = await desks.turn(() => api.userPhoto({ from: LI, fileId: "AgACletter1" }));
    expect(r.text).toBe("已收到来信照片(共 1 份),提交时随工单存档。");
    r = await say("/record sender 刘女士");
    expect(r.text).toContain("来信人 刘女士");
    r = await say("/record received 11-20");
    expect(r.text).toContain("收文登记:收到日期 2026-11-20,来信人 刘女士,摘要:对物业管理处工作人员的服务态度很不满意,要求书面答复");
    expect(r.text).toContain("来信照片/扫描件 1 份");
    expect(await say("/record received 12-31")).toMatchObject({ text: "收到日期格式不对,如 2026-12-01 或 12-01,且不能晚于今天。" });

    r = await press(LI.id, "请核对登记内容", "来信已存档,提交");
    expect(r.text).toContain("已登记,工单号 HG-0001");
    expect(r.text).toContain("已登记收文登记簿,登记号 HG-收-2026-001(来信照片 1 份)。");
    // Another page of the letter, right after filing: the ticket's attachment and the entry's scan.
    r = await desks.turn(() => api.userPhoto({ from: LI, fileId: "AgACletter2" }));
    expect(r.text).toBe("来信照片已附到 HG-0001(收文 HG-收-2026-001)。");

    const ticket = (await desks.store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "letter", weight: "written", photoCount: 2, contactName: null });
    expect(await desks.store.ticketPhotos(ticket.id)).toEqual(["tg:AgACletter1_1280", "tg:AgACletter2_1280"]);
    const entry = (await opened.use(letterRegisterStore).letterOfTicket(ticket.id))!;
    expect(entry).toMatchObject({ number: "HG-收-2026-001", receivedOn: "2026-11-20", sender: "刘女士", scans: ["tg:AgACletter1_1280", "tg:AgACletter2_1280"] });

    await desks.deliver();
    expect(desks.botMessage(DIRECTORS.id, "书面投诉").text).toBe(
      `📜 书面投诉 HG-0001(收文 HG-收-2026-001,2026-11-20 收到,来信人 刘女士,房号 5-0803)已登记,呈主任阅示:${LETTER}`,
    );

    await inGroup("/claim HG-0001");
    r = await inGroup("/resolve HG-0001 已处理");
    expect(r.text).toBe("HG-0001 是书面投诉(收文 HG-收-2026-001),须以书面回复办结:/resolve HG-0001 书面: 回复内容");
    r = await inGroup("/resolve HG-0001");
    expect(r.text).toContain("须以书面回复办结");
    expect((await desks.store.ticketByNumber("HG-0001"))!.status).toBe("claimed");

    r = await inGroup(`/resolve HG-0001 书面: ${REPLY}`);
    expect(r.text).toContain("书面回复已存档(收文 HG-收-2026-001)。");
    expect(r.text).toContain("可打印的书面回复已私信发给您(收文 HG-收-2026-001)。");
    const resolved = (await desks.store.ticketByNumber("HG-0001"))!;
    expect(resolved.status).toBe("resolved");
    const resolveEvent = (await desks.store.ticketEvents(resolved.id)).find((e) => e.data.action === "resolve")!;
    expect(resolveEvent.data.result).toBe(REPLY);
    const kept = await opened.use(letterRegisterStore).letterReplies(entry.id);
    expect(kept.map((k) => k.text)).toEqual([REPLY]);

    await desks.deliver();
    const [printed] = documents(LI.id);
    expect(printed!.name).toBe("书面回复-HG-收-2026-001.html");
    expect(printed!.caption).toBe("书面回复 · 收文 HG-收-2026-001 · HG-0001");
    const html = printed!.bytes.toString("utf8");
    expect(html).toContain('<div class="letterhead">虹港家园物业服务中心</div>');
    for (const part of ["HG-收-2026-001", "HG-0001", "刘女士", "5-0803", "2026-11-20", LETTER, "经调查,当班客服人员确有态度不当之处", "@page { size: A4"]) expect(html).toContain(part);
    // Nothing in the document is fetched: no scripts, links or remote images.
    expect(html).not.toMatch(/<script|<link|src=|https?:/);

    r = await say("/letter HG-0001");
    expect(r.text).toBe("可打印的书面回复已发送(收文 HG-收-2026-001)。");
    r = await say("/export register 2026");
    expect(r.text).toBe("虹港家园 2026 年收文登记簿(1 件)已发送。");
    await desks.deliver();
    const [, again, register] = documents(LI.id);
    expect(again!.bytes.equals(printed!.bytes)).toBe(true);
    expect(register!.name).toBe("收文登记簿-HG-2026.xlsx");
    const ws = (await openWorkbook(register!.bytes)).worksheets[0]!;
    expect(ws.name).toBe("收文登记簿");
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(REGISTER_HEADERS);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      "HG-收-2026-001", "2026-11-20", "刘女士", LETTER, "5-0803", "HG-0001", "2026-11-23",
      REPLY.replace(/\s+/g, " "), "已处理",
    ]);
    expect(ws.rowCount).toBe(3);
  });

  it("a letter that is not a complaint is registered but resolved as usual; a register of a year with none is empty", async () => {
    let r = await say("/record 书面 3-1201 13900001111 建议小区增设儿童游乐设施");
    // A scanned letter as a PDF: kept as the letter's, though it is no photo to show back.
    r = await desks.turn(() => api.userDocument({ from: LI, fileName: "来信扫描.pdf" }));
    expect(r.text).toBe("已收到来信照片(共 1 份),提交时随工单存档。");
    r = await press(LI.id, "请核对登记内容", "来信已存档,提交");
    expect(r.text).toContain("登记号 HG-收-2026-001(来信照片 1 份)");
    const ticket = (await desks.store.ticketByNumber("HG-0001"))!;
    expect(ticket.weight).not.toBe("written");
    expect(await desks.store.ticketPhotos(ticket.id)).toEqual([expect.stringMatching(/^tgdoc:BQACdoc\d+$/)]);
    await inGroup("/claim HG-0001");
    r = await inGroup("/resolve HG-0001 已转交物业研究");
    expect(r.text).not.toContain("书面");
    expect((await desks.store.ticketByNumber("HG-0001"))!.status).toBe("resolved");
    // A photo with no letter being recorded, and long after the last one, is an owner's as before.
    desks.clock.advance(31 * 60_000);
    r = await desks.turn(() => api.userPhoto({ from: LI }));
    expect(r.text).not.toContain("来信照片");
    r = await say("/export register 2025");
    expect(r.text).toContain("2025 年收文登记簿(0 件)");
  });

  it("in the staff group: the letter's photo posted there is kept, a stranger's is nobody's, and escalated it is still answered in writing", async () => {
    const STRANGER: User = { id: 3003, is_bot: false, first_name: "路人" };
    let r = await inGroup("/record 书面 6-0101 13500004444 物业费收费标准不透明,特此投诉");
    expect(r.text).toContain("请核对登记内容(书面):");
    r = await desks.turn(() => api.userPhoto({ chat: GROUP, from: LI, fileId: "AgACgroup1" }));
    expect(r.text).toBe("已收到来信照片(共 1 份),提交时随工单存档。");
    const cat = api.userPhoto({ chat: GROUP, from: STRANGER, fileId: "AgACcat" });
    r = await press(GROUP.id, "请核对登记内容", "来信已存档,提交");
    expect(r.text).toContain("登记号 HG-收-2026-001(来信照片 1 份)");
    const ticket = (await desks.store.ticketByNumber("HG-0001"))!;
    expect(await desks.store.ticketPhotos(ticket.id)).toEqual(["tg:AgACgroup1_1280"]);

    await inGroup("/escalate HG-0001 业主要求总经理答复");
    expect((await desks.store.ticketByNumber("HG-0001"))!.weight).toBe("major");
    await inGroup("/claim HG-0001");
    r = await inGroup("/resolve HG-0001 已解释收费标准");
    expect(r.text).toContain("须以书面回复办结");
    r = await inGroup("/resolve HG-0001 written: 收费标准已在公告栏公示,详见附表。");
    expect(r.text).toContain("书面回复已存档(收文 HG-收-2026-001)。");
    expect((await desks.store.ticketByNumber("HG-0001"))!.status).toBe("resolved");
    // The stranger's photo, handled long before these turns, was answered nowhere.
    expect(api.botMessages(GROUP.id).some((m) => m.reply_to_message?.message_id === cat.message_id)).toBe(false);
    expect(await desks.store.ticketPhotos(ticket.id)).toEqual(["tg:AgACgroup1_1280"]);
  });
});
