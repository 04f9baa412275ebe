/**
 * Properties (楼盘 / 小区), their zones (管辖区域) and their room registries. The PropertyStore
 * port is implemented in src/infra/prisma/properties.ts.
 */
import type { Locale } from "../text.js";

export interface ZoneRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

/** 楼盘 / 小区: a property with its zones (管辖区域). */
export interface PropertyRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly zones: readonly ZoneRecord[];
  /** When true, a room must exist in the property's room registry. */
  readonly hasRoomRegistry: boolean;
}

/** The property's name as a reader of `locale` knows it: its English name (`--en`) in English. */
export function propertyLabel(property: Pick<PropertyRecord, "name" | "nameEn">, locale: Locale): string {
  return locale === "en" ? (property.nameEn ?? property.name) : property.name;
}

export interface NewProperty {
  code: string;
  name: string;
  nameEn?: string;
  zones?: { code: string; name: string }[];
  rooms?: { label: string; zoneCode?: string }[];
}

/** 重要业主 (seed 001 §三.3): the roster's VIP mark on a room, with its note for staff. */
export interface VipMark {
  readonly note: string | null;
}

export interface RoomMatch {
  readonly id: string;
  readonly label: string;
  readonly zoneId: string | null;
  /** Present when the roster marks the room VIP; staff only, never shown to owners. */
  readonly vip?: VipMark | null;
}

export interface PropertyStore {
  properties(): Promise<PropertyRecord[]>;
  createProperty(input: NewProperty): Promise<PropertyRecord>;
  /** Look a normalised room label up in a property's registry. */
  findRoom(propertyId: string, label: string): Promise<RoomMatch | null>;
}
