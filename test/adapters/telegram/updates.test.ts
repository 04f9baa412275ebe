import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { buttonsPerRow, MAX_TEXT, splitText, telegramMessages } from "../../../src/adapters/telegram/render.js";
import { routeUpdate } from "../../../src/adapters/telegram/route.js";
import { inboundFromUpdate } from "../../../src/adapters/telegram/updates.js";
import type { Choice, Outcome } from "../../../src/core/messages.js";
import { t } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";

const BOT = "guanjia_bot";
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
const owner = { id: 42, is_bot: false, first_name: "Li", last_name: "Wei", language_code: "zh-hans" };
const privateChat = { id: 42, type: "private", first_name: "Li" };
const group = { id: -1001234567890, type: "supergroup", title: "业主群" };

function message(fields: Partial<Message>, chat: object = privateChat): Update {
  return { update_id: 1, message: { message_id: 7, date: 1_700_000_000, chat, from: owner, ...fields } } as Update;
}
const body = (u: Update) => inboundFromUpdate(u)?.body ?? null;
const command = (text: string, length: number) => message({ text, entities: [{ type: "bot_command", offset: 0, length }] });
const file = (id: string) => ({ file_id: id, file_unique_id: `u${id}` });

describe("Telegram updates as the owner desk's Inbound", () => {
  it("a private text names the conversation, the owner and their language", () => {
    expect(inboundFromUpdate(message({ text: "楼上漏水" }))).toEqual({
      channel: "telegram",
      conversationKey: "telegram:42:42",
      sender: { platformUserId: "42", displayName: "Li Wei", languageCode: "zh-hans" },
      body: { type: "text", text: "楼上漏水", messageId: "7" },
    });
    const bare = message({ text: "hi", from: { id: 43, is_bot: false, first_name: "Ann" } }, { ...privateChat, id: 43 });
    expect(inboundFromUpdate(bare)!.sender).toEqual({ platformUserId: "43", displayName: "Ann", languageCode: undefined });
  });

  it("an owner's edit in a private chat carries the new words and the message's id; other edits are nobody's", () => {
    const edit = (fields: Partial<Message>, chat: object = privateChat) => ({ update_id: 2, edited_message: message(fields, chat).message }) as Update;
    expect(body(edit({ text: "3-1202" }))).toEqual({ type: "edit", text: "3-1202", messageId: "7" });
    expect(body(edit({ photo: [{ ...file("p"), width: 1, height: 1 }], caption: "新说明" }))).toEqual({ type: "edit", text: "新说明", messageId: "7" });
    // A live location is an edit every few seconds, without words: not the owner speaking.
    expect(body(edit({ location: { latitude: 31.2, longitude: 121.5, live_period: 60 } }))).toBeNull();
    expect(body(edit({ text: "x" }, group))).toBeNull();
    expect(body(edit({ text: "x", from: { ...owner, is_bot: true } }))).toBeNull();
    expect(routeUpdate(edit({ text: "3-1202" }), BOT)).toMatchObject({ to: "owner", inbound: { body: { type: "edit" } } });
  });

  it("group chats, bots and service messages are not for the desk", () => {
    expect(inboundFromUpdate(message({ text: "楼上漏水" }, group))).toBeNull();
    expect(inboundFromUpdate(message({ text: "楼上漏水" }, { id: -5, type: "group", title: "G" }))).toBeNull();
    expect(inboundFromUpdate(message({ text: "hi", from: { ...owner, is_bot: true } }))).toBeNull();
    expect(body(message({ pinned_message: { message_id: 3, date: 0, chat: privateChat } } as Partial<Message>))).toBeNull();
    expect(body(message({ write_access_allowed: {} }))).toBeNull();
  });

  it("commands in a private chat, addressed to us, to nobody or to another bot", () => {
    expect(body(command(`/status@${BOT} HG-1`, 19))).toEqual({ type: "command", command: "status", args: "HG-1" });
    expect(body(command("/status@Guanjia_Bot  HG-1 ", 19))).toEqual({ type: "command", command: "status", args: "HG-1" });
    expect(body(command("/start", 6))).toEqual({ type: "command", command: "start", args: "" });
    // In a private chat only we read it: pasted with another bot's name, it is still answered.
    expect(body(command("/status@other_bot HG-1", 17))).toEqual({ type: "command", command: "status", args: "HG-1" });
    const midText = message({ text: "see /status", entities: [{ type: "bot_command", offset: 4, length: 7 }] });
    expect(body(midText)).toEqual({ type: "text", text: "see /status", messageId: "7" });
  });

  it("a photo is its largest size, with the caption", () => {
    const photo = [
      { ...file("small"), width: 90, height: 67 },
      { ...file("big"), width: 1280, height: 960 },
      { ...file("mid"), width: 320, height: 240 },
    ];
    expect(body(message({ photo, caption: "天花板" }))).toEqual({ type: "photo", fileRef: "tg:big", caption: "天花板" });
    expect(body(message({ photo }))).toEqual({ type: "photo", fileRef: "tg:big" });
  });

  it("an image sent as a file is a photo; any other file is a file", () => {
    const png = { ...file("doc1"), mime_type: "image/png", file_name: "a.png" };
    expect(body(message({ document: png, caption: "漏水" }))).toEqual({ type: "photo", fileRef: "tg:doc1", caption: "漏水" });
    expect(body(message({ document: { ...file("doc2"), mime_type: "application/pdf" } }))).toEqual({ type: "unsupported", media: "file" });
    expect(body(message({ document: file("doc3") }))).toEqual({ type: "unsupported", media: "file" });
  });

  it("media the desk cannot read yet", () => {
    const av = { ...file("v"), duration: 3 };
    const visual = { ...file("m"), width: 1, height: 1, duration: 1 };
    const location = { latitude: 31.2, longitude: 121.5 };
    const cases: [Partial<Message>, string][] = [
      [{ voice: av }, "voice"],
      [{ audio: av }, "voice"],
      [{ sticker: { ...file("s"), type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }, "sticker"],
      [{ video: visual }, "video"],
      [{ video_note: { ...file("n"), length: 1, duration: 1 } }, "video"],
      // Telegram sends an animation with a `document` too; it is still a video.
      [{ animation: visual, document: file("m") }, "video"],
      [{ location }, "location"],
      [{ venue: { location, title: "南门", address: "x" }, location }, "location"],
      [{ contact: { phone_number: "13800000000", first_name: "A" } }, "other"],
      [{ dice: { emoji: "🎲", value: 3 } }, "other"],
    ];
    for (const [fields, media] of cases) expect(body(message(fields)), media).toEqual({ type: "unsupported", media });
  });

  it("a pressed button is a choice in the owner's conversation", () => {
    const pressed = (data: string | undefined, chat: object = privateChat, withMessage = true) =>
      ({
        update_id: 3,
        callback_query: {
          id: "q1",
          from: owner,
          chat_instance: "c",
          ...(data === undefined ? {} : { data }),
          ...(withMessage ? { message: { message_id: 9, date: 1_700_000_000, chat } } : {}),
        },
      }) as Update;
    expect(inboundFromUpdate(pressed("loc:home"))).toMatchObject({
      conversationKey: "telegram:42:42",
      body: { type: "choice", value: "loc:home" },
    });
    expect(inboundFromUpdate(pressed("loc:home", group))).toBeNull();
    expect(inboundFromUpdate(pressed(undefined))).toBeNull();
    expect(inboundFromUpdate(pressed("loc:home", privateChat, false))).toBeNull();
  });
});

describe("an Outcome as Telegram messages", () => {
  const raw = (value: string) => t("common.raw", { value });
  const choices = (...labels: string[]): Choice[] => labels.map((l, i) => ({ value: `v${i}`, label: raw(l) }));
  const outcome = (...replies: Outcome["replies"]): Outcome => ({ locale: "zh-CN", replies });
  const rows = (kb: { inline_keyboard: { text: string }[][] } | undefined) => kb?.inline_keyboard.map((r) => r.map((b) => b.text));

  it("joins a reply without buttons to the next one; plain text; buttons carry the choice values", () => {
    const out = telegramMessages(outcome({ text: [raw("收到"), raw("*不是* <b>标记</b>")] }, { text: [raw("在家里还是公共区域?")], choices: choices("家里", "公共区域") }), renderer);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toBe("收到\n*不是* <b>标记</b>\n\n在家里还是公共区域?");
    expect(out[0]!.reply_markup!.inline_keyboard).toEqual([
      [
        { text: "家里", callback_data: "v0" },
        { text: "公共区域", callback_data: "v1" },
      ],
    ]);
    // A question with buttons ends a message: what follows starts the next one.
    const two = telegramMessages(outcome({ text: [raw("问题?")], choices: choices("是") }, { text: [raw("另外")] }), renderer);
    expect(two.map((m) => m.text)).toEqual(["问题?", "另外"]);
  });

  it("renders in the outcome's locale, or the reply's own, also when joined", () => {
    const out = telegramMessages(
      { locale: "en", replies: [{ text: [t("choice.yes")] }, { text: [t("choice.yes")], locale: "zh-CN" }] },
      renderer,
    );
    expect(out.map((m) => m.text)).toEqual(["Yes\n\n是"]);
  });

  it("lays buttons out three, two or one a row by label width", () => {
    expect(buttonsPerRow(["投诉", "报修", "咨询", "我的工单"])).toBe(3);
    expect(buttonsPerRow(["Yes, continue", "Change type"])).toBe(2);
    expect(buttonsPerRow(["Report the new one first"])).toBe(1);
    const five = telegramMessages(outcome({ text: [raw("?")], choices: choices("投诉", "报修", "咨询", "建议", "表扬") }), renderer);
    expect(rows(five[0]!.reply_markup)).toEqual([["投诉", "报修", "咨询"], ["建议", "表扬"]]);
    const en = telegramMessages(outcome({ text: [raw("?")], choices: choices("Yes, continue", "Change type", "Change category") }), renderer);
    expect(rows(en[0]!.reply_markup)).toEqual([["Yes, continue", "Change type"], ["Change category"]]);
  });

  it("refuses callback data over 64 bytes rather than have Telegram refuse the message", () => {
    const long = outcome({ text: [raw("?")], choices: [{ value: "房".repeat(22), label: raw("x") }] }); // 66 bytes
    expect(() => telegramMessages(long, renderer)).toThrow(/64 bytes/);
    const fits = outcome({ text: [raw("?")], choices: [{ value: "v".repeat(64), label: raw("x") }] });
    expect(telegramMessages(fits, renderer)).toHaveLength(1);
  });

  it("splits a text over 4096 characters, at line breaks, buttons under the last part", () => {
    const line = "业主反映:" + "楼道灯坏了。".repeat(50); // 305 characters
    const long = Array.from({ length: 30 }, () => line).join("\n");
    const out = telegramMessages(outcome({ text: [raw(long)], choices: choices("好") }), renderer);
    expect(out.length).toBe(3);
    expect(out.every((m) => m.text.length <= MAX_TEXT)).toBe(true);
    expect(out.map((m) => m.text).join("\n")).toBe(long);
    expect(out.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(out.at(-1)!.reply_markup).toBeDefined();
  });

  it("a text without line breaks is cut at the limit, never inside an emoji", () => {
    const text = "a".repeat(MAX_TEXT - 1) + "😀" + "b".repeat(10);
    const parts = splitText(text);
    expect(parts).toEqual(["a".repeat(MAX_TEXT - 1), "😀" + "b".repeat(10)]);
    expect(splitText("短")).toEqual(["短"]);
    expect(() => splitText("  \n ")).toThrow(/no text/);
  });
});

describe("which desk an update is for", () => {
  const staffMember = { id: 2001, is_bot: false, first_name: "王强", language_code: "zh-hans" };
  const sender = { platformUserId: "2001", displayName: "王强", languageCode: "zh-hans" };
  const typed = (text: string, chat: object, from: object = staffMember): Update => {
    const length = /^\/\S+/.exec(text)?.[0].length ?? 0;
    return { update_id: 5, message: { message_id: 11, date: 1_700_000_000, chat, from, text, ...(length ? { entities: [{ type: "bot_command", offset: 0, length }] } : {}) } } as Update;
  };
  const pressed = (data: string, chat: object, from: object = staffMember): Update =>
    ({ update_id: 6, callback_query: { id: "q", from, chat_instance: "c", data, message: { message_id: 12, date: 1_700_000_000, chat } } }) as Update;
  const removed = (status: string, chat: object = group): Update =>
    ({
      update_id: 7,
      my_chat_member: {
        chat,
        from: owner,
        date: 1_700_000_000,
        old_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "管家" } },
        new_chat_member: { status, user: { id: 1, is_bot: true, first_name: "管家" } },
      },
    }) as Update;

  it("staff commands, in a private chat or addressed to us in a group, go to the staff desk", () => {
    expect(routeUpdate(typed("/claim HG-0001", { ...privateChat, id: 2001 }), BOT)).toEqual({
      to: "staff",
      inbound: { channel: "telegram", chat: { id: "2001", kind: "private" }, sender, body: { type: "command", command: "claim", args: "HG-0001" } },
    });
    expect(routeUpdate(typed(`/Claim@${BOT}  HG-0001 `, group), BOT)).toEqual({
      to: "staff",
      inbound: { channel: "telegram", chat: { id: String(group.id), kind: "group" }, sender, body: { type: "command", command: "claim", args: "HG-0001" } },
      replyTo: 11,
    });
    expect(routeUpdate(typed("/bind ABCD2345", { id: -5, type: "group", title: "G" }), BOT)).toMatchObject({ to: "staff", inbound: { chat: { id: "-5", kind: "group" } } });
  });

  it("the rest of a private chat is the owner's; the rest of a group is nobody's", () => {
    expect(routeUpdate(typed("/status HG-0001", privateChat, owner), BOT)).toMatchObject({ to: "owner", inbound: { body: { type: "command", command: "status" } } });
    expect(routeUpdate(typed("楼上漏水", privateChat, owner), BOT)).toMatchObject({ to: "owner" });
    expect(routeUpdate(typed("/claim@other_bot HG-0001", group), BOT)).toBeNull();
    expect(routeUpdate(typed("/status HG-0001", group), BOT)).toBeNull();
    expect(routeUpdate(typed("今天谁值班?", group), BOT)).toBeNull();
    expect(routeUpdate(typed("/claim HG-0001", group, { ...staffMember, is_bot: true }), BOT)).toBeNull();
    expect(routeUpdate(typed("/claim HG-0001", { id: -1002, type: "channel", title: "公告" }), BOT)).toBeNull();
  });

  it("an owner addressing the bot in a group: a mention or a command for us, with the words kept", () => {
    expect(routeUpdate(typed(`@${BOT} 电梯坏了`, group, owner), BOT)).toMatchObject({ to: "group_owner", chatId: group.id, text: "电梯坏了" });
    expect(routeUpdate(typed(`/repair@${BOT} 水管爆了`, group, owner), BOT)).toMatchObject({ to: "group_owner", text: "水管爆了" });
    expect(routeUpdate(typed(`@${BOT}_fan 你好`, group, owner), BOT)).toBeNull(); // another account
    expect(routeUpdate(typed(`@${BOT}`, group, { ...owner, is_bot: true }), BOT)).toBeNull();
  });

  it("an unknown command addressed to us by name in a group is answered with help, in reply; another bot's or an unaddressed one is not ours", () => {
    const route = routeUpdate(typed(`/foo@${BOT} bar`, group, owner), BOT);
    expect(route).toMatchObject({ to: "unknown_command", replyTo: 11 });
    const outcome = route && route.to === "unknown_command" ? route.outcome : null;
    expect(outcome?.replies).toEqual([{ text: [t("error.unknown_command", { command: "foo" }), t("help.group")] }]);
    expect(routeUpdate(typed(`/foo@${BOT}`, { id: -5, type: "group", title: "G" }, { ...owner, language_code: "en" }), BOT)).toMatchObject({ outcome: { locale: "en" } });
    expect(routeUpdate(typed("/foo@other_bot", group, owner), BOT)).toBeNull();
    expect(routeUpdate(typed("/foo", group, owner), BOT)).toBeNull();
    // In a private chat the owner desk answers it, as any unknown command.
    expect(routeUpdate(typed(`/foo@${BOT}`, privateChat, owner), BOT)).toMatchObject({ to: "owner", inbound: { body: { type: "command", command: "foo" } } });
  });

  it("card buttons go to the staff desk, replying under the card in a group; owners' buttons to the owner desk", () => {
    expect(routeUpdate(pressed("claim:HG-0001", group), BOT)).toEqual({
      to: "staff",
      inbound: { channel: "telegram", chat: { id: String(group.id), kind: "group" }, sender, body: { type: "choice", value: "claim:HG-0001" } },
      replyTo: 12,
    });
    expect(routeUpdate(pressed("ticket:HG-0001", { ...privateChat, id: 2001 }), BOT)).toMatchObject({ to: "staff", inbound: { chat: { kind: "private" } } });
    expect(routeUpdate(pressed("rate:HG-0001:dissatisfied", privateChat, owner), BOT)).toMatchObject({ to: "owner", inbound: { body: { value: "rate:HG-0001:dissatisfied" } } });
    expect(routeUpdate(pressed("loc:home", group), BOT)).toBeNull();
  });

  it("the bot kicked from or leaving a group; not being added, nor a private chat's block", () => {
    expect(routeUpdate(removed("kicked"), BOT)).toEqual({ to: "group_left", chatId: String(group.id) });
    expect(routeUpdate(removed("left", { id: -5, type: "group", title: "G" }), BOT)).toEqual({ to: "group_left", chatId: "-5" });
    expect(routeUpdate(removed("administrator"), BOT)).toBeNull();
    expect(routeUpdate(removed("kicked", privateChat), BOT)).toBeNull();
  });
});
