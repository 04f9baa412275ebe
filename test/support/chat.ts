/**
 * Drives the owner desk the way an adapter does, over a real SQLite store, and renders every
 * reply with the real catalogs, so scenario tests read like the chat an owner would see.
 */
import { OwnerDesk } from "../../src/core/desk/owner-desk.js";
import type { InboundBody, Outcome } from "../../src/core/messages.js";
import type { Clock } from "../../src/core/time/clock.js";
import type { Locale } from "../../src/core/text.js";
import type { IdGenerator } from "../../src/core/util/ids.js";
import type { NewProperty } from "../../src/core/property/store.js";
import type { OutboxStore } from "../../src/core/outbox.js";
import type { OwnerTextModel } from "../../src/core/classify/owner-text.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { freshSqliteStore, type TestStore } from "./db.js";
import { anyLevel } from "./logger.js";
import type { Stores } from "../../src/infra/prisma/store.js";

export class TestClock implements Clock {
  constructor(private t = new Date("2026-11-23T02:00:00Z")) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export function sequentialIds(prefix = "id"): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${++n}` };
}

export interface Said {
  /** Everything the bot replied, rendered, one string. */
  readonly text: string;
  /** The labels of the choices of the last reply that had any. */
  readonly choices: string[];
  readonly outcome: Outcome;
}

export interface Chat {
  readonly store: Stores;
  readonly outbox: OutboxStore;
  readonly clock: TestClock;
  readonly renderer: Renderer;
  /** More of the driven side over the chat's database (the registry, to import a roster). */
  readonly use: TestStore["use"];
  desk: OwnerDesk;
  errors: unknown[];
  /** Send as owner `user` (default "u1"); a string is typed text. */
  send(body: string | InboundBody, user?: string, languageCode?: string): Promise<Said>;
  /** Send several texts in order; returns what the last one got. */
  script(lines: string[], user?: string): Promise<Said>;
  /** A new desk on the same store: what a process restart looks like to the core. */
  restart(): void;
  close(): Promise<void>;
}

export async function openChat(
  opts: { properties?: NewProperty[]; channel?: "console" | "telegram"; ownerText?: OwnerTextModel; staffLocale?: Locale } = {},
): Promise<Chat> {
  const channel = opts.channel ?? "console";
  const { store, outbox, close, use } = await freshSqliteStore();
  for (const p of opts.properties ?? [DEMO_PROPERTY]) await store.createProperty(p);
  const clock = new TestClock();
  const ids = sequentialIds();
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  const errors: unknown[] = [];
  const ownerText = opts.ownerText ? { ownerText: opts.ownerText } : {};
  const makeDesk = () => new OwnerDesk({ store, clock, ids, logger: anyLevel((_m, e) => void errors.push(e)), ...ownerText, ...(opts.staffLocale ? { staffLocale: opts.staffLocale } : {}) });
  const chat: Chat = {
    store,
    outbox,
    clock,
    renderer,
    use,
    desk: makeDesk(),
    errors,
    async send(body, user = "u1", languageCode) {
      const outcome = await chat.desk.handle({
        channel,
        conversationKey: `${channel}:${user}`,
        sender: { platformUserId: user, displayName: user, languageCode },
        body: typeof body === "string" ? { type: "text", text: body } : body,
      });
      const rendered = outcome.replies.map((r) => renderer.reply(r, outcome.locale));
      const withChoices = [...rendered].reverse().find((r) => r.choices.length > 0);
      return {
        text: rendered.map((r) => r.text).join("\n"),
        choices: withChoices ? withChoices.choices.map((c) => c.label) : [],
        outcome,
      };
    },
    async script(lines, user) {
      let last: Said | undefined;
      for (const line of lines) last = await chat.send(line, user);
      return last!;
    },
    restart() {
      chat.desk = makeDesk();
    },
    close,
  };
  return chat;
}
