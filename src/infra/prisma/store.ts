/** The `Store` port over a generated Prisma client; the same code serves SQLite and PostgreSQL. */
import type { Store } from "../../core/ports.js";
import { beginTurn, loadConversation, saveConversation } from "./conversations.js";
import type { Ctx } from "./db.js";
import { bindChat, chatBinding, createInvite, deactivateChat, firstDelivery, propertyChats, redeemInvite } from "./chats.js";
import { findPerson, grantStaffRole, ownerRooms, person, personById, staffOf, staffRoles, updatePerson } from "./people.js";
import { createProperty, findRoom, properties } from "./properties.js";
import { appendEvent, applyTransition, fileTicket, findTickets, ticketById, ticketByNumber, ticketEvents, ticketsOfOwner } from "./tickets.js";

export function createStore(ctx: Ctx): Store {
  return {
    person: (identity) => person(ctx, identity),
    beginTurn: (identity, key) => beginTurn(ctx, identity, key),
    updatePerson: (id, patch) => updatePerson(ctx, id, patch),
    personById: (id) => personById(ctx, id),
    findPerson: (platform, handle) => findPerson(ctx, platform, handle),
    staffRoles: (personId) => staffRoles(ctx, personId),
    staffOf: (propertyId, role) => staffOf(ctx, propertyId, role),
    grantStaffRole: (personId, grant) => grantStaffRole(ctx, personId, grant),
    createInvite: (input) => createInvite(ctx, input),
    redeemInvite: (code, kind, personId, at) => redeemInvite(ctx, code, kind, personId, at),
    bindChat: (binding, at) => bindChat(ctx, binding, at),
    chatBinding: (ref) => chatBinding(ctx, ref),
    propertyChats: (propertyId, purpose) => propertyChats(ctx, propertyId, purpose),
    deactivateChat: (ref) => deactivateChat(ctx, ref),
    firstDelivery: (platform, updateId, at) => firstDelivery(ctx, platform, updateId, at),
    properties: () => properties(ctx),
    createProperty: (input) => createProperty(ctx, input),
    findRoom: (propertyId, label) => findRoom(ctx, propertyId, label),
    ownerRooms: (personId) => ownerRooms(ctx, personId),
    loadConversation: (key) => loadConversation(ctx, key),
    saveConversation: (key, personId, state, expected, at) => saveConversation(ctx, key, personId, state, expected, at),
    fileTicket: (input) => fileTicket(ctx, input),
    ticketByNumber: (number) => ticketByNumber(ctx, number),
    ticketById: (id) => ticketById(ctx, id),
    ticketsOfOwner: (personId, limit) => ticketsOfOwner(ctx, personId, limit),
    findTickets: (query) => findTickets(ctx, query),
    ticketEvents: (ticketId) => ticketEvents(ctx, ticketId),
    appendEvent: (ticketId, event, patch, outbox) => appendEvent(ctx, ticketId, event, patch, outbox),
    applyTransition: (ticketId, from, to, event, patch, outbox) =>
      applyTransition(ctx, ticketId, from, to, event, patch, outbox),
  };
}

/**
 * One store call at a time. adapter-better-sqlite3 6.19.3 runs every query on one connection and
 * only makes *transactions* wait for each other: a plain query issued while another call's
 * transaction is open runs inside it, reads its uncommitted rows and is rolled back with it
 * (a conversation save "succeeds", then vanishes because a duplicate filing rolled back).
 * better-sqlite3 is synchronous anyway, so queuing calls costs no parallelism.
 */
export function serialized(store: Store): Store {
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
