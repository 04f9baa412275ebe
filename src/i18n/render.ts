/**
 * Renders the core's `Text` values into strings from the locale catalogs. Adapters use this;
 * the core never builds a sentence itself.
 */
import type { Choice, Reply } from "../core/messages.js";
import type { Locale, Text, TextParam } from "../core/text.js";

export type Catalog = Readonly<Record<Locale, Readonly<Record<string, string>>>>;

export interface RenderedChoice {
  readonly value: string;
  readonly label: string;
}
export interface RenderedReply {
  readonly text: string;
  readonly choices: readonly RenderedChoice[];
}

export interface Renderer {
  text(text: Text, locale: Locale): string;
  reply(reply: Reply, locale: Locale): RenderedReply;
}

export function createRenderer(catalog: Catalog, timeZone: string): Renderer {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const numericMonth = new Intl.DateTimeFormat("en-GB", { timeZone, month: "numeric" });
  /** 11月24日 09:30 for Chinese readers, 24 Nov 09:30 for English ones, in the property's zone. */
  function formatTime(iso: string, locale: Locale): string {
    const d = new Date(iso);
    const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
    const clock = `${p.hour}:${p.minute}`;
    return locale === "zh-CN" ? `${numericMonth.format(d)}月${p.day}日 ${clock}` : `${p.day} ${p.month} ${clock}`;
  }

  function param(value: TextParam, locale: Locale): string {
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    if ("time" in value) return formatTime(value.time, locale);
    return text(value, locale);
  }

  function text(value: Text, locale: Locale): string {
    // A key missing from a catalog renders as the key itself: visible, never a crash mid-reply.
    // The locale tests keep both catalogs complete.
    const template = catalog[locale][value.key] ?? value.key;
    const params = value.params ?? {};
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = params[name];
      return v === undefined ? whole : param(v, locale);
    });
  }

  function choice(c: Choice, locale: Locale): RenderedChoice {
    return { value: c.value, label: text(c.label, locale) };
  }

  return {
    text,
    reply(reply, locale) {
      const l = reply.locale ?? locale;
      return { text: reply.text.map((x) => text(x, l)).join("\n"), choices: (reply.choices ?? []).map((c) => choice(c, l)) };
    },
  };
}
