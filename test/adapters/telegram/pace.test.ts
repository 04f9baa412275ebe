/**
 * Issue 16, item 2: one throttle for the bot's direct replies and the outbox sender alike. The
 * grammY bot's pacing transformer (src/adapters/telegram/pace.ts) and the sender take their slots
 * from one Throttle; every call lands in the sliding-window fake's log, on a clock only the test
 * moves, and no window may hold more than Telegram allows.
 */
import type { Transformer } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pacedCalls } from "../../../src/adapters/telegram/pace.js";
import { PLATFORM_LIMITS, Throttle } from "../../../src/infra/outbox/throttle.js";
import { labelled, overLimits, type CountedCall } from "../../fakes/sliding-window.js";
import { backends, type TestStore } from "../../support/db.js";
import { TestClockSender } from "../../support/test-clock-sender.js";

const T0 = new Date("2026-12-07T02:00:00.500Z").getTime();
const WITHIN_EVERY_LIMIT = { "bot 30/s": 0, "chat 1/s": 0, "group 20/min": 0 };

const notice = labelled;

type Answer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

describe.each(backends())("direct replies and the outbox sender on one throttle, on $name", (backend) => {
  let opened: TestStore;
  let h: TestClockSender;

  beforeEach(async () => {
    opened = await backend.open();
    h = new TestClockSender(opened, T0);
  });
  afterEach(async () => {
    await opened.close();
  });

  /** The bot's sendMessage through the pacing transformer, into the fake's log; `answer` says what Telegram says. */
  function directSender(throttle: Throttle, calls: CountedCall[], answer: () => Answer = () => ({ ok: true, result: { message_id: 1 } })) {
    const paced = pacedCalls(throttle, h.clock, h.sleep) as unknown as (prev: unknown, method: string, payload: unknown) => Promise<Answer>;
    const prev = async (_method: string, payload: { chat_id: number; text: string }) => {
      calls.push({ chatId: String(payload.chat_id), at: h.t, text: payload.text });
      return answer();
    };
    return (chatId: number, text: string) => paced(prev, "sendMessage", { chat_id: chatId, text });
  }

  const sender = (calls: CountedCall[], throttle: Throttle | null) => h.sender(calls, throttle ? { throttles: new Map([["telegram" as const, throttle]]) } : {});

  it("a reply not yet marked delivered and the sender's notices to the same chat: one a second between them all", async () => {
    const calls: CountedCall[] = [];
    const throttle = new Throttle(PLATFORM_LIMITS.telegram!);
    await directSender(throttle, calls)(701, "reply");
    await opened.outbox.enqueue([notice("701", "n1"), notice("701", "n2")], h.clock.now());
    await h.settle(sender(calls, throttle));
    expect(calls.map((c) => [c.text, c.at - T0])).toEqual([
      ["reply", 0],
      ["n1", 1_040],
      ["n2", 2_080],
    ]);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
  });

  it("each on a throttle of its own they would share the chat's second: the test can tell", async () => {
    const calls: CountedCall[] = [];
    await directSender(new Throttle(PLATFORM_LIMITS.telegram!), calls)(701, "reply");
    await opened.outbox.enqueue([notice("701", "n1")], h.clock.now());
    await h.settle(sender(calls, null));
    expect(overLimits(calls)["chat 1/s"]).toBeGreaterThan(0);
  });

  it("direct replies alone keep a chat's second and a group's 20 a minute", async () => {
    const calls: CountedCall[] = [];
    const send = directSender(new Throttle(PLATFORM_LIMITS.telegram!), calls);
    for (let i = 0; i < 3; i++) await send(702, `private#${i}`);
    for (let i = 0; i < 21; i++) await send(-5, `group#${i}`);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    const group = calls.filter((c) => c.chatId === "-5");
    expect(group[20]!.at - group[0]!.at).toBeGreaterThan(60_000);
  });

  it("a 429 on a direct reply holds the sender's messages to that chat until Telegram's retry_after", async () => {
    const calls: CountedCall[] = [];
    const throttle = new Throttle(PLATFORM_LIMITS.telegram!);
    const answers: Answer[] = [{ ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }];
    const answer = await directSender(throttle, calls, () => answers.shift() ?? { ok: true, result: { message_id: 2 } })(703, "reply");
    expect(answer.ok).toBe(false);
    await opened.outbox.enqueue([notice("703", "after the 429")], h.clock.now());
    await h.settle(sender(calls, throttle));
    expect(calls.at(-1)!.at - T0).toBeGreaterThanOrEqual(7_000);
  });
});

describe("the pacing transformer", () => {
  it("lets calls that post nothing through without a slot, and paces the ones that do", async () => {
    let t = T0;
    const slept: number[] = [];
    const throttle = new Throttle(PLATFORM_LIMITS.telegram!);
    const paced = pacedCalls(throttle, { now: () => new Date(t) }, async (ms) => {
      slept.push(ms);
      t += ms;
    }) as Transformer;
    const prev = (async () => ({ ok: true, result: true })) as never;
    await paced(prev, "answerCallbackQuery", { callback_query_id: "q" } as never);
    await paced(prev, "getChatMember", { chat_id: 9, user_id: 1 } as never);
    await paced(prev, "sendMessage", { chat_id: 9, text: "a" } as never);
    await paced(prev, "editMessageText", { chat_id: 9, message_id: 1, text: "b" } as never);
    expect(slept).toEqual([1_040]);
  });
});
