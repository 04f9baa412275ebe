/**
 * People (业主 and staff alike: one person per platform identity) and the rooms an owner has
 * used before. The PersonStore port is implemented in src/infra/prisma/people.ts.
 */
import type { Channel } from "../messages.js";
import type { Locale } from "../text.js";

/** One person per platform identity (a Telegram user, a Slack user, the console user). */
export interface PersonRecord {
  readonly id: string;
  readonly platform: Channel;
  readonly platformUserId: string;
  readonly displayName: string | null;
  /** The platform handle (Telegram @username, without the @), if the platform has one. */
  readonly username: string | null;
  readonly name: string | null;
  readonly phone: string | null;
  readonly locale: Locale | null;
  /** True once the person chose a language themselves; the platform hint no longer applies. */
  readonly localeExplicit: boolean;
}

export interface PersonPatch {
  name?: string;
  phone?: string;
  locale?: Locale;
  localeExplicit?: boolean;
}

/** A platform identity as an adapter sees it, with the language the platform suggests. */
export interface PersonIdentity {
  platform: Channel;
  platformUserId: string;
  displayName?: string;
  /** The platform handle (without the @); kept up to date when it changes. */
  username?: string;
  locale: Locale;
}

/** How a colleague is named in a command: their platform handle, or the platform's user id (Slack's `<@U123>`). */
export type PersonHandle = { readonly username: string } | { readonly platformUserId: string };

/** A room an owner has used before, remembered so a returning owner is not asked again. */
export interface OwnerRoomRecord {
  readonly propertyId: string;
  readonly roomLabel: string;
  readonly roomId: string | null;
  readonly zoneId: string | null;
}

export interface PersonStore {
  /** Find the person behind a platform identity, creating them on first contact. */
  person(identity: PersonIdentity): Promise<PersonRecord>;
  updatePerson(id: string, patch: PersonPatch): Promise<PersonRecord>;
  personById(id: string): Promise<PersonRecord | null>;
  /**
   * The person behind a handle on a platform, or null; never creates anyone (a colleague named in
   * `/transfer` must have talked to the bot). Usernames match without regard to case, as on Telegram.
   */
  findPerson(platform: Channel, handle: PersonHandle): Promise<PersonRecord | null>;
  /** The rooms an owner filed from before, so a returning owner confirms instead of retyping. */
  ownerRooms(personId: string): Promise<OwnerRoomRecord[]>;
  /**
   * Remember the room as the owner's, before any filing: an owner who confirmed the roster's room
   * for their phone is offered it next time (issue 13 item 1). Linking it again only refreshes it.
   */
  linkOwnerRoom(personId: string, room: OwnerRoomRecord, at: Date): Promise<void>;
}
