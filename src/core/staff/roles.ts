/**
 * Staff roles, per property or per zone. Source: seed 001 (客服前台助理, 客服专员/管家 per zone,
 * 客服主管), seed 000 (服务中心主任), seed 002 (热线专员, 楼盘负责人), plus an admin who sets up
 * the property in chat.
 */
import type { PersonRecord } from "../people/store.js";

export const STAFF_ROLES = [
  "front_desk",
  "zone_specialist",
  "supervisor",
  "director",
  "hotline_officer",
  "property_head",
  "admin",
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that may act on any ticket of their property, not only on the ones they claimed. */
export const LEAD_ROLES: readonly StaffRole[] = ["supervisor", "director", "property_head", "admin"];

export interface StaffRoleRecord {
  readonly propertyId: string;
  /** A zone specialist's zone (管辖区域); null for a role over the whole property. */
  readonly zoneId: string | null;
  readonly role: StaffRole;
}

/** Who holds which role; implemented in src/infra/prisma/people.ts beside the people it names. */
export interface StaffStore {
  /** Every staff role the person holds, in any property. */
  staffRoles(personId: string): Promise<StaffRoleRecord[]>;
  /** People holding a role in a property (any zone). */
  staffOf(propertyId: string, role: StaffRole): Promise<PersonRecord[]>;
  /** Give a person a role; granting a role they already hold changes nothing. */
  grantStaffRole(personId: string, role: StaffRoleRecord): Promise<void>;
}
