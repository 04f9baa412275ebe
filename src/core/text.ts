import type zhCN from "../../locales/zh-CN.json";
import type zhCNAuthz from "../../locales/zh-CN.authz.json";
import type zhCNExport from "../../locales/zh-CN.export.json";
import type zhCNJobs from "../../locales/zh-CN.jobs.json";
import type zhCNReports from "../../locales/zh-CN.reports.json";
import type zhCNSla from "../../locales/zh-CN.sla.json";
import type zhCNRegistry from "../../locales/zh-CN.registry.json";
import type zhCNFrontdesk from "../../locales/zh-CN.frontdesk.json";
import type zhCNDraft from "../../locales/zh-CN.draft.json";
import type zhCNVipZone from "../../locales/zh-CN.vipzone.json";
import type zhCNRoster from "../../locales/zh-CN.roster.json";
import type zhCNLetters from "../../locales/zh-CN.letters.json";
import type zhCNCallbacks from "../../locales/zh-CN.callbacks.json";
import type zhCNHotline from "../../locales/zh-CN.hotline.json";

/**
 * Every key in the locale files: `zh-CN.json` and its area files. The zh-CN files are the source;
 * a test keeps `en` equal to them.
 */
export type MessageKey =
  | keyof typeof zhCN
  | keyof typeof zhCNAuthz
  | keyof typeof zhCNExport
  | keyof typeof zhCNJobs
  | keyof typeof zhCNReports
  | keyof typeof zhCNSla
  | keyof typeof zhCNRegistry
  | keyof typeof zhCNFrontdesk
  | keyof typeof zhCNDraft
  | keyof typeof zhCNVipZone
  | keyof typeof zhCNRoster
  | keyof typeof zhCNLetters
  | keyof typeof zhCNCallbacks
  | keyof typeof zhCNHotline;

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

/**
 * Something a person reads, still unrendered: a locale key and its parameters. A parameter may
 * itself be a Text (a kind's name inside a sentence), so the core never builds strings.
 */
export interface Text {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, TextParam>>;
}
export type TextParam = string | number | Text | { readonly time: string };

export function t(key: MessageKey, params?: Record<string, TextParam>): Text {
  return params ? { key, params } : { key };
}

/** A platform language code ("zh-hans", "en-US", undefined) to one of our locales. */
export function localeFromLanguageCode(code: string | undefined | null): Locale {
  if (!code) return DEFAULT_LOCALE;
  return code.toLowerCase().startsWith("en") ? "en" : DEFAULT_LOCALE;
}
