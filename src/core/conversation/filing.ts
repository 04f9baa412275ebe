/**
 * The end of an intake: the confirmed record (记清楚) filed as a numbered ticket, the staff told
 * (一报告 for a major matter), the owner given the number and the time they will hear back, and
 * the next matter the owner put aside offered. The conversation's dispatch is ./engine.ts.
 */
import type { Input } from "./input.js";
import { prompt, startIntake, wrongInput } from "./intake.js";
import type { Draft } from "./state.js";
import type { Turn } from "./turn.js";
import type { NewOutboxMessage } from "../outbox.js";
import { maskName } from "../people/name.js";
import { firstReplyDue } from "../sla/reply-promise.js";
import { announcement } from "../staff/announce.js";
import { t } from "../text.js";
import { time } from "../ticket/views.js";

/** File the confirmed record (记清楚) and tell the owner its number and when they hear back. */
export async function file(turn: Turn): Promise<void> {
  const d = turn.state.draft!;
  const { store, clock, channel } = turn.env;
  const now = clock.now();
  const weight = d.major ? "major" : "general";
  // 重要业主 (issue 13 §2): the room's VIP mark as it is now is stamped on the ticket.
  const vip = d.room ? ((await store.findRoom(d.propertyId!, d.room))?.vip ?? null) : null;
  const due = firstReplyDue(d.kind!, weight, now, await turn.env.slaPolicy?.(d.propertyId!), vip !== null);
  const announce = await announcement(store, d.propertyId!, weight === "major", turn.env.staffLocale ?? "zh-CN", turn.env.properties);
  const { ticket } = await store.fileTicket({
    intakeId: d.intakeId,
    propertyId: d.propertyId!,
    zoneId: d.zoneId ?? null,
    roomId: d.roomId ?? null,
    kind: d.kind!,
    category: d.category ?? "other",
    weight,
    majorReasons: d.majorReasons,
    ownerId: turn.person.id,
    roomLabel: d.room ?? null,
    contactName: d.name ?? null,
    contactPhone: d.phone ?? null,
    location: d.location ?? null,
    place: d.place ?? null,
    description: d.description,
    summary: d.summary ?? null,
    since: d.since ?? null,
    visitTime: d.visitTime ?? null,
    photos: d.photos,
    channel,
    locale: turn.locale,
    createdAt: now,
    nextReplyDueAt: due,
    vip,
    confirmation: { ...d, confirmedAt: now.toISOString(), locale: turn.locale },
    outbox: (filed) => [...announce(filed), ...groupConfirmation(d, filed, turn)],
  });
  turn.say(
    t("filed.title", { number: ticket.number }),
    ...(ticket.weight === "major" ? [t("filed.major")] : []),
    t("filed.next_reply", { due: time(ticket.nextReplyDueAt ?? due) }),
    t("filed.follow", { number: ticket.number }),
  );
  turn.state.draft = undefined;
  await finishIntake(turn);
}

/** The owners' group the matter came from sees only that it was filed, never the details (隐私). */
function groupConfirmation(d: Draft, ticket: { number: string }, turn: Turn): NewOutboxMessage[] {
  if (!d.group || (turn.env.channel !== "telegram" && turn.env.channel !== "slack")) return [];
  const name = maskName(d.name ?? turn.person.displayName ?? "");
  return [{ kind: "message", to: { platform: turn.env.channel, chatId: d.group }, body: { locale: turn.locale, text: [t("group.filed", { name, number: ticket.number })] } }];
}

export async function finishIntake(turn: Turn): Promise<void> {
  turn.state.field = undefined;
  turn.state.failures = 0;
  if (turn.state.pending.length > 0) {
    turn.state.step = "next_pending";
    return prompt(turn);
  }
  turn.state.step = "idle";
  turn.state.lastChoices = [];
}

export async function onPending(turn: Turn, input: Input): Promise<void> {
  if (input.type !== "choice" || (input.value !== "yes" && input.value !== "no")) return wrongInput(turn);
  const matter = turn.state.pending.shift()!;
  if (input.value === "yes") {
    turn.state.step = "idle";
    return startIntake(turn, { text: matter.text, group: matter.group });
  }
  turn.say(t("pending.dropped"));
  return finishIntake(turn);
}
