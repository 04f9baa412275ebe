/** How a case file (热线处理档案) reads, in a private chat or the hotline group. */
import { t, type Text } from "../text.js";
import { time } from "../ticket/views.js";
import type { HotlineCaseRecord } from "./case.js";

const given = (value: string | null): Text | string => value ?? t("card.not_given");

/** §4.2: room, name, phone, property and the matter; then where it stands. */
export function caseTexts(c: HotlineCaseRecord, property: string, departmentHead: string | null): Text[] {
  const lines: Text[] = [
    t(c.major ? "hotline.case.title_major" : "hotline.case.title", { number: c.number, property }),
    t("hotline.case.owner", { room: given(c.roomLabel), name: given(c.contactName), phone: given(c.contactPhone) }),
    t("hotline.case.matter", { matter: c.matter }),
    t("hotline.case.tickets", { tickets: c.tickets.join(", ") || t("card.not_given") }),
    t("hotline.case.status", { status: t(`hotline.status.${c.status}`) }),
  ];
  if (c.measures) lines.push(t("hotline.case.measures", { measures: c.measures, head: given(departmentHead) }));
  else lines.push(t("hotline.case.measures_due", { due: time(c.measuresDueAt) }));
  return lines;
}

export const caseLine = (c: HotlineCaseRecord, property: string): Text =>
  t("hotline.case.line", { number: c.number, property, status: t(`hotline.status.${c.status}`), matter: c.matter.slice(0, 40) });
