/**
 * The front desk with 收文登记簿 installed as a deployment has it (src/staff-side.ts): the
 * scribe registering letters, the written-reply guard with `/letter`, and `/export register`
 * beside the monthly `/export`. Shared by the letter scenarios on Telegram and Slack.
 */
import { frontDeskExtension } from "../../src/core/frontdesk/extension.js";
import { letterReplyExtension, withRegisterExport } from "../../src/core/frontdesk/reply.js";
import { statsExtension } from "../../src/core/reports/stats-extension.js";
import type { StaffExtension } from "../../src/core/staff/extension.js";
import type { Renderer } from "../../src/i18n/render.js";
import { createReportFiles } from "../../src/infra/export/files.js";
import { createLetterFiles } from "../../src/infra/export/letters.js";
import { frontDeskStore } from "../../src/infra/prisma/frontdesk.js";
import { letterRegisterStore } from "../../src/infra/prisma/letters.js";
import { registryStore } from "../../src/infra/prisma/registry.js";
import { createReportStore } from "../../src/infra/prisma/reports.js";
import { sequentialIds } from "./chat.js";
import type { TestStore } from "./db.js";

const ZONE = "Asia/Shanghai";

export function letterExtensions(opened: TestStore, renderer: Renderer): StaffExtension[] {
  const { store, outbox } = opened;
  const letters = { register: opened.use(letterRegisterStore), files: createLetterFiles({ renderer, timeZone: ZONE }), outbox, timeZone: ZONE };
  const replies = letterReplyExtension({ ...letters, store });
  const reports = opened.use(createReportStore);
  const stats = statsExtension({ store, reports, files: createReportFiles({ reports, renderer, timeZone: ZONE }), outbox, timeZone: ZONE });
  return [
    frontDeskExtension({ store: { ...store, ...opened.use(registryStore), ...opened.use(frontDeskStore) }, ids: sequentialIds("fd"), staffLocale: "zh-CN", letters }),
    replies,
    withRegisterExport(stats, replies),
  ];
}

/** 收文登记簿's headers, as the brief gives them. */
export const REGISTER_HEADERS = ["登记号", "收文日期", "来信人", "摘要", "房号", "工单号", "回复日期", "回复摘要", "状态"];
