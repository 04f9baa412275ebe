/**
 * Documents through the outbox sender on both databases: stored whole (bytes and caption), sent
 * in their chat's order with the caption rendered in the document's language, and given up at
 * once where the platform's transport cannot upload, without holding back the chat's next message.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import { t } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender } from "../../../src/infra/outbox/sender.js";
import type { DocumentFile, Transport } from "../../../src/infra/outbox/transport.js";
import { backends, type TestStore } from "../../support/db.js";
import { quietLogger } from "../../support/logger.js";

const AT = new Date("2026-12-01T00:00:00Z");
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
const bytes = Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]);

/** Records what it is asked to send; uploads only when `uploads` is set. */
function recorder(platform: "telegram" | "slack", uploads: boolean): Transport & { sent: (string | DocumentFile)[] } {
  const sent: (string | DocumentFile)[] = [];
  let id = 0;
  return {
    platform,
    sent,
    send: async (_chat, message) => (sent.push(message.text), { ok: true, messageId: String(++id) }),
    edit: async (_chat, messageId) => ({ ok: true, messageId }),
    ...(uploads ? { sendDocument: async (_chat: string, file: DocumentFile) => (sent.push(file), { ok: true as const, messageId: String(++id) }) } : {}),
    chatKind: () => "group",
  };
}

const doc = (platform: "telegram" | "slack", locale: "zh-CN" | "en"): NewOutboxMessage => ({
  kind: "document",
  to: { platform, chatId: "-1" },
  body: { locale, text: [t("monthly_stats.caption.workbook", { property: "虹港家园", month: "2026-11" })], filename: "HG-2026-11.xlsx", mediaType: "application/octet-stream", base64: bytes.toString("base64") },
});
const note = (platform: "telegram" | "slack", value: string): NewOutboxMessage => ({ kind: "message", to: { platform, chatId: "-1" }, body: { locale: "zh-CN", text: [t("common.raw", { value })] } });

describe.each(backends())("documents through the outbox sender on $name", (backend) => {
  let db: TestStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.close());

  function sender(...transports: Transport[]) {
    let now = AT.getTime();
    return createOutboxSender({
      outbox: db.outbox,
      store: db.store,
      transports,
      render: outboxRenderer({ store: db.store, renderer, staffLocale: "zh-CN" }),
      clock: { now: () => new Date(now) },
      sleep: async (ms) => void (now += ms),
      logger: quietLogger,
    });
  }

  it("sends a document in its chat's order, bytes intact, captioned in its own language", async () => {
    await db.outbox.enqueue([note("telegram", "before"), doc("telegram", "en"), note("telegram", "after")], AT);
    const telegram = recorder("telegram", true);
    expect(await sender(telegram).drainOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(telegram.sent.map((s) => (typeof s === "string" ? s : s.filename))).toEqual(["before", "HG-2026-11.xlsx", "after"]);
    const file = telegram.sent[1] as DocumentFile;
    expect(Buffer.from(file.bytes).equals(bytes)).toBe(true);
    expect(file.caption).toBe("📎 虹港家园 2026-11 monthly statistics workbook");
  });

  it("gives a document up at once where the transport cannot upload, and the chat's next message still goes", async () => {
    await db.outbox.enqueue([doc("slack", "zh-CN"), note("slack", "next")], AT);
    const slack = recorder("slack", false);
    expect(await sender(slack).drainOnce()).toEqual({ sent: 1, retried: 0, dead: 1 });
    expect(slack.sent).toEqual(["next"]);
  });
});
