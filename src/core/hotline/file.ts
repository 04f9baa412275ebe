/**
 * Filing a case and setting its measures: who is told, in the same transaction as the change.
 * §4.3.1: the case file goes to the property at once (its head, in private); the hotline group
 * logs it; §4.3.2: a major case goes to the general manager at once. §4.4-§4.5.1: the measures
 * and the named department head, who handles it on site and makes the first callback.
 */
import { privateChatOf, type Choice } from "../messages.js";
import { toChats, toPeople } from "./notify.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import type { StaffStore } from "../staff/roles.js";
import { t, type Locale, type Text } from "../text.js";
import { caseYear, measuresDue, type CaseIntake, type HotlineCaseRecord } from "./case.js";
import type { HotlineStore } from "./store.js";
import { caseTexts } from "./views.js";

export interface HotlineDeps {
  readonly store: HotlineStore & PersonStore & PropertyStore & StaffStore;
  readonly policyOf: PolicyLookup;
  readonly staffLocale: Locale;
  readonly newId: () => string;
}


export const viewButton = (number: string): Choice => ({ value: `hl:case:${number}`, label: t("hotline.button.view") });

export async function propertyName(store: PropertyStore, id: string, locale: Locale): Promise<string> {
  const p = (await store.properties()).find((x) => x.id === id);
  return p ? propertyLabel(p, locale) : "?";
}

export async function fileHotlineCase(deps: HotlineDeps, intake: CaseIntake, at: Date): Promise<HotlineCaseRecord> {
  const { store, staffLocale } = deps;
  const policy = await deps.policyOf(intake.propertyId);
  const heads = await store.staffOf(intake.propertyId, "property_head");
  const managers = intake.major ? await store.companyPeople("general_manager") : [];
  const groups = await store.hotlineChats();
  const property = await propertyName(store, intake.propertyId, staffLocale);
  const reached = heads.filter((h) => privateChatOf(h));
  return store.fileCase(
    { ...intake, id: deps.newId(), year: caseYear(at, policy), measuresDueAt: measuresDue(at, policy), createdAt: at },
    (c) => {
      const file = caseTexts(c, property, null);
      return [
        ...toPeople(heads, staffLocale, [t("hotline.to_head.intro"), ...file, t("hotline.to_head.ask", { number: c.number })], [viewButton(c.number)]),
        // §4.3.2: 立即…知会物业集团总经理.
        ...toPeople(managers, staffLocale, [t("hotline.to_gm.major"), ...file], [viewButton(c.number)]),
        ...toChats(groups, staffLocale, [
          t("hotline.log.filed", { number: c.number, property }),
          ...file,
          ...(reached.length === 0 ? [t("hotline.log.no_head", { property })] : []),
        ]),
      ];
    },
  );
}

export type MeasuresResult = { readonly ok: true; readonly case: HotlineCaseRecord } | { readonly ok: false; readonly code: "not_awaiting" };

export async function setCaseMeasures(deps: HotlineDeps, c: HotlineCaseRecord, head: PersonRecord, measures: string, actor: PersonRecord, at: Date): Promise<MeasuresResult> {
  const { store, staffLocale } = deps;
  const property = await propertyName(store, c.propertyId, staffLocale);
  const next: HotlineCaseRecord = { ...c, status: "in_hand", measures, departmentHeadId: head.id, measuresAt: at };
  const policy = await deps.policyOf(c.propertyId);
  const callbackBy = new Date(c.createdAt.getTime() + policy.hotlineFirstCallbackMinutes * 60_000);
  const name = head.name ?? head.displayName ?? "?";
  const file = caseTexts(next, property, name);
  const outbox = [
    ...toPeople([head], staffLocale, [t("hotline.to_department.intro", { by: actor.name ?? actor.displayName ?? "?" }), ...file, t("hotline.to_department.callback", { due: { time: callbackBy.toISOString() } })], [viewButton(c.number)]),
    ...toChats(await store.hotlineChats(), staffLocale, [t("hotline.log.measures", { number: c.number, property, head: name, measures })]),
  ];
  const done = await store.setMeasures(c.id, { measures, departmentHeadId: head.id, actorId: actor.id, at }, outbox);
  return done ? { ok: true, case: next } : { ok: false, code: "not_awaiting" };
}
