/**
 * `npm run admin -- sla show CODE` and `sla set CODE key=value ...`: a property's SLA policy,
 * each setting with its value, whether it was changed from the seeds' default, and what it means.
 */
import type { Clock } from "../core/time/clock.js";
import type { PropertyRecord, PropertyStore } from "../core/property/store.js";
import { applyOverrides, changeOverrides, DEFAULT_SLA_POLICY, policySettings, type SlaOverrides } from "../core/sla/policy.js";
import type { SlaStore } from "../core/sla/store.js";
import { t, type MessageKey, type Text } from "../core/text.js";
import type { Say } from "./deps.js";

export async function runSlaAdmin(action: string | undefined, args: readonly string[], store: PropertyStore, sla: SlaStore, clock: Clock, say: Say): Promise<number> {
  const [code, ...assignments] = args;
  if ((action !== "show" && action !== "set") || !code || (action === "set" && assignments.length === 0)) {
    say(t("sla.admin.usage"));
    return 2;
  }
  const property = (await store.properties()).find((p) => p.code === code.toUpperCase());
  if (!property) {
    say(t("admin.no_property", { code }));
    return 1;
  }
  const current = await sla.overridesOf(property.id);
  if (action === "show") {
    say(...policyLines(property, current));
    return 0;
  }
  const changed = changeOverrides(current, assignments);
  if (!changed.ok) {
    say(...changed.errors.map((e) => e.text));
    return 1;
  }
  await sla.setOverrides(property.id, changed.overrides, clock.now());
  say(t("sla.admin.saved", { property: property.name, code: property.code }), ...policyLines(property, changed.overrides));
  return 0;
}

function policyLines(property: PropertyRecord, overrides: SlaOverrides): Text[] {
  const applied = applyOverrides(overrides);
  // Stored overrides that no longer read are shown as errors; the defaults stand for them.
  const policy = applied.ok ? applied.policy : DEFAULT_SLA_POLICY;
  const defaults = new Map(policySettings(DEFAULT_SLA_POLICY).map((s) => [s.key, s.value]));
  const lines = policySettings(policy).map(({ key, value }) => {
    const meaning = t(`sla.setting.${key}` as MessageKey);
    return overrides[key] === undefined
      ? t("sla.admin.line", { key, value, meaning })
      : t("sla.admin.line_override", { key, value, default: defaults.get(key)!, meaning });
  });
  return [t("sla.admin.title", { property: property.name, code: property.code }), ...lines, ...(applied.ok ? [] : applied.errors.map((e) => e.text))];
}
