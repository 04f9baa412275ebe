/**
 * 收文登记簿 on Slack (issue 12, item 3; seed 000 §2(2)B): a written complaint recorded from the
 * app's DM with a photo of the letter shared there, presented to the director's channel with its
 * register number, resolved in the staff channel only with a written reply, the printable reply
 * and the register's workbook uploaded to the staff member's DM and read back. Real Bolt against
 * the fake Web API, SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { letterRegisterStore } from "../../../src/infra/prisma/letters.js";
import { textOf } from "../../fakes/slack.js";
import { encode, imageFile, messageEvent } from "../../fakes/slack-payloads.js";
import { backends } from "../../support/db.js";
import { letterExtensions, REGISTER_HEADERS } from "../../support/letters.js";
import { closeLaunched, launch, STAFF_CHANNEL, WANG } from "../../support/slack-desks.js";
import { openWorkbook } from "../../support/workbook.js";

const OWNER = { user: "U0OWNERZH", channel: "D0OWNERZH" };
const DIRECTORS = "C0DIRECTOR";
const LETTER = "楼下商铺油烟扰民,多次反映无果,特致函要求书面答复";
const REPLY = "王先生您好:来信收悉。我中心已约谈商铺,限期于12月10日前加装油烟净化设备,届时将上门回访。";

afterEach(closeLaunched);

describe.each(backends())("written complaints on Slack over $name", (backend) => {
  it("registered with a photo from the DM, presented to the director, resolved only in writing, printed and exported", async () => {
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    const opened = await backend.open();
    const register = opened.use(letterRegisterStore);
    const h = await launch(OWNER, "zh-CN", { opened, extensions: (o) => letterExtensions(o, renderer) });
    await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
    await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "director", department: null })}`, DIRECTORS);
    await h.wang.command(`join ${await h.invite({ kind: "join", role: "front_desk", zoneId: null })}`);
    await h.wang.command(`join ${await h.invite({ kind: "join", role: "supervisor", zoneId: null })}`);

    let r = await h.wang.command(`record 书面 2-1501 13600003333 ${LETTER}`);
    expect(r.text).toContain("请核对登记内容(书面):");
    // The letter's photo shared in the DM with the app: the front desk's, not an owner's message.
    r = await h.wang.deliver(encode.event(messageEvent({ user: WANG.user, channel: WANG.dm, files: [imageFile("F0LETTER1", "letter.jpg")] })));
    expect(r.text).toBe("已收到来信照片(共 1 份),提交时随工单存档。");
    r = await h.wang.command("record sender 王先生");
    expect(r.text).toContain("来信照片/扫描件 1 份");
    r = await h.wang.press(r.posted.at(-1)!, "来信已存档,提交");
    expect(r.text).toContain("已登记收文登记簿,登记号 HG-收-2026-001(来信照片 1 份)。");

    const ticket = (await h.store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "letter", weight: "written", photoCount: 1 });
    expect(await h.store.ticketPhotos(ticket.id)).toEqual(["slack:F0LETTER1"]);
    await h.deliverAll();
    expect(h.slack.postedTo(DIRECTORS).map(textOf)).toContainEqual(expect.stringContaining("📜 书面投诉 HG-0001(收文 HG-收-2026-001,2026-11-23 收到,来信人 王先生,房号 2-1501)"));

    await h.wang.command("claim HG-0001", STAFF_CHANNEL);
    r = await h.wang.command("resolve HG-0001 已约谈商铺", STAFF_CHANNEL);
    expect(r.text).toContain("HG-0001 是书面投诉(收文 HG-收-2026-001),须以书面回复办结");
    expect((await h.store.ticketByNumber("HG-0001"))!.status).toBe("claimed");
    r = await h.wang.command(`resolve HG-0001 书面:${REPLY}`, STAFF_CHANNEL);
    expect(r.text).toContain("可打印的书面回复已私信发给您(收文 HG-收-2026-001)。");
    expect((await h.store.ticketByNumber("HG-0001"))!.status).toBe("resolved");
    const entry = (await register.letterOfTicket(ticket.id))!;
    expect((await register.letterReplies(entry.id)).map((x) => x.text)).toEqual([REPLY]);

    r = await h.wang.command("export register 2026");
    expect(r.text).toBe("虹港家园 2026 年收文登记簿(1 件)已发送。");
    await h.deliverAll();
    const files = h.slack.uploads.filter((u) => u.channel === WANG.dm || u.channel === WANG.user);
    expect(files.map((f) => f.filename)).toEqual(["书面回复-HG-收-2026-001.html", "收文登记簿-HG-2026.xlsx"]);
    const html = files[0]!.bytes.toString("utf8");
    for (const part of ["虹港家园物业服务中心", "HG-收-2026-001", "HG-0001", "王先生", "2-1501", LETTER, "限期于12月10日前加装油烟净化设备"]) expect(html).toContain(part);
    const ws = (await openWorkbook(files[1]!.bytes)).worksheets[0]!;
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(REGISTER_HEADERS);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(["HG-收-2026-001", "2026-11-23", "王先生", LETTER, "2-1501", "HG-0001", "2026-11-23", REPLY, "已处理"]);
  });
});
