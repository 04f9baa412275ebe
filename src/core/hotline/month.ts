/** A month of the hotline: the cases filed in it with their histories, the KPIs, and the names the forms show. */
import { nameOf } from "../people/name.js";
import type { PersonStore } from "../people/store.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import type { SlaPolicy } from "../sla/policy.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import type { Locale } from "../text.js";
import { hotlineKpis, type CaseHistory, type PropertyKpis } from "./kpis.js";
import type { HotlineStore } from "./store.js";

export interface HotlineMonth {
  readonly histories: CaseHistory[];
  readonly kpis: PropertyKpis[];
  readonly names: Map<string, string>;
}

export async function monthOf(
  deps: { readonly store: Pick<HotlineStore, "casesFiled" | "caseEvents"> & PropertyStore & Pick<PersonStore, "personById">; readonly policyOf: PolicyLookup },
  from: Date,
  to: Date,
  asOf: Date,
  locale: Locale,
): Promise<HotlineMonth> {
  const { store } = deps;
  const histories: CaseHistory[] = [];
  for (const c of await store.casesFiled(from, to)) histories.push({ case: c, events: (await store.caseEvents(c.id)).filter((e) => e.at <= asOf) });
  const policies = new Map<string, SlaPolicy>();
  for (const id of new Set(histories.map((h) => h.case.propertyId))) policies.set(id, await deps.policyOf(id));
  const names = new Map<string, string>((await store.properties()).map((p) => [p.id, propertyLabel(p, locale)]));
  const people = new Set(histories.flatMap((h) => [h.case.recordedById, h.case.departmentHeadId, ...h.events.map((e) => e.actorId)].filter((x): x is string => x !== null)));
  for (const id of people) names.set(id, nameOf(await store.personById(id)));
  return { histories, kpis: hotlineKpis(histories, asOf, (id) => policies.get(id)!), names };
}
