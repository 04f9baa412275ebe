/**
 * Issue 15's acceptance: with the model answering, an owner who gives room, name and phone in
 * their first message is asked only for what is still missing and confirms the extracted values;
 * with the model timing out, the same message goes through the keyword path within the budget
 * and files the same ticket.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OwnerTextModel } from "../../../src/core/classify/owner-text.js";
import { chatReader } from "../../../src/infra/llm/client.js";
import { guardedModel } from "../../../src/infra/llm/guard.js";
import { answer, startFakeOpenAi, type FakeOpenAi } from "../../fakes/openai.js";
import { openChat, TestClock, type Chat } from "../../support/chat.js";
import { quietLogger } from "../../support/logger.js";
import { staffCard } from "../../../src/core/staff/card.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";

const LEAK = "楼上漏水,我家天花板都泡了,我是3-1201的张三,电话13812345678";
const BUDGET_MS = 300;
/** What is filed whichever path the message took. */
const SAME_TICKET = {
  kind: "repair",
  category: "engineering",
  weight: "major",
  roomLabel: "3-1201",
  contactName: "张三",
  contactPhone: "13812345678",
  location: "home",
};

let fake: FakeOpenAi;
let chat: Chat;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  const reader = chatReader({ apiKey: "sk-fake", baseUrl: fake.baseUrl, model: "fake-model" });
  const model: OwnerTextModel = guardedModel(reader, { budgetMs: BUDGET_MS, sendPii: false, dailyTokenCap: null }, new TestClock(), quietLogger);
  chat = await openChat({ ownerText: model });
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
  await fake.close();
});

/** What the model says of LEAK, the name and phone as the placeholders it was sent. */
function leakReading(fields: { name: string; phone: string }) {
  return {
    kind: "repair",
    category: "engineering",
    major: true,
    majorReasons: ["flooding"],
    room: "3-1201",
    ...fields,
    location: "home",
    place: null,
    since: null,
    visitTime: null,
    summary: null,
  };
}

async function fileTheRest(first: Awaited<ReturnType<Chat["send"]>>): Promise<string[]> {
  const asked: string[] = [first.text];
  let r = await chat.send("1"); // the classification is right
  while (!r.text.includes("请核对登记内容")) {
    asked.push(r.text);
    if (r.text.includes("房号")) r = await chat.send("3-1201");
    else if (r.text.includes("怎么称呼")) r = await chat.send("张三");
    else if (r.text.includes("电话")) r = await chat.send("13812345678");
    else if (r.choices.includes("家里")) r = await chat.send("1");
    else if (r.text.includes("什么时候开始")) r = await chat.send("昨天晚上");
    else if (r.text.includes("照片")) r = await chat.send("跳过");
    else if (r.text.includes("什么时间方便")) r = await chat.send("明天上午");
    else throw new Error(`unexpected question: ${r.text}`);
  }
  asked.push(r.text);
  expect(r.text).toContain("房号:3-1201");
  expect(r.text).toContain("联系人:张三 13812345678");
  r = await chat.send("1");
  expect(r.text).toContain("工单号 HG-0001");
  return asked;
}

describe("the owner's first message read by the LLM (issue 15)", () => {
  it("with the model answering: room, name, phone and home are taken, shown, and only the rest is asked", async () => {
    fake.respond(answer(leakReading({ name: "⟨N1⟩", phone: "⟨P1⟩" })));
    const first = await chat.send(LEAK);
    expect(first.text).toContain("【报修 · 工程维修】");
    expect(first.text).toContain("从您的话里记下了");
    expect(first.text).toContain("房号:3-1201");
    expect(first.text).toContain("联系人:张三 13812345678");
    // Masked on the way out.
    expect(fake.requests[0]!.body.messages[1]!.content).not.toMatch(/张三|13812345678/);

    const asked = await fileTheRest(first);
    const questions = asked.slice(1, -1).join("\n");
    expect(questions).not.toContain("房号");
    expect(questions).not.toContain("怎么称呼");
    expect(questions).not.toMatch(/联系电话|手机号/);
    expect(questions).toContain("什么时候开始");

    expect(await chat.store.ticketByNumber("HG-0001")).toMatchObject(SAME_TICKET);
  });

  it("with the model timing out: the keyword path answers within the budget and files the same ticket", async () => {
    fake.respond({ type: "hang" });
    const started = performance.now();
    const first = await chat.send(LEAK);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS + 200);
    expect(first.text).toContain("【报修 · 工程维修】");
    expect(first.text).not.toContain("从您的话里记下了");

    const asked = await fileTheRest(first);
    expect(asked.join("\n")).toContain("房号");
    expect(await chat.store.ticketByNumber("HG-0001")).toMatchObject(SAME_TICKET);
    expect(await chat.store.ticketByNumber("HG-0002")).toBeNull();
  });

  it("a major flag from either side stands: the model cannot drop the keywords' reason, and may add one", async () => {
    fake.respond(answer({ ...leakReading({ name: "⟨N1⟩", phone: "⟨P1⟩" }), major: false, majorReasons: [] }));
    let r = await chat.send(LEAK);
    expect(r.text).toContain("漏水/水浸");

    fake.respond(answer({ ...leakReading({ name: null as unknown as string, phone: null as unknown as string }), kind: "complaint", category: "management", majorReasons: ["collective"], room: null, location: null }));
    r = await chat.send("整栋楼的人都在说这事", "u2");
    expect(r.text).toContain("【投诉 · 整体管理】");
    expect(r.text).toMatch(/集体/);
  });
});

describe("a model that fails changes nothing the owner sees", () => {
  const SCRIPT = ["楼上漏水,我家天花板都泡了", "1", "A区5栋2单元301", "张三", "138 1234 5678", "1", "昨天晚上", "跳过", "明天上午", "1"];

  async function transcript(ownerText?: OwnerTextModel): Promise<string[]> {
    const c = await openChat(ownerText ? { ownerText } : {});
    try {
      const said: string[] = [];
      for (const line of SCRIPT) said.push((await c.send(line)).text);
      expect(c.errors).toEqual([]);
      return said;
    } finally {
      await c.close();
    }
  }

  it("unavailable, invalid, over budget or paused: the same conversation, word for word, as with no model", async () => {
    const without = await transcript();
    expect(without.at(-1)).toContain("工单号 HG-0001");
    for (const reason of ["unavailable", "invalid", "timeout", "circuit_open", "daily_cap"] as const) {
      const failing: OwnerTextModel = { read: async () => ({ ok: false, reason }) };
      expect(await transcript(failing)).toEqual(without);
    }
  });
});

describe("an English owner's details read by the model", () => {
  it("takes room and name from the words, shows them in English, and skips those questions", async () => {
    fake.respond(
      answer({ kind: "repair", category: "engineering", major: true, majorReasons: ["flooding"], room: "3-1201", name: "⟨N1⟩", phone: null, location: "home", place: null, since: "this morning", visitTime: null, summary: null }),
    );
    const en = (text: string) => chat.send(text, "u-en", "en");
    let r = await en("Water is pouring through my ceiling, I'm Ann Lee in 3-1201, it started this morning");
    expect(r.text).toContain("From your message I noted");
    expect(r.text).toContain("Room: 3-1201");
    expect(r.text).toContain("Contact: Ann Lee -");
    expect(fake.requests[0]!.body.messages[1]!.content).not.toContain("Ann Lee");
    r = await en("1");
    expect(r.text).toMatch(/phone/i);
    expect(r.text).not.toMatch(/room number|your name/i);
  });

  it("gives the staff card the model's line in the staff's language, the owner's words kept below it", async () => {
    const words = "Water is pouring through my ceiling from the flat above, I'm Ann Lee in 3-1201, call 13812345678";
    fake.respond(
      answer({ kind: "repair", category: "engineering", major: true, majorReasons: ["flooding"], room: "3-1201", name: "⟨N1⟩", phone: "⟨P1⟩", location: "home", place: null, since: null, visitTime: null, summary: "楼上漏水,天花板大量渗水" }),
    );
    expect(fake.requests.length).toBe(0);
    const en = (text: string) => chat.send(text, "u-en", "en");
    let r = await en(words);
    expect(fake.requests[0]!.body.messages[0]!.content).toContain("in Simplified Chinese, for the staff");
    const seen: string[] = [r.text];
    for (let i = 0; i < 12 && !r.text.includes("is filed as ticket"); i++, seen.push(r.text)) {
      if (/please check/i.test(r.text)) r = await en("1");
      else if (/started|since when/i.test(r.text)) r = await en("this morning");
      else if (/photo/i.test(r.text)) r = await en("skip");
      else if (/convenient|visit|come/i.test(r.text)) r = await en("tomorrow morning");
      else r = await en("1");
    }
    expect(r.text, seen.join("\n---\n")).toContain("filed as ticket HG-0001");
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    expect(ticket.summary).toBe("楼上漏水,天花板大量渗水");
    const card = (await staffCard(chat.store, ticket.id, "zh-CN"))!;
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    const text = card.text.map((x) => renderer.text(x, "zh-CN")).join("\n");
    expect(text).toContain("情况:楼上漏水,天花板大量渗水\n业主原话:Water is pouring through my ceiling");
    expect(text).toContain("138****5678");
    expect(text).not.toContain("13812345678");
  });
});
