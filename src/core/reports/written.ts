/**
 * The written complaints still waiting for their written reply (书面投诉, seed 000 §2(2)B: "对用户的
 * 书面投诉,要在公司收文登记薄上登记后呈服务中心主任,按投诉性质一般以书面回复用户"), as the daily log and the
 * director's digest list them (issue 12, item 6): each with its number in 收文登记簿 and the time
 * its reply is due, the overdue ones marked.
 *
 * The reports read the register through this port of their own, so they stay below the front
 * desk that keeps it (src/core/frontdesk/register.ts); the store joins the two.
 */
import { t, type Text } from "../text.js";
import type { TicketStatus } from "../ticket/status.js";
import { time } from "../ticket/views.js";

/** An open ticket of weight `written`, with its letter. */
export interface WrittenComplaint {
  readonly ticketNumber: string;
  /** `HG-收-2026-007`; null for a written ticket whose letter is not (yet) in the register. */
  readonly registerNumber: string | null;
  /** Who wrote, as registered; null without a register entry. */
  readonly sender: string | null;
  readonly roomLabel: string | null;
  readonly status: TicketStatus;
  /** The ticket's promised reply time (跟清楚); null while none is running. */
  readonly nextReplyDueAt: Date | null;
}

/** The port's side: implemented in src/infra/prisma/written.ts, part of ReportStore. */
export interface WrittenComplaintStore {
  /** Written complaints filed before `to` and open now, the reply due soonest first (none due last). */
  openWrittenComplaints(propertyId: string, to: Date): Promise<WrittenComplaint[]>;
}

const SHOWN = 10;

/** The list's lines: a title with how many are open and overdue at `asOf`, then one line each. */
export function writtenComplaintTexts(list: readonly WrittenComplaint[], asOf: Date): Text[] {
  if (list.length === 0) return [t("written_complaints.none")];
  const overdue = (x: WrittenComplaint) => x.nextReplyDueAt !== null && x.nextReplyDueAt.getTime() < asOf.getTime();
  const lines = [t("written_complaints.title", { count: list.length, overdue: list.filter(overdue).length })];
  for (const x of list.slice(0, SHOWN)) {
    const late = overdue(x);
    const due = x.nextReplyDueAt ? t(late ? "written_complaints.due_passed" : "written_complaints.due", { due: time(x.nextReplyDueAt) }) : t("written_complaints.no_due");
    lines.push(
      t(late ? "written_complaints.line_overdue" : "written_complaints.line", {
        register: x.registerNumber ?? t("written_complaints.unregistered"),
        number: x.ticketNumber,
        room: x.roomLabel ?? t("card.not_given"),
        sender: x.sender ?? t("card.not_given"),
        due,
      }),
    );
  }
  if (list.length > SHOWN) lines.push(t("digest.more", { count: list.length - SHOWN }));
  return lines;
}
