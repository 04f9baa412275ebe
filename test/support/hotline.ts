/** The hotline (issue 14) over a test store, for the desks' harnesses: default policy, numbered case ids. */
import type { HotlineExtensionDeps } from "../../src/core/hotline/extension.js";
import { DEFAULT_SLA_POLICY } from "../../src/core/sla/policy.js";
import { hotlineStore } from "../../src/infra/prisma/hotline.js";
import type { TestStore } from "./db.js";

export function hotlineDeps(opened: TestStore): HotlineExtensionDeps {
  let n = 0;
  return { store: { ...opened.store, ...opened.use(hotlineStore) }, policyOf: async () => DEFAULT_SLA_POLICY, staffLocale: "zh-CN", newId: () => `case-${++n}` };
}
