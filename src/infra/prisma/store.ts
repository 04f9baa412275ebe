/** The `Store` port over a generated Prisma client; the same code serves SQLite and PostgreSQL. */
import type { Store } from "../../core/ports.js";
import { beginTurn, loadConversation, saveConversation } from "./conversations.js";
import type { Ctx } from "./db.js";
import { grantStaffRole, ownerRooms, person, personById, staffRoles, updatePerson } from "./people.js";
import { createProperty, findRoom, properties } from "./properties.js";
import { appendEvent, applyTransition, fileTicket, ticketByNumber, ticketEvents, ticketsOfOwner } from "./tickets.js";

export function createStore(ctx: Ctx): Store {
  return {
    person: (identity) => person(ctx, identity),
    beginTurn: (identity, key) => beginTurn(ctx, identity, key),
    updatePerson: (id, patch) => updatePerson(ctx, id, patch),
    personById: (id) => personById(ctx, id),
    staffRoles: (personId) => staffRoles(ctx, personId),
    grantStaffRole: (personId, grant) => grantStaffRole(ctx, personId, grant),
    properties: () => properties(ctx),
    createProperty: (input) => createProperty(ctx, input),
    findRoom: (propertyId, label) => findRoom(ctx, propertyId, label),
    ownerRooms: (personId) => ownerRooms(ctx, personId),
    loadConversation: (key) => loadConversation(ctx, key),
    saveConversation: (key, personId, state, expected, at) => saveConversation(ctx, key, personId, state, expected, at),
    fileTicket: (input) => fileTicket(ctx, input),
    ticketByNumber: (number) => ticketByNumber(ctx, number),
    ticketsOfOwner: (personId, limit) => ticketsOfOwner(ctx, personId, limit),
    ticketEvents: (ticketId) => ticketEvents(ctx, ticketId),
    appendEvent: (ticketId, event, patch) => appendEvent(ctx, ticketId, event, patch),
    applyTransition: (ticketId, from, to, event, patch) => applyTransition(ctx, ticketId, from, to, event, patch),
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
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  const wrapped = {} as Record<keyof Store, unknown>;
  for (const [name, method] of Object.entries(store) as [keyof Store, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = (...args: unknown[]) => queue(() => method(...args));
  }
  return wrapped as Store;
}
