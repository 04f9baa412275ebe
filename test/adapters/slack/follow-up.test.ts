/**
 * Issue 11's acceptance on Slack: the owner's conversation after filing, through real Bolt (HTTP
 * receiver, signed requests) against the fake Web API, both desks over one SQLite store, the real
 * catalogs and the real outbox sender over the Slack transport. Staff work from the bound
 * channel; the owner answers in a message's thread, shares photos, and writes in zh-CN or en.
 */
import { afterEach, describe, expect, it } from "vitest";
import { imageFile, textOf } from "../../fakes/slack.js";
import { AFTER_FILING, PUSHED } from "../../support/follow-up.js";
import { closeLaunched, launch, STAFF_CHANNEL, WANG, type SlackHarness } from "../../support/slack-desks.js";

/** The owners, and how each answers the intake (buttons pressed by their labels). */
const LANGUAGES = [
  {
    ...AFTER_FILING["zh-CN"],
    locale: "zh-CN",
    owner: { user: "U0OWNERZH", channel: "D0OWNERZH" },
    complaint: ["保安态度太差了,我要投诉", "对,继续", "3-1201", "王先生", "139 0000 1111", "公共区域", "南门岗亭", "跳过", "确认提交"],
    rest: ["对,继续", "是", "家里", "跳过", "跳过", "跳过", "确认提交"],
  },
  {
    ...AFTER_FILING.en,
    locale: "en",
    owner: { user: "U0OWNEREN", channel: "D0OWNEREN" },
    complaint: ["The security guard was very rude, I want to complain", "Yes, continue", "3-1201", "Mr Smith", "13900001111", "Common area", "south gate", "Skip", "Submit"],
    rest: ["Yes, continue", "Yes", "At home", "Skip", "Skip", "Skip", "Submit"],
  },
] as const;

type Harness = SlackHarness;

afterEach(closeLaunched);

/** Staff channel bound, 王磊 a 管家; the owner files a complaint, 王磊 claims it and replies. */
async function filedAndAnswered(h: Harness, complaint: readonly string[]): Promise<void> {
  await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
  await h.wang.command(`join ${await h.invite({ kind: "join", role: "zone_specialist", zoneId: null })}`);
  const filed = await h.script(complaint);
  expect(filed.text).toContain("HG-0001");
  await h.deliverAll();
  await h.wang.command("claim HG-0001", STAFF_CHANNEL);
  await h.wang.command("reply HG-0001 明天上午处理", STAFF_CHANNEL);
  await h.deliverAll();
}

const infoAdded = async (h: Harness, number: string) =>
  (await h.store.ticketEvents((await h.store.ticketByNumber(number))!.id)).filter((e) => e.type === "info_added").map((e) => e.data);

describe.each(LANGUAGES)("an owner writing $locale after filing, on Slack", (l) => {
  it("answers the staff reply in its thread with a thank-you, then reports a new leak: two tickets, the thank-you on the first", async () => {
    const h = await launch(l.owner, l.locale);
    await filedAndAnswered(h, l.complaint);
    const staffReply = h.ownerMessage(l.staffReply);
    let r = await h.owner.message({ text: l.thanks, threadTs: staffReply.ts });
    expect(r.text).toBe(l.thanked);
    expect(h.slack.calls.some((c) => c.method === "conversations.replies" && c.params.ts === staffReply.ts)).toBe(true);
    await h.deliverAll();
    // 王磊 follows it: he is pushed the owner's words in his DM.
    expect(h.slack.postedTo(WANG.dm).map(textOf)).toContain(PUSHED.text(l.thanks));

    r = await h.owner.say(l.leak);
    expect(r.text).toContain(l.newMatter);
    r = await h.script(l.rest);
    expect(r.text).toContain("HG-0002");
    const leak = (await h.store.ticketByNumber("HG-0002"))!;
    expect(leak.description).toBe(l.leak);
    expect(leak.description).not.toContain(l.thanks);
    expect(await infoAdded(h, "HG-0001")).toEqual([{ text: l.thanks }]);
    expect(h.logged.filter((line) => /error/i.test(line))).toEqual([]);
  });

  it("a photo captioned add HG-0001 lands on HG-0001 and the card shows the count", async () => {
    const h = await launch(l.owner, l.locale);
    await filedAndAnswered(h, l.complaint);
    const r = await h.owner.message({ text: "add HG-0001", files: [imageFile("F0LEAK")] });
    expect(r.text).toBe(l.photoAdded);
    expect((await h.store.ticketByNumber("HG-0001"))!.photoCount).toBe(1);
    await h.deliverAll();
    const card = h.slack.postedTo(STAFF_CHANNEL).find((m) => !m.thread_ts && textOf(m).includes("HG-0001 · "))!;
    expect(textOf(card)).toContain("照片:1 张");

    // Staff open it from the card's 照片 button: the owner's file shown by its id, to the one who asked.
    const opened = await h.wang.press(card, "照片(1)");
    expect(opened.text).toBe("工单 HG-0001 的照片共 1 张,下面是最近的 1 张。");
    expect(opened.posted.flatMap((m) => m.blocks)).toContainEqual({ type: "image", slack_file: { id: "F0LEAK" }, alt_text: "业主的照片" });
  });

  it("with two open tickets the owner is asked which one; a thread under a ticket's message goes to it", async () => {
    const h = await launch(l.owner, l.locale);
    await filedAndAnswered(h, l.complaint);
    await h.script([l.leak, ...l.rest]);
    let r = await h.owner.say(l.home);
    expect(r.text).toBe(l.which);
    expect(r.choices).toEqual(l.whichButtons);
    r = await h.owner.press(l.whichButtons[1]);
    expect(r.text).toBe(l.added("HG-0001"));

    r = await h.owner.message({ text: l.question, threadTs: h.ownerMessage("HG-0002").ts });
    expect(r.text).toBe(l.added("HG-0002"));
    expect(await infoAdded(h, "HG-0001")).toEqual([{ text: l.home }]);
    expect(await infoAdded(h, "HG-0002")).toEqual([{ text: l.question }]);
  });
});
