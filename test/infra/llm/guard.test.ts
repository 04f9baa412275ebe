import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatReader } from "../../../src/infra/llm/client.js";
import { guardedModel, type GuardSettings } from "../../../src/infra/llm/guard.js";
import { maskPii } from "../../../src/infra/llm/pii.js";
import { answer, startFakeOpenAi, type FakeOpenAi } from "../../fakes/openai.js";
import { TestClock } from "../../support/chat.js";
import { lineLogger } from "../../support/logger.js";

const LEAK = "楼上漏水,我家天花板都泡了,我是3-1201的张三,电话13812345678";
const GOOD = {
  kind: "repair",
  category: "engineering",
  major: true,
  majorReasons: ["flooding"],
  room: "3-1201",
  name: "⟨N1⟩",
  phone: "⟨P1⟩",
  location: "home",
  place: null,
  since: null,
  visitTime: null,
  summary: null,
};

let fake: FakeOpenAi;
let logs: string[];
let clock: TestClock;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  logs = [];
  clock = new TestClock();
});
afterEach(async () => {
  await fake.close();
});

function model(settings: Partial<GuardSettings> = {}) {
  const reader = chatReader({ apiKey: "sk-fake", baseUrl: fake.baseUrl, model: "fake-model" });
  return guardedModel(reader, { budgetMs: 1000, sendPii: false, dailyTokenCap: null, ...settings }, clock, lineLogger(logs));
}

describe("the LLM behind its guard, against a fake OpenAI-compatible service", () => {
  it("reads kind, category, major and the owner's details with structured output, names and phones masked on the way out", async () => {
    fake.respond(answer(GOOD, { tokens: 300 }));
    const m = model();
    const r = await m.read(LEAK);
    expect(r).toEqual({
      ok: true,
      reading: {
        classification: { kind: "repair", category: "engineering", major: true, majorReasons: ["flooding"] },
        extracted: { room: "3-1201", name: "张三", phone: "13812345678", location: "home" },
      },
    });
    const sent = fake.requests[0]!;
    expect(sent.authorization).toBe("Bearer sk-fake");
    expect(sent.body.model).toBe("fake-model");
    expect(sent.body.response_format?.type).toBe("json_schema");
    const user = sent.body.messages.find((x) => x.role === "user")!.content;
    expect(user).not.toContain("13812345678");
    expect(user).not.toContain("张三");
    expect(user).toContain("3-1201");
    expect(m.tokensToday()).toBe(300);
    expect(logs).toEqual([]);
  });

  it("sends names and phones as they are with OPENAI_SEND_PII=true", async () => {
    fake.respond(answer({ ...GOOD, name: "张三", phone: "13812345678" }));
    expect((await model({ sendPii: true }).read(LEAK)).ok).toBe(true);
    expect(fake.requests[0]!.body.messages[1]!.content).toBe(LEAK);
  });

  it("falls back to JSON mode for a service that refuses structured output, and stays there", async () => {
    fake.respond({ type: "status", status: 400, message: "response_format json_schema is not supported" }, answer(GOOD), answer(GOOD));
    const m = model();
    expect((await m.read(LEAK)).ok).toBe(true);
    expect((await m.read(LEAK)).ok).toBe(true);
    expect(fake.requests.map((r) => r.body.response_format?.type)).toEqual(["json_schema", "json_object", "json_object"]);
  });

  it("accepts JSON wrapped in a Markdown fence, as some local models send in JSON mode", async () => {
    fake.respond(answer("```json\n" + JSON.stringify(GOOD) + "\n```"));
    expect((await model().read(LEAK)).ok).toBe(true);
  });

  it("says why there is no reading: 429 and 500 unavailable, malformed JSON and the wrong schema invalid", async () => {
    const m = model({ failuresToOpen: 10 });
    fake.respond({ type: "status", status: 429 });
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "unavailable" });
    fake.respond({ type: "status", status: 500 });
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "unavailable" });
    fake.respond(answer("{\"kind\": \"repair\", "));
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "invalid" });
    fake.respond(answer({ ...GOOD, kind: "emergency" }));
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "invalid" });
    fake.respond(answer({ type: "repair", urgent: true }));
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "invalid" });
    // One request each: no retries inside the owner's budget.
    expect(fake.requests).toHaveLength(5);
  });

  it("gives up at the budget on a slow or silent service", async () => {
    fake.respond({ type: "hang" });
    const m = model({ budgetMs: 200 });
    const started = performance.now();
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "timeout" });
    expect(performance.now() - started).toBeLessThan(200 + 100);
    fake.respond(answer(GOOD, { delayMs: 600 }));
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "timeout" });
  });

  it("stops calling after repeated failures, warns once, and tries again after the pause", async () => {
    fake.respond({ type: "status", status: 500 });
    const m = model({ failuresToOpen: 3, openMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await m.read(LEAK)).ok).toBe(false);
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "circuit_open" });
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "circuit_open" });
    expect(fake.requests).toHaveLength(3);
    expect(logs).toEqual(["warn: llm: 3 failures in a row; not asked for 60 s, keywords only"]);

    clock.advance(60_000);
    fake.respond(answer(GOOD));
    expect((await m.read(LEAK)).ok).toBe(true);
    expect(fake.requests).toHaveLength(4);
    expect(logs).toHaveLength(1);
  });

  it("counts tokens per day and stops at the daily cap until the next day", async () => {
    fake.respond(answer(GOOD, { tokens: 600 }));
    const m = model({ dailyTokenCap: 1000 });
    expect((await m.read(LEAK)).ok).toBe(true);
    expect((await m.read(LEAK)).ok).toBe(true);
    expect(await m.read(LEAK)).toEqual({ ok: false, reason: "daily_cap" });
    expect(m.tokensToday()).toBe(1200);
    clock.advance(24 * 3600_000);
    expect(m.tokensToday()).toBe(0);
    expect((await m.read(LEAK)).ok).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });
});

describe("masking", () => {
  it("replaces mobiles, landlines and introduced names, and puts them back in what comes out", () => {
    const m = maskPii("我叫李四,手机 138-1234-5678,座机021-12345678; my name is Ann Lee");
    expect(m.text).not.toMatch(/李四|1234|Ann/);
    expect(m.restore(m.text)).toBe("我叫李四,手机 138-1234-5678,座机021-12345678; my name is Ann Lee");
    expect(maskPii("3-1201 房间,2026年12月6日").text).toBe("3-1201 房间,2026年12月6日");
    expect(maskPii("Water everywhere, I'm Ann Lee in 3-1201, this is urgent").text).toBe("Water everywhere, I'm ⟨N1⟩ in 3-1201, this is urgent");
  });
});
