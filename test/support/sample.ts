/**
 * An October of 虹港家园 written out by hand: five tickets, four callbacks, and the figures a
 * store would count from them. The rows carry what breaks careless files: commas, quotes and line
 * breaks in an owner's words, a text that a spreadsheet would take for a formula, empty fields.
 */
import type { CallbackRow, IntakeRow, MonthlyFigures } from "../../src/core/reports/figures.js";

const sh = (local: string): Date => new Date(`${local.replace(" ", "T")}:00+08:00`);

export const PROPERTY = { id: "p-hg", code: "HG", name: "虹港家园", nameEn: "Honggang Garden" };

export const INTAKE: IntakeRow[] = [
  {
    number: "HG-0001", createdAt: sh("2026-10-01 00:00"), kind: "complaint", category: "security", weight: "general", status: "closed",
    roomLabel: "3-1201", contactName: "王先生", contactPhone: "13900001111", zoneName: "A区",
    description: '保安态度差,说"不归我管",\n还摔门', assigneeName: "小王",
    firstResponseAt: sh("2026-10-01 00:30"), resolvedAt: sh("2026-10-02 10:00"), result: "已批评教育,当面道歉", rating: "satisfied", calledBackAt: sh("2026-10-03 09:00"),
  },
  {
    number: "HG-0002", createdAt: sh("2026-10-05 09:00"), kind: "repair", category: "engineering", weight: "major", status: "resolved",
    roomLabel: "5-0302", contactName: "李女士", contactPhone: "13800002222", zoneName: "A区",
    description: "=HYPERLINK(\"http://x\") 厨房漏水", assigneeName: "小王",
    firstResponseAt: sh("2026-10-05 09:10"), resolvedAt: sh("2026-10-05 15:00"), result: "已换水管", rating: "fairly", calledBackAt: null,
  },
  {
    number: "HG-0003", createdAt: sh("2026-10-10 14:00"), kind: "complaint", category: "cleaning", weight: "general", status: "in_progress",
    roomLabel: null, contactName: null, contactPhone: null, zoneName: null,
    description: "5栋楼道三天没人打扫", assigneeName: "陈主管",
    firstResponseAt: sh("2026-10-10 16:00"), resolvedAt: null, result: null, rating: null, calledBackAt: null,
  },
  {
    number: "HG-0004", createdAt: sh("2026-10-20 11:00"), kind: "complaint", category: "parking", weight: "general", status: "resolved",
    roomLabel: "B-12-0803", contactName: "赵先生", contactPhone: "+8613700003333", zoneName: "A区",
    description: "车位被占", assigneeName: "小王",
    firstResponseAt: sh("2026-10-20 18:00"), resolvedAt: sh("2026-10-22 09:00"), result: "已联系车主挪车", rating: "dissatisfied", calledBackAt: sh("2026-10-23 10:00"),
  },
  {
    number: "HG-0005", createdAt: sh("2026-10-31 23:59"), kind: "inquiry", category: "fees", weight: "general", status: "new",
    roomLabel: "3-0101", contactName: "孙女士", contactPhone: "13600004444", zoneName: null,
    description: "物业费怎么交", assigneeName: null,
    firstResponseAt: null, resolvedAt: null, result: null, rating: null, calledBackAt: null,
  },
];

export const CALLBACKS: CallbackRow[] = [
  { ticketNumber: "HG-0001", at: sh("2026-10-02 11:00"), rating: "satisfied", by: "owner", byName: null, note: null, roomLabel: "3-1201", contactName: "王先生", kind: "complaint", category: "security" },
  { ticketNumber: "HG-0001", at: sh("2026-10-03 09:00"), rating: "satisfied", by: "staff", byName: "陈主任", note: "业主表示满意", roomLabel: "3-1201", contactName: "王先生", kind: "complaint", category: "security" },
  { ticketNumber: "HG-0002", at: sh("2026-10-05 16:00"), rating: "fairly", by: "owner", byName: null, note: null, roomLabel: "5-0302", contactName: "李女士", kind: "repair", category: "engineering" },
  { ticketNumber: "HG-0004", at: sh("2026-10-23 10:00"), rating: "dissatisfied", by: "staff", byName: "陈主任", note: "仍有车占位", roomLabel: "B-12-0803", contactName: "赵先生", kind: "complaint", category: "parking" },
];

export const FIGURES: MonthlyFigures = {
  propertyId: PROPERTY.id,
  month: "2026-10",
  from: sh("2026-10-01 00:00"),
  to: sh("2026-11-01 00:00"),
  asOf: sh("2026-11-01 00:05"),
  total: 5,
  byKind: { complaint: 3, repair: 1, inquiry: 1, suggestion: 0, praise: 0, help: 0 },
  byCategory: { cleaning: 1, engineering: 1, greening: 0, security: 1, parking: 1, fees: 1, management: 0, efficiency: 0, conduct: 0, other: 0 },
  byZone: [
    { zoneId: "z-a", name: "A区", count: 3 },
    { zoneId: null, name: null, count: 2 },
  ],
  byStaff: [
    { personId: "s-wang", name: "小王", claimed: 3, resolved: 3 },
    { personId: "s-boss", name: "陈主管", claimed: 1, resolved: 0 },
  ],
  ratings: { satisfied: 2, fairly: 1, dissatisfied: 1 },
  repeatCallbacks: 1,
  rates: {
    feedbackOnTime: { numerator: 2, denominator: 3 },
    callback: { numerator: 2, denominator: 2 },
    callbackSatisfaction: { numerator: 2, denominator: 3 },
    closure: { numerator: 2, denominator: 3 },
    reopen: { numerator: 0, denominator: 3 },
  },
};
