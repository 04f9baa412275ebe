/**
 * Every port the Prisma repositories implement, over one generated client; the same code serves
 * SQLite and PostgreSQL. Each port is built in the file of its concept; this only puts them together.
 */
import type { ConversationStore } from "../../core/conversation/store.js";
import type { RedeliveryGuard, UpdateInbox } from "../../core/desk/inbound.js";
import type { PersonStore } from "../../core/people/store.js";
import type { PropertyStore } from "../../core/property/store.js";
import type { RosterLookup } from "../../core/registry/store.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { InviteStore } from "../../core/staff/invites.js";
import type { StaffStore } from "../../core/staff/roles.js";
import type { TicketStore } from "../../core/ticket/store.js";
import { chatStore, inviteStore, redeliveryGuard } from "./chats.js";
import { conversationStore } from "./conversations.js";
import type { Ctx } from "./db.js";
import { updateInbox } from "./inbox.js";
import { personStore, staffStore } from "./people.js";
import { propertyStore } from "./properties.js";
import { rosterLookup } from "./registry.js";
import { ticketStore } from "./tickets.js";

/** What `createStore` returns: the wiring hands each consumer only the ports it names. */
export type Stores = PersonStore & StaffStore & PropertyStore & TicketStore & ConversationStore & ChatStore & InviteStore & RedeliveryGuard & UpdateInbox & RosterLookup;

export function createStore(ctx: Ctx): Stores {
  return {
    ...personStore(ctx),
    ...staffStore(ctx),
    ...propertyStore(ctx),
    ...ticketStore(ctx),
    ...conversationStore(ctx),
    ...chatStore(ctx),
    ...inviteStore(ctx),
    ...redeliveryGuard(ctx),
    ...updateInbox(ctx),
    ...rosterLookup(ctx),
  };
}

/**
 * One store call at a time. adapter-better-sqlite3 6.19.3 runs every query on one connection and
 * only makes *transactions* wait for each other: a plain query issued while another call's
 * transaction is open runs inside it, reads its uncommitted rows and is rolled back with it
 * (a conversation save "succeeds", then vanishes because a duplicate filing rolled back).
 * better-sqlite3 is synchronous anyway, so queuing calls costs no parallelism.
 */
export function serialized<T extends object>(store: T): T {
  return serializer()(store);
}

/** One queue for every object it wraps: the store and the outbox share SQLite's one connection. */
export function serializer(): <T extends object>(target: T) => T {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <R>(call: () => Promise<R>): Promise<R> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  return <T extends object>(target: T): T => {
    const wrapped: Record<string, unknown> = {};
    for (const [name, method] of Object.entries(target) as [string, (...args: unknown[]) => Promise<unknown>][]) {
      wrapped[name] = (...args: unknown[]) => queue(() => method(...args));
    }
    return wrapped as T;
  };
}
