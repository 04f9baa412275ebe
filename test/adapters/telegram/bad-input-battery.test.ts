/**
 * The bad-input battery (issue 10, item 8): some ninety things owners really send, thrown through
 * the real grammY adapter against the fake Bot API, with the real owner and staff desks over
 * SQLite behind it. Each message meant for us gets exactly one answer in the owner's language
 * (not none, not two), the conversation goes on to a filed ticket with nothing lost, and nothing
 * is logged as a warning or an error. Messages for another bot in a group get none.
 */
import type { Chat, Message, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { buttonData, DEFAULT_USER, FakeBotApi, type ApiCall } from "../../fakes/telegram-bot-api.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";

const BOT = "guanjia_test_bot";
const ENGLISH: User = { id: 3003, is_bot: false, first_name: "Ann", language_code: "en" };
const GROUP: Chat = { id: -1001234567890, type: "supergroup", title: "虹港家园业主群" };

/** The fake, plus what owners send that it has no helper for: edits and the rarer media. */
class BatteryApi extends FakeBotApi {
  sends(from: User, content: Partial<Message>, chat: Chat = privateChat(from)): Message {
    const message = this.storeMessage(chat, { from, ...content } as Omit<Message, "message_id" | "date" | "chat">);
    this.pushUpdate({ message } as never);
    return message;
  }

  edits(original: Message, change: Partial<Message>): void {
    const edited = { ...original, ...change, edit_date: Math.floor(Date.now() / 1000) };
    this.messages.set(`${original.chat.id}/${original.message_id}`, edited);
    this.pushUpdate({ edited_message: edited } as never);
  }
}

function privateChat(user: User): Chat {
  return { id: user.id, type: "private", first_name: user.first_name };
}

let api: BatteryApi;
let telegram: GrammyBot;
let store: Stores;
let closeStore: () => Promise<void>;
const logged: string[] = [];

beforeAll(async () => {
  api = new BatteryApi();
  const apiRoot = await api.start();
  ({ store, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  const logger = anyLevel((m, e) => void logged.push(`${m} ${String(e)}`));
  const clock = new TestClock();
  telegram = createGrammyBot({
    token: api.token,
    apiRoot,
    store,
    clock,
    renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"),
    transformers: "test",
    logger,
    desk: new OwnerDesk({ store, clock, ids: sequentialIds(), logger }),
    staffDesk: new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" }),
  });
  await telegram.start();
});

afterAll(async () => {
  await telegram.stop();
  await api.stop();
  await closeStore();
});

const sent = (chatId: number) => (c: ApiCall) => c.method === "sendMessage" && !c.error && Number(c.params.chat_id) === chatId;

/** Does `act` and returns the first message the bot sends to `chatId` after it. */
async function answerTo(chatId: number, act: () => unknown, timeoutMs = 8000): Promise<ApiCall> {
  const since = api.calls.length;
  act();
  return api.waitForCall(sent(chatId), { since, timeoutMs });
}

interface Case {
  readonly name: string;
  readonly chat: number;
  readonly act: () => unknown;
  /** 0 for what is another bot's business; 1 otherwise. */
  readonly answers?: 0 | 1;
  /** What the one answer must say. */
  readonly says?: RegExp;
}

interface Answered {
  readonly c: Case;
  readonly first: ApiCall;
}

/**
 * Runs the cases in order, waiting for each one's first answer; then a probe per chat, so that
 * (updates of a chat being handled one after another) everything a case caused was sent before
 * the next answered case's first message, and each answer can be counted.
 */
async function run(cases: readonly Case[], probes: ReadonlyMap<number, () => unknown>): Promise<Map<Case, string[]>> {
  const answered: Answered[] = [];
  const result = new Map<Case, string[]>();
  for (const c of cases) {
    if (c.answers === 0) {
      c.act();
      continue;
    }
    // No answer at all is recorded, not thrown: the battery reports every case that fails.
    const first = await answerTo(c.chat, c.act, 5000).catch(() => null);
    if (first) answered.push({ c, first });
    else result.set(c, []);
  }
  for (const [chat, act] of probes) answered.push({ c: { name: "probe", chat, act }, first: await answerTo(chat, act) });
  for (const [i, a] of answered.entries()) {
    if (a.c.name === "probe") continue;
    const next = answered.slice(i + 1).find((b) => b.c.chat === a.c.chat)!;
    const between = api.calls.filter((call) => call.index >= a.first.index && call.index < next.first.index && sent(a.c.chat)(call));
    result.set(a.c, between.map((call) => String(call.params.text)));
  }
  return result;
}

const CJK = /[\u4e00-\u9fff]/;
/** Words of a Chinese sentence; an English answer shows Chinese only in examples (A区5栋2单元301). */
const CHINESE_SENTENCE = /[请您我的了吗]/;
/** A locale key shown instead of its text means a missing translation. */
const RAW_KEY = /(^|\s)(error|ask|media|edit|help|lang|photo|intr|staff|workflow|group)\.[a-z_.]+/;

/** The text messages owners send, each a wrong answer to "what is your room number?". */
const ZH_TEXTS: readonly [string, string][] = [
  ["whitespace", "   "],
  ["tabs and newlines", "\n\t \n"],
  ["ideographic spaces", "\u3000\u3000"],
  ["zero-width space alone", "\u200B"],
  ["zero-width joiners and BOM", "\u200B\u200D\uFEFF\u2060"],
  ["angry emoji", "😡😡😡"],
  ["thumbs up", "👍"],
  ["emoji story", "🏠🔧💧"],
  ["keycap emoji", "1️⃣"],
  ["ZWJ family emoji", "👨‍👩‍👧"],
  ["flag emoji", "🇨🇳"],
  ["bangs", "!!!"],
  ["Chinese full stops", "。。。"],
  ["full-width question marks", "？？"],
  ["5,000 characters", "我家房号我也不记得了".repeat(500)],
  ["6,001 characters", "啊".repeat(6001)],
  ["6,001 Latin letters", "a".repeat(6001)],
  ["6,001 emoji", "😀".repeat(6001)],
  ["RTL marks around a wrong room", "\u200F3-12O1\u200E"],
  ["RTL override", "\u202Eمرحبا\u202C"],
  ["Arabic", "رقم الغرفة"],
  ["Hebrew", "שלום"],
  ["SQL drop", "'; DROP TABLE tickets; --"],
  ["SQL tautology", "' OR 'a'='a"],
  ["SQL union", "x UNION SELECT phone FROM Person"],
  ["HTML script", "<script>alert(1)</script>"],
  ["HTML link", "<a href='tg://user?id=1'>x</a>"],
  ["HTML entities", "&lt;&gt;&amp;&quot;"],
  ["Markdown", "**加粗** _斜体_ `代码`"],
  ["Markdown link", "[链接](https://example.com)"],
  ["MarkdownV2 specials", "_*[]()~`>#+-=|{}.!"],
  ["mentions", "@admin @everyone"],
  ["hashtags", "#房号 $HG"],
  ["a URL", "https://example.com"],
  ["format string", "%s%s%s%n"],
  ["template", "${process.env.TELEGRAM_BOT_TOKEN}"],
  ["template braces", "{{7*7}}"],
  ["null", "null"],
  ["undefined", "undefined"],
  ["backslash", "\\"],
  ["a bare slash", "/"],
  ["double slash", "//"],
  ["full-width digits, too few", "１２"],
  ["full-width letters", "ＡＢＣ"],
  ["full-width room with a letter O", "３－１２Ｏ１"],
  ["mixed language", "房号是 three 一二零一"],
  ["mixed, English first", "my room is 不知道"],
  ["English sentence", "I do not remember my room number"],
  ["a question back", "房号是什么意思?"],
  ["negative number", "-1"],
  ["huge number", "9".repeat(40)],
  ["control characters", "\u0000\u0007\u001b[31m"],
  ["lone surrogate", "\uD800"],
];

const ZH_COMMANDS: readonly [string, string, RegExp][] = [
  ["/skip of a required question", "/skip", /房号/],
  ["unknown command", "/foo", /没有 \/foo 这个命令/],
  ["unknown command to us by name", `/foo@${BOT}`, /没有 \/foo 这个命令/],
  ["unknown command to another bot", "/foo@other_bot bar", /没有 \/foo 这个命令/],
  ["owner command to another bot", "/status@other_bot", /房号/],
  ["help to another bot", "/help@other_bot", /\/list/],
  ["upper-case unknown", "/FOO", /这个命令/],
  ["/start again", `/start@${BOT}`, /房号/],
  ["/add without a number", "/add", /房号/],
  ["/status of no ticket", "/status HG-9999", /房号/],
  ["/list", "/list", /房号/],
  ["/claim from an owner", "/claim HG-0001", /./],
  ["/lang", "/lang", /./],
  ["/menu", "/menu", /./],
];

describe("the bad-input battery through grammY and the owner desk", () => {
  it("answers each message meant for it exactly once, in the owner's language; loses nothing; logs nothing", async () => {
    // Owner A (zh-CN): a complaint, up to the room question.
    const a = DEFAULT_USER;
    const description = api.userMessage({ text: "保安态度太差了,我要投诉" });
    const classified = await api.waitForCall(sent(a.id));
    const classifyMessage = classified.result as Message;
    const ok = buttonData(classifyMessage)[0]!;
    const roomAsked = await answerTo(a.id, () => api.pressButton({ message: classifyMessage, data: ok }));
    expect(String(roomAsked.params.text)).toContain("房号");

    // Owner B (en): the same, in English.
    const b = ENGLISH;
    const bFirst = api.sends(b, { text: "The security guard was very rude to my mother, I want to complain" });
    const bClassified = (await api.waitForCall(sent(b.id))).result as Message;
    await answerTo(b.id, () => api.pressButton({ message: bClassified, data: buttonData(bClassified)[0]!, from: b }));

    let wrongRoom: Message | undefined;
    let captioned: Message | undefined;
    const say = (text: string, from: User = a) => () => (from === a ? api.userMessage({ text, from }) : api.sends(from, { text }));
    const file = (id: string) => ({ file_id: id, file_unique_id: `u${id}` });
    const zh = (name: string, act: () => unknown, says: RegExp = /房号/): Case => ({ name, chat: a.id, act, says });
    const en = (name: string, act: () => unknown, says: RegExp = /room/i): Case => ({ name, chat: b.id, act, says });
    const group = (name: string, text: string, says?: RegExp): Case => ({
      name,
      chat: GROUP.id,
      act: () => api.userMessage({ text, chat: GROUP }),
      ...(says ? { says } : { answers: 0 }),
    });

    const cases: Case[] = [
      ...ZH_COMMANDS.map(([name, text, says]) => zh(name, say(text), says)),
      ...ZH_TEXTS.map(([name, text]) => zh(name, say(text))),
      zh("an empty text", () => api.sends(a, { text: "" })),
      zh("voice", () => api.userVoice()),
      zh("audio", () => api.sends(a, { audio: { ...file("aud"), duration: 5 } })),
      zh("sticker", () => api.userSticker()),
      zh("video", () => api.sends(a, { video: { ...file("vid"), width: 1, height: 1, duration: 3 } })),
      zh("video note", () => api.sends(a, { video_note: { ...file("vn"), length: 1, duration: 3 } })),
      zh("GIF", () => api.sends(a, { animation: { ...file("gif"), width: 1, height: 1, duration: 1 }, document: { ...file("gif") } })),
      zh("location", () => api.sends(a, { location: { latitude: 31.2, longitude: 121.5 } })),
      zh("venue", () => api.sends(a, { venue: { location: { latitude: 31.2, longitude: 121.5 }, title: "大堂", address: "3栋" }, location: { latitude: 31.2, longitude: 121.5 } })),
      zh("PDF", () => api.userDocument()),
      zh("zip", () => api.userDocument({ fileName: "photos.zip", mimeType: "application/zip" })),
      zh("contact card", () => api.sends(a, { contact: { phone_number: "13812345678", first_name: "张" } })),
      zh("dice", () => api.sends(a, { dice: { emoji: "🎲", value: 3 } })),
      zh("poll", () => api.sends(a, { poll: { id: "p", question: "?", options: [] } as unknown as Message["poll"] })),
      zh("photo", () => api.userPhoto()),
      zh("photo with a caption", () => (captioned = api.userPhoto({ caption: "大堂的照片" }))),
      zh("image sent as a file", () => api.userDocument({ fileName: "a.png", mimeType: "image/png" })),
      zh("stale button (the classification, pressed again)", () => api.pressButton({ message: classifyMessage, data: ok })),
      zh("forged stale button", () => api.pressButton({ message: classifyMessage, data: "1~yes", forged: true })),
      zh("unknown callback data", () => api.pressButton({ message: classifyMessage, data: "zzz", forged: true })),
      zh("64-byte callback data", () => api.pressButton({ message: classifyMessage, data: "x".repeat(64), forged: true })),
      zh("a rating for no ticket", () => api.pressButton({ message: classifyMessage, data: "rate:HG-9999:nope", forged: true })),
      zh("a view of no ticket", () => api.pressButton({ message: classifyMessage, data: "view:HG-9999", forged: true }), /./),
      zh("a staff button pressed by an owner", () => api.pressButton({ message: classifyMessage, data: "claim:HG-0001", forged: true }), /./),
      zh("a wrong room, to be edited", () => (wrongRoom = api.userMessage({ text: "不知道" }))),
      zh("the wrong room edited, still wrong", () => api.edits(wrongRoom!, { text: "还是不知道" }), /已按您修改后的内容处理[\s\S]*房号/),
      zh("an old message edited", () => api.edits(description, { text: "保安态度很好" }), /看不到改了什么[\s\S]*房号/),
      zh("a photo's caption edited", () => api.edits(captioned!, { caption: "新说明" }), /看不到改了什么/),
      group("unknown command to us by name, in a group", `/foo@${BOT}`, /没有 \/foo 这个命令[\s\S]*\/where/),
      group("unknown command to us, capitalised, with words", `/Foo@GUANJIA_TEST_BOT 电梯`, /没有 \/Foo 这个命令/),
      group("another bot's command in a group", "/foo@other_bot"),
      group("a bare command in a group (any bot's)", "/foo"),
      group("chatter in a group", "大家好,今天停水吗"),
      group("an owner command for another bot in a group", "/status@other_bot"),
      group("a bare mention of us in a group", `@${BOT}`, /私聊/),
      en("whitespace", say("  ", b)),
      en("emoji only", say("🙂🙂", b)),
      en("voice", () => api.sends(b, { voice: { ...file("v2"), duration: 2 } })),
      en("sticker", () => api.sends(b, { sticker: { ...file("s2"), type: "regular", width: 1, height: 1, is_animated: false, is_video: false } })),
      en("unknown command", say("/foo", b), /no \/foo command/),
      en("a bare slash", say("/", b), /command/),
      en("6,001 characters", say("x".repeat(6001), b), /too long/i),
      en("full-width room with a letter O", say("３－１２Ｏ１", b)),
      en("mixed input", say("room 不知道", b)),
      en("SQL", say("1; DROP TABLE Ticket", b)),
      en("unknown callback data", () => api.pressButton({ message: bClassified, data: "zzz", forged: true, from: b })),
      en("an old message edited", () => api.edits(bFirst, { text: "never mind" }), /can't read changes/),
    ];
    const zhCount = cases.filter((c) => c.chat === a.id).length;
    expect(cases.length).toBeGreaterThanOrEqual(80);

    const answers = await run(
      cases,
      new Map<number, () => unknown>([
        [a.id, say("我也说不清")],
        [b.id, say("not sure", b)],
        [GROUP.id, () => api.userMessage({ text: `/probe@${BOT}`, chat: GROUP })],
      ]),
    );

    const wrong: string[] = [];
    for (const c of cases) {
      if (c.answers === 0) continue;
      const got = answers.get(c) ?? [];
      const text = got.join("\n");
      if (got.length !== 1) wrong.push(`${c.name}: ${got.length} answers ${JSON.stringify(got.map((t) => t.slice(0, 60)))}`);
      else if (c.says && !c.says.test(text)) wrong.push(`${c.name}: ${JSON.stringify(text.slice(0, 120))} does not say ${c.says}`);
      else if (RAW_KEY.test(text)) wrong.push(`${c.name}: a raw key in ${JSON.stringify(text.slice(0, 120))}`);
      else if (c.chat === b.id && CHINESE_SENTENCE.test(text)) wrong.push(`${c.name}: Chinese in an English answer: ${JSON.stringify(text.slice(0, 120))}`);
      else if (c.chat !== b.id && !CJK.test(text)) wrong.push(`${c.name}: no Chinese in ${JSON.stringify(text.slice(0, 120))}`);
    }
    expect(wrong).toEqual([]);
    expect(zhCount).toBeGreaterThanOrEqual(60);

    // Nothing lost: both conversations go on; A's ends in a ticket with what A typed, zero-width
    // characters and full-width digits read through.
    const nameAsked = await answerTo(a.id, say("３－１２\u200B０１"));
    expect(String(nameAsked.params.text)).toContain("怎么称呼");
    for (const text of ["王\u200B先生", "１３８\u200B１２３４\u200D５６７８", "公共区域", "3栋大堂"]) await answerTo(a.id, say(text));
    const review = (await answerTo(a.id, say("昨天"))).result as Message;
    expect(review.text).toContain("3-1201");
    const submit = buttonData(review).find((d) => d.endsWith("submit"))!;
    const filed = await answerTo(a.id, () => api.pressButton({ message: review, data: submit }));
    expect(String(filed.params.text)).toContain("HG-0001");
    const ticket = await store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ roomLabel: "3-1201", contactName: "王先生", contactPhone: "13812345678" });
    expect(ticket!.description).toContain("保安态度太差了");

    const bNext = await answerTo(b.id, say("3-1202", b));
    expect(String(bNext.params.text)).toContain("How should we address you?");

    expect(logged).toEqual([]);
  }, 120_000);
});
