/**
 * The `/draft` model call against a fake OpenAI-compatible service on 127.0.0.1: what leaves the
 * process (masked), what comes back (cleaned), and each failure as a reason the desk turns into
 * the template.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DraftFacts } from "../../../src/core/draft/port.js";
import { replyDrafter } from "../../../src/infra/llm/drafter.js";
import { answer, startFakeOpenAi, type FakeOpenAi } from "../../fakes/openai.js";
import { lineLogger } from "../../support/logger.js";

const FACTS: DraftFacts = {
  number: "HG-0042",
  kind: "repair",
  category: "engineering",
  status: "in_progress",
  description: "厨房漏水,我是3-1201的张三,电话13812345678",
  ownerLocale: "en",
  nextReplyDueAt: "2026-12-07T02:00:00.000Z",
  told: [{ at: "2026-12-06T03:00:00.000Z", kind: "reply", text: "师傅下午到" }],
  gist: "the valve is replaced tomorrow",
};

let fake: FakeOpenAi;
let logs: string[];
beforeEach(async () => {
  fake = await startFakeOpenAi();
  logs = [];
});
afterEach(() => fake.close());

const drafter = (over: { budgetMs?: number; sendPii?: boolean } = {}) =>
  replyDrafter({ apiKey: "sk-fake", baseUrl: fake.baseUrl, model: "fake-model", budgetMs: 1000, sendPii: false, ...over }, lineLogger(logs));

describe("the reply drafter", () => {
  it("asks in the owner's language with the facts, masks name and phone, and puts them back in the answer", async () => {
    fake.respond(answer("Dear ⟨N1⟩, the valve will be replaced tomorrow; we will call ⟨P1⟩ when done."));
    expect(await drafter().draft(FACTS)).toEqual({ ok: true, text: "Dear 张三, the valve will be replaced tomorrow; we will call 13812345678 when done." });
    const sent = fake.requests[0]!.body;
    expect(sent.model).toBe("fake-model");
    expect(sent.messages[0]!.content).toContain("Write it in English");
    expect(sent.messages[1]!.content).not.toMatch(/13812345678|张三/);
    expect(JSON.parse(sent.messages[1]!.content)).toMatchObject({ ticket: "HG-0042", staffGist: "the valve is replaced tomorrow", alreadyTold: [{ kind: "reply", text: "师傅下午到" }] });
  });

  it("sends names and phones as they are when allowed", async () => {
    fake.respond(answer("ok"));
    await drafter({ sendPii: true }).draft(FACTS);
    expect(fake.requests[0]!.body.messages[1]!.content).toContain("13812345678");
  });

  it("takes off fences, quotes and a reasoning block", async () => {
    fake.respond(answer("<think>the owner is upset</think>\n```\n“您好,明天更换阀门。”\n```"));
    expect(await drafter().draft(FACTS)).toEqual({ ok: true, text: "您好,明天更换阀门。" });
  });

  it("says why there is no draft: too slow, refused, or empty", async () => {
    fake.respond({ type: "hang" });
    expect(await drafter({ budgetMs: 150 }).draft(FACTS)).toEqual({ ok: false, reason: "timeout" });
    fake.respond({ type: "status", status: 500 });
    expect(await drafter().draft(FACTS)).toEqual({ ok: false, reason: "unavailable" });
    expect(logs.join("\n")).toContain("llm draft failed");
    fake.respond(answer("   "));
    expect(await drafter().draft(FACTS)).toEqual({ ok: false, reason: "invalid" });
  });
});
