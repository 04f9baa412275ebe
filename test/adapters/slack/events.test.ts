import { beforeAll, describe, expect, it } from "vitest";
import {
  fromBlockAction,
  fromCommand,
  fromMessage,
  isOwnerMessage,
  ownerMessageOf,
  slackToPlain,
  type OwnerMessage,
  type SlackMessageEvent,
} from "../../../src/adapters/slack/events.js";
import { leftChannel, mentionCommand, staffChat, staffCommandOf, staffFromBlockAction, staffFromCommand } from "../../../src/adapters/slack/staff.js";
import { answeredBlocks, CHOICE_ACTION, clip, slackMessage, slackMessages, type SlackBlock } from "../../../src/adapters/slack/render.js";
import { t } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { documentFile, imageFile, voiceClip } from "../../fakes/slack.js";

const dm = (o: Partial<SlackMessageEvent> = {}): OwnerMessage =>
  ({ type: "message", channel: "D1", channel_type: "im", user: "U1", text: "", ...o }) as OwnerMessage;
const bodies = (event: OwnerMessage) => fromMessage(event, "T1").map((i) => i.body);

describe("which Slack messages are the owner's", () => {
  it("takes plain DMs and file shares", () => {
    expect(isOwnerMessage(dm({ text: "hi" }))).toBe(true);
    expect(isOwnerMessage(dm({ subtype: "file_share", files: [imageFile()] }))).toBe(true);
  });

  it("leaves bots, edits, deletions, joins and anything outside a DM", () => {
    for (const event of [
      dm({ bot_id: "B1" }),
      dm({ subtype: "bot_message" }),
      dm({ subtype: "message_changed", hidden: true }),
      dm({ subtype: "message_deleted", hidden: true }),
      dm({ subtype: "channel_join" }),
      dm({ channel_type: "channel", channel: "C1" }),
      dm({ channel_type: "mpim", channel: "G1" }),
      dm({ user: undefined }),
      { ...dm(), type: "app_mention" },
    ]) {
      expect(isOwnerMessage(event)).toBe(false);
    }
  });
});

describe("an owner's edit of a DM message", () => {
  const changed = (now: Partial<SlackMessageEvent>, before: Partial<SlackMessageEvent> = { text: "3-1201" }): SlackMessageEvent => ({
    type: "message",
    subtype: "message_changed",
    hidden: true,
    channel: "D1",
    channel_type: "im",
    ts: "1700000099.000200",
    message: { type: "message", user: "U1", text: "3-1202", ts: "1700000000.000100", ...now },
    previous_message: { type: "message", user: "U1", ts: "1700000000.000100", ...before },
  });

  it("is the edited message's new words and its ts, for the desk to read or to say it cannot", () => {
    const event = ownerMessageOf(changed({}));
    expect(event).not.toBeNull();
    expect(bodies(event!)).toEqual([{ type: "edit", text: "3-1202", messageId: "1700000000.000100" }]);
  });

  it("is nothing when the words did not change (a link preview), when a bot edited, or outside a DM", () => {
    expect(ownerMessageOf(changed({ text: "3-1201" }))).toBeNull();
    expect(ownerMessageOf(changed({ bot_id: "B1" }))).toBeNull();
    expect(ownerMessageOf({ ...changed({}), channel_type: "channel", channel: "C1" })).toBeNull();
    expect(ownerMessageOf(changed({ user: undefined }))).toBeNull();
  });

  it("leaves a plain DM as it is, with its ts as the message id", () => {
    const plain = dm({ text: "hi", ts: "1.2" });
    expect(ownerMessageOf(plain)).toBe(plain);
    expect(bodies(plain)).toEqual([{ type: "text", text: "hi", messageId: "1.2" }]);
  });
});

describe("a DM as inbounds", () => {
  it("keys the conversation by team, channel and owner, with the owner's Slack profile", () => {
    const [inbound] = fromMessage(dm({ text: "楼上漏水" }), "T1", { languageCode: "en-US", displayName: "John" });
    expect(inbound).toEqual({
      channel: "slack",
      conversationKey: "slack:T1:D1:U1",
      sender: { platformUserId: "U1", displayName: "John", languageCode: "en-US" },
      body: { type: "text", text: "楼上漏水" },
    });
    expect(fromMessage(dm(), "T1")[0]!.sender).toEqual({ platformUserId: "U1" });
  });

  it("gives back the text the owner typed, not Slack's markup", () => {
    expect(bodies(dm({ text: "a &lt;b&gt; &amp;lt; c" }))).toEqual([{ type: "text", text: "a <b> &lt; c" }]);
    expect(slackToPlain("see <https://example.com/a?b=1&amp;c=2|example.com> or <https://x.cn>")).toBe("see example.com or https://x.cn");
    expect(slackToPlain("<@U2> <#C1|general> <!here> <!subteam^S1|@物业> <mailto:a@b.cn> <tel:+8613812345678>")).toBe(
      "@U2 general @here @物业 a@b.cn +8613812345678",
    );
  });

  it("turns an image into a photo, captioned with the text", () => {
    expect(bodies(dm({ subtype: "file_share", text: "天花板", files: [imageFile("F1")] }))).toEqual([
      { type: "photo", fileRef: "slack:F1", caption: "天花板" },
    ]);
  });

  it("keeps every file of a message, captioning only the first photo", () => {
    const files = [documentFile("F0"), imageFile("F1"), imageFile("F2")];
    expect(bodies(dm({ subtype: "file_share", text: "两张", files }))).toEqual([
      { type: "unsupported", media: "file" },
      { type: "photo", fileRef: "slack:F1", caption: "两张" },
      { type: "photo", fileRef: "slack:F2" },
    ]);
  });

  it("names what it cannot read: voice clips, videos, other files; the text still goes first", () => {
    const video = { id: "F3", mimetype: "video/mp4" };
    expect(bodies(dm({ subtype: "file_share", text: "听一下", files: [voiceClip(), video, documentFile()] }))).toEqual([
      { type: "text", text: "听一下" },
      { type: "unsupported", media: "voice" },
      { type: "unsupported", media: "video" },
      { type: "unsupported", media: "file" },
    ]);
    expect(bodies(dm({ subtype: "file_share", files: [{ id: "F4", subtype: "slack_audio" }] }))).toEqual([{ type: "unsupported", media: "voice" }]);
  });

  it("passes an empty message on, for the desk to ask again", () => {
    expect(bodies(dm({ text: undefined }))).toEqual([{ type: "text", text: "" }]);
  });
});

describe("a button press as a choice", () => {
  const press = (o: Record<string, unknown> = {}) => ({
    type: "block_actions",
    team: { id: "T1" },
    user: { id: "U1" },
    channel: { id: "D1" },
    actions: [{ action_id: "choice:2", value: "yes" }],
    ...o,
  });

  it("reads the value of our buttons in a DM", () => {
    expect(fromBlockAction(press(), { languageCode: "zh-CN" })).toEqual({
      channel: "slack",
      conversationKey: "slack:T1:D1:U1",
      sender: { platformUserId: "U1", languageCode: "zh-CN" },
      body: { type: "choice", value: "yes" },
    });
    expect(fromBlockAction(press({ channel: undefined, container: { channel_id: "D1" } }))?.conversationKey).toBe("slack:T1:D1:U1");
  });

  it("ignores other apps' actions, presses outside a DM and payloads without a value", () => {
    expect(fromBlockAction(press({ actions: [{ action_id: "approve", value: "yes" }] }))).toBeNull();
    expect(fromBlockAction(press({ channel: { id: "C1" } }))).toBeNull();
    expect(fromBlockAction(press({ actions: [{ action_id: "choice:0" }] }))).toBeNull();
    expect(fromBlockAction(press({ type: "interactive_message" }))).toBeNull();
    expect(fromBlockAction(press({ team: null }))).toBeNull();
  });
});

describe("the slash command", () => {
  const command = (text: string, channel = "D1") => fromCommand({ text, team_id: "T1", channel_id: channel, user_id: "U1" });

  it("takes the first word as our command and the rest as its arguments", () => {
    expect(command("status HG-0001")).toMatchObject({ conversationKey: "slack:T1:D1:U1", body: { type: "command", command: "status", args: "HG-0001" } });
    expect(command("  /add HG-0001 水还在漏 &amp; 更大了 ")?.body).toEqual({ type: "command", command: "add", args: "HG-0001 水还在漏 & 更大了" });
  });

  it("opens the chat when given nothing", () => {
    expect(command("")?.body).toEqual({ type: "command", command: "start", args: "" });
    expect(fromCommand({ team_id: "T1", channel_id: "D1", user_id: "U1" })?.body).toEqual({ type: "command", command: "start", args: "" });
  });

  it("is not taken outside the DM", () => {
    expect(command("help", "C1")).toBeNull();
    expect(command("help", "G1")).toBeNull();
  });
});

describe("replies as Block Kit", () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  });

  it("shows the text as plain_text and the choices as buttons carrying their values", () => {
    const [message] = slackMessages(
      { locale: "zh-CN", replies: [{ text: [t("ask.location")], choices: [{ value: "home", label: t("location.home") }, { value: "common", label: t("location.common") }] }] },
      renderer,
    );
    expect(message!.text).toBe("问题在您家里,还是在公共区域?");
    expect(message!.blocks).toEqual([
      { type: "section", text: { type: "plain_text", text: "问题在您家里,还是在公共区域?", emoji: true } },
      {
        type: "actions",
        block_id: "choices:0",
        elements: [
          { type: "button", action_id: "choice:0", text: { type: "plain_text", text: "家里", emoji: true }, value: "home" },
          { type: "button", action_id: "choice:1", text: { type: "plain_text", text: "公共区域", emoji: true }, value: "common" },
        ],
      },
    ]);
  });

  it("renders each reply in its own locale", () => {
    const messages = slackMessages({ locale: "zh-CN", replies: [{ text: [t("ask.room")] }, { text: [t("ask.room")], locale: "en" }] }, renderer);
    expect(messages.map((m) => m.text)).toEqual(["请问您的房号是?", expect.stringMatching(/room number/)]);
  });

  it("never lets owner text become markup", () => {
    const owner = "*urgent* <!channel> <https://evil.example|bank> & more";
    const message = slackMessage({ text: owner, choices: [] });
    expect(message.blocks).toEqual([{ type: "section", text: { type: "plain_text", text: owner, emoji: true } }]);
    expect(message.text).toBe("*urgent* &lt;!channel&gt; &lt;https://evil.example|bank&gt; &amp; more");
  });

  it("keeps to Slack's limits: 3000-character sections, 25 buttons a block, 75-character labels, 2000-character values", () => {
    const line = "漏".repeat(1000);
    const choices = Array.from({ length: 30 }, (_, i) => ({ value: i === 0 ? "v".repeat(2100) : `v${i}`, label: i === 1 ? "长".repeat(80) : `选项 ${i}` }));
    const message = slackMessage({ text: [line, line, line, line].join("\n") + "x".repeat(5000), choices });
    const sections = message.blocks.filter((b): b is Extract<SlackBlock, { type: "section" }> => b.type === "section");
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(sections.map((s) => s.text.text).join("").replace(/\n/g, "")).toBe(line.repeat(4) + "x".repeat(5000));
    const actions = message.blocks.filter((b): b is Extract<SlackBlock, { type: "actions" }> => b.type === "actions");
    expect(actions.map((a) => a.elements.length)).toEqual([25, 5]);
    const buttons = actions.flatMap((a) => a.elements);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(30);
    expect(buttons.every((b) => CHOICE_ACTION.test(b.action_id))).toBe(true);
    expect(buttons[0]!.value).toHaveLength(2000);
    expect(buttons[1]!.text.text).toHaveLength(75);
    expect(buttons[1]!.text.text.endsWith("…")).toBe(true);
  });

  it("clips without splitting a character made of two UTF-16 units", () => {
    const clipped = clip("🏠".repeat(50), 75);
    expect(clipped.length).toBeLessThanOrEqual(75);
    expect(clipped).toBe(`${"🏠".repeat(37)}…`);
  });

  it("sends nothing for an empty reply, and the labels as notification text for a choices-only one", () => {
    expect(slackMessages({ locale: "zh-CN", replies: [{ text: [] }] }, renderer)).toEqual([]);
    expect(slackMessage({ text: "", choices: [{ value: "a", label: "A" }, { value: "b", label: "B" }] }).text).toBe("A / B");
  });

  it("replaces a pressed message's buttons with the chosen label", () => {
    const { blocks } = slackMessage({ text: "问题在哪里?", choices: Array.from({ length: 26 }, (_, i) => ({ value: `v${i}`, label: `L${i}` })) });
    expect(answeredBlocks([...blocks, "junk"], "L3")).toEqual([
      blocks[0],
      { type: "context", elements: [{ type: "plain_text", text: "✓ L3", emoji: true }] },
    ]);
  });
});

describe("what staff send, as staff inbounds", () => {
  it("takes a staff command as the first word, a slash tolerated, whatever the case", () => {
    expect(staffCommandOf("claim HG-0001")).toEqual({ command: "claim", args: "HG-0001" });
    expect(staffCommandOf("  /Reply  HG-1  已核实,&lt;当面&gt;道歉 ")).toEqual({ command: "reply", args: "HG-1  已核实,<当面>道歉" });
    expect(staffCommandOf("status HG-0001")).toBeNull();
    expect(staffCommandOf("保安态度太差了")).toBeNull();
    expect(staffCommandOf("")).toBeNull();
  });

  it("makes the app DM a private chat and every channel a group", () => {
    expect(staffChat("D0WANG")).toEqual({ id: "D0WANG", kind: "private" });
    expect(["C0STAFF", "G0PRIVATE"].map((c) => staffChat(c).kind)).toEqual(["group", "group"]);
    expect(staffFromCommand({ text: "bind ABCD2345", channel_id: "C0STAFF", user_id: "U1", team_id: "T1" }, { displayName: "管理员" })).toEqual({
      channel: "slack",
      chat: { id: "C0STAFF", kind: "group" },
      sender: { platformUserId: "U1", displayName: "管理员" },
      body: { type: "command", command: "bind", args: "ABCD2345" },
    });
    expect(staffFromCommand({ text: "start", channel_id: "D1", user_id: "U1" })).toBeNull();
  });

  it("reads the command after our own mention only", () => {
    const mention = (text: string) => ({ type: "app_mention", user: "U1", channel: "C1", text, ts: "1.1" });
    expect(mentionCommand(mention("<@U0BOT> claim HG-1"), "U0BOT")).toEqual({ command: "claim", args: "HG-1" });
    expect(mentionCommand(mention("<@U0BOT|guanjia> note HG-1 找 <@U2> 核实"), "U0BOT")).toEqual({ command: "note", args: "HG-1 找 @U2 核实" });
    expect(mentionCommand(mention("<@U0BOT> 你好"), "U0BOT")).toBeNull();
    expect(mentionCommand(mention("<@U2> claim HG-1"), "U0BOT")).toBeNull();
    expect(mentionCommand({ ...mention("<@U0BOT> claim HG-1"), bot_id: "B9" }, "U0BOT")).toBeNull();
  });

  it("sends card buttons to the staff desk, and only ours", () => {
    const press = (value: string, actionId = "choice:0") => ({
      type: "block_actions",
      user: { id: "U1" },
      channel: { id: "C0STAFF" },
      actions: [{ action_id: actionId, value }],
    });
    expect(staffFromBlockAction(press("claim:HG-0001"))).toMatchObject({ chat: { id: "C0STAFF", kind: "group" }, body: { type: "choice", value: "claim:HG-0001" } });
    expect(staffFromBlockAction(press("ticket:HG-0001"))?.body).toEqual({ type: "choice", value: "ticket:HG-0001" });
    expect(staffFromBlockAction(press("rate:HG-0001:satisfied"))).toBeNull();
    expect(staffFromBlockAction(press("claim:HG-0001", "someone_elses_button"))).toBeNull();
  });

  it("knows when the bot itself left a channel", () => {
    expect(leftChannel({ type: "member_left_channel", user: "U0BOT", channel: "C1" }, "U0BOT")).toBe("C1");
    expect(leftChannel({ type: "member_left_channel", user: "U2", channel: "C1" }, "U0BOT")).toBeNull();
    expect(leftChannel({ type: "channel_left", channel: "C1" }, "U0BOT")).toBe("C1");
    expect(leftChannel({ type: "group_left", channel: "G1" }, undefined)).toBe("G1");
    expect(leftChannel({ type: "member_left_channel", user: "U0BOT", channel: "C1" }, undefined)).toBeNull();
  });
});
