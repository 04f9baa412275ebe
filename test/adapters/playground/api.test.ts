/**
 * The playground's HTTP side without a browser: what it refuses (another host's name, another
 * site's page, bodies that are not what the page sends), and the flows the browser test does not
 * walk: a photo, an edited answer, an owner raising a matter in the owners' group.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPlayground, type TestPlayground } from "./support.js";

interface Msg { id: number; chatId: string; from: { id: number } | null; text: string; photo?: string; edited: boolean; buttons: { label: string; value?: string; url?: string }[][] }
interface State { messages: Msg[]; now: string; guide: { ticket: string | null; done: string[] } }

describe("the playground's HTTP server", () => {
  let pg: TestPlayground;
  const state = async (): Promise<State> => (await (await pg.api("/api/state")).json()) as State;
  const chat = async (chatId: string) => (await state()).messages.filter((m) => m.chatId === chatId);
  const last = async (chatId: string) => (await chat(chatId)).at(-1)!;

  beforeAll(async () => {
    pg = await testPlayground();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("listens on 127.0.0.1 only and answers only requests addressed to it", async () => {
    expect(new URL(pg.url).hostname).toBe("127.0.0.1");
    const port = new URL(pg.url).port;
    const { request } = await import("node:http");
    const status = (headers: Record<string, string>, method = "GET", path = "/api/state") =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => resolve(res.statusCode ?? 0));
        req.on("error", reject);
        req.end(method === "POST" ? JSON.stringify({ step: "hour" }) : undefined);
      });
    expect(await status({ host: `127.0.0.1:${port}` })).toBe(200);
    expect(await status({ host: `evil.example:${port}` })).toBe(421);
    expect(await status({ host: `127.0.0.1:${port}`, origin: "http://evil.example", "content-type": "application/json" }, "POST", "/api/clock")).toBe(403);
    expect(await status({ host: `127.0.0.1:${port}`, "content-type": "application/x-www-form-urlencoded" }, "POST", "/api/clock")).toBe(415);
    expect(await status({ host: `127.0.0.1:${port}` }, "GET", "/files/../../package.json")).toBe(404);
  });

  it("serves its page, script and style itself", async () => {
    const page = await (await pg.api("/")).text();
    expect(page).toContain('<script src="/app.js"></script>');
    expect(page).not.toMatch(/https?:\/\//);
    expect((await pg.api("/app.js")).headers.get("content-type")).toContain("javascript");
    expect(((await (await pg.api("/api/texts?locale=en")).json()) as Record<string, string>)["playground.pane.staff"]).toBe("Staff group");
  });

  it("refuses what the page never sends, saying what is wrong", async () => {
    const bad = await pg.api("/api/send", { chatId: "1001", fromId: 1001, text: "" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("text");
    // A private chat is its owner's: nobody else writes into it.
    expect((await pg.api("/api/send", { chatId: "1001", fromId: 9002, text: "hi" })).status).toBe(400);
    expect((await pg.api("/api/send", { chatId: "-1001", fromId: 4242, text: "/unclaimed" })).status).toBe(400);
    expect((await pg.api("/api/clock", { step: "year" })).status).toBe(400);
    expect((await pg.api("/api/owners", { name: "", locale: "en" })).status).toBe(400);
    const added = await pg.api("/api/owners", { name: "李女士", locale: "zh-CN" });
    expect(await added.json()).toEqual({ id: 1003, name: "李女士", locale: "zh-CN" });
  });

  it("takes a photo, and reads an edited answer as the correction it is", async () => {
    expect((await pg.api("/api/send", { chatId: "1001", fromId: 1001, text: "/repair" })).status).toBe(200);
    // Type a problem, confirm the reading, then give a bad room and correct it by editing.
    await pg.api("/api/send", { chatId: "1001", fromId: 1001, text: "卫生间水管漏水" });
    const reading = await last("1001");
    await pg.api("/api/press", { chatId: "1001", fromId: 1001, messageId: reading.id, value: reading.buttons[0]![0]!.value });
    await pg.api("/api/send", { chatId: "1001", fromId: 1001, text: "abc" });
    const typo = (await chat("1001")).filter((m) => m.from?.id === 1001).at(-1)!;
    expect((await pg.api("/api/edit", { chatId: "1001", fromId: 1001, messageId: typo.id, text: "3-1201" })).status).toBe(200);
    const edited = (await chat("1001")).find((m) => m.id === typo.id)!;
    expect(edited).toMatchObject({ text: "3-1201", edited: true });
    expect((await last("1001")).text).toContain("怎么称呼");
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a5e90000000049454e44ae426082", "hex");
    const sent = await fetch(new URL("/api/photo?chatId=1001&fromId=1001&caption=", pg.url), { method: "POST", headers: { "content-type": "image/png" }, body: png });
    expect(sent.status).toBe(200);
    const photo = (await chat("1001")).find((m) => m.photo)!;
    expect(Buffer.from(await (await pg.api(photo.photo!)).arrayBuffer())).toEqual(png);
    expect((await fetch(new URL("/api/photo?chatId=1001&fromId=1001", pg.url), { method: "POST", headers: { "content-type": "text/html" }, body: "<b>" })).status).toBe(415);
  });

  it("moves an owner who raises a matter in the owners' group to their private chat", async () => {
    await pg.api("/api/send", { chatId: "-1004", fromId: 1002, text: "@guanjia_playground_bot the lift in building 3 is broken" });
    const answer = await last("-1004");
    expect(answer.from).toBeNull();
    const link = answer.buttons.flat().find((b) => b.url)!.url!;
    expect(link).toBe("https://t.me/guanjia_playground_bot?start=report");
    // What the page does with the link, as Telegram's client does: /start in the private chat.
    await pg.api("/api/send", { chatId: "1002", fromId: 1002, text: "/start report" });
    expect((await chat("1002")).map((m) => m.text).join("\n")).toMatch(/lift/i);
    expect(pg.troubles).toEqual([]);
  });
});
