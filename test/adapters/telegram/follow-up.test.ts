/**
 * Issue 11's acceptance on Telegram: the owner's conversation after filing, through real grammY (and Telegraf)
 * over HTTP against the fake Bot API, both desks over one SQLite store, the real catalogs and the
 * real outbox sender over the bot's transport. Staff work from the bound group and their private
 * chat; the owner answers with Telegram's "reply", sends photos, and writes in zh-CN or en.
 */
import type { Message, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegrafBot } from "../../../src/adapters/telegraf/telegraf.js";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { buttonRows, dataOf, type FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { freshSqliteStore } from "../../support/db.js";
import { AFTER_FILING, PUSHED } from "../../support/follow-up.js";
import { openTelegramDesks, type TelegramDesks } from "../../support/telegram-desks.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const WANG: User = { id: 2001, is_bot: false, first_name: "王强", language_code: "zh-hans" };

/** The owners, and how each types the intake's answers (numbers pick buttons). */
const LANGUAGES = [
  {
    ...AFTER_FILING["zh-CN"],
    locale: "zh-CN",
    owner: { id: 1001, is_bot: false, first_name: "张", last_name: "三", language_code: "zh-hans" } as User,
    complaint: ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"],
    rest: ["1", "1", "1", "跳过", "跳过", "跳过", "1"],
  },
  {
    ...AFTER_FILING.en,
    locale: "en",
    owner: { id: 1002, is_bot: false, first_name: "John", last_name: "Smith", language_code: "en" } as User,
    complaint: ["The security guard was very rude, I want to complain", "1", "3-1201", "Mr Smith", "13900001111", "2", "south gate", "skip", "1"],
    rest: ["1", "1", "1", "skip", "skip", "skip", "1"],
  },
] as const;

let desks: TelegramDesks;
let api: FakeBotApi;
let store: Stores;
let turn: TelegramDesks["turn"];
let say: TelegramDesks["say"];
let deliver: TelegramDesks["deliver"];
let invite: TelegramDesks["invite"];
let botMessage: TelegramDesks["botMessage"];

/** The same options on either runtime; only the SDK inside differs. */
const RUNTIMES = [
  { name: "grammY", create: createGrammyBot },
  { name: "Telegraf", create: createTelegrafBot },
];

async function open(create: (typeof RUNTIMES)[number]["create"]): Promise<void> {
  desks = await openTelegramDesks({ create, opened: await freshSqliteStore() });
  ({ api, store, turn, say, deliver, invite, botMessage } = desks);
}

afterEach(() => desks.close());

/** The staff group bound, 王强 a 管家 of the property. */
async function setUpStaff(): Promise<void> {
  const bind = await invite({ kind: "bind", purpose: "staff", department: null });
  await turn(() => api.userMessage({ chat: GROUP, text: `/bind@${api.botInfo.username} ${bind}`, from: WANG }));
  await say(`/join ${await invite({ kind: "join", role: "zone_specialist", zoneId: null })}`, WANG);
}

function card(number: string): Message {
  return botMessage(GROUP.id, ` ${number} · `);
}

describe.each(RUNTIMES)("Telegram on $name", ({ create }) => {
  beforeEach(() => open(create));

  describe.each(LANGUAGES)("an owner writing $locale after filing", (l) => {
    beforeEach(async () => {
      await setUpStaff();
      for (const line of l.complaint) await say(line, l.owner);
      await deliver();
      await turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
      await turn(() => api.userMessage({ chat: GROUP, text: "/reply HG-0001 明天上午处理", from: WANG }));
      await deliver();
    });

    it("answers the staff reply with a thank-you, then reports a new leak: two tickets, the thank-you on the first", async () => {
      const staffReply = botMessage(l.owner.id, l.staffReply);
      let r = await say(l.thanks, l.owner, staffReply);
      expect(r.text).toBe(l.thanked);
      await deliver();
      // The follower was pushed the owner's words in private, with the ticket's 详情 button.
      const pushed = botMessage(WANG.id, "业主补充了工单 HG-0001");
      expect(pushed.text).toBe(PUSHED.text(l.thanks));
      expect(buttonRows(pushed)).toEqual([["详情"]]);

      r = await say(l.leak, l.owner);
      expect(r.text).toContain(l.newMatter);
      for (const line of l.rest) r = await say(line, l.owner);
      expect(r.text).toContain("HG-0002");
      const first = (await store.ticketByNumber("HG-0001"))!;
      const leak = (await store.ticketByNumber("HG-0002"))!;
      expect(leak.kind).toBe("repair");
      expect(leak.description).toBe(l.leak);
      expect(leak.description).not.toContain(l.thanks);
      const added = (await store.ticketEvents(first.id)).filter((e) => e.type === "info_added");
      expect(added.map((e) => e.data)).toEqual([{ text: l.thanks }]);
    });

    it("a photo captioned /add HG-0001 lands on HG-0001, and the card shows the count", async () => {
      const r = await turn(() => api.userPhoto({ from: l.owner, caption: "/add HG-0001" }));
      expect(r.text).toBe(l.photoAdded);
      expect((await store.ticketByNumber("HG-0001"))!.photoCount).toBe(1);
      await deliver();
      const shown = card("HG-0001");
      expect(shown.text).toContain("照片:1 张");
      const pushed = botMessage(WANG.id, "照片");
      expect(pushed.text).toBe(PUSHED.photo);
      expect(buttonRows(pushed)).toEqual([["详情", "照片(1)"]]);

      // Staff open it from the card's 照片 button: the owner's photo itself, by Telegram's file id.
      expect(buttonRows(shown).flat()).toEqual(["详情", "照片(1)"]);
      const since = api.calls.length;
      const opened = await turn(() => api.pressButton({ message: shown, data: dataOf(shown, "照片(1)"), from: WANG }));
      expect(opened.text).toBe("工单 HG-0001 的照片共 1 张,下面是最近的 1 张。");
      const photo = await api.waitForCall((c) => c.method === "sendPhoto" && !c.error, { since });
      expect(photo.params).toMatchObject({ chat_id: GROUP.id });
      expect(String(photo.params.photo)).toMatch(/_1280$/); // the sharpest size the owner sent
    });

    it("with two open tickets the owner is asked which one; a reply to a ticket's message goes to it", async () => {
      for (const line of [l.leak, ...l.rest]) await say(line, l.owner);
      let r = await say(l.home, l.owner);
      expect(r.text).toBe(l.which);
      expect(r.buttons).toEqual(l.whichButtons);
      r = await turn(() => {
        const asked = botMessage(l.owner.id, l.which);
        return api.pressButton({ message: asked, data: dataOf(asked, l.whichButtons[1]) });
      });
      expect(r.text).toBe(l.added("HG-0001"));

      // Replying to the message about HG-0002's filing: no question, it goes there.
      r = await say(l.question, l.owner, botMessage(l.owner.id, "HG-0002"));
      expect(r.text).toBe(l.added("HG-0002"));
      const events = async (n: string) => (await store.ticketEvents((await store.ticketByNumber(n))!.id)).filter((e) => e.type === "info_added").map((e) => e.data);
      expect(await events("HG-0001")).toEqual([{ text: l.home }]);
      expect(await events("HG-0002")).toEqual([{ text: l.question }]);
    });
  });
});
