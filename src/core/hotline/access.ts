/**
 * Who may see a hotline case (§4.8 "无关人员不得传阅"): the hotline officers and the general
 * manager; of the property concerned, its head (楼盘负责人, the first responsible, §3.2.1) and
 * the department head they named. Never a property's group: a case is read in a private chat,
 * or by the quality office in its own hotline group.
 */
import type { StaffRoleRecord } from "../staff/roles.js";
import type { CompanyRole, HotlineCaseRecord } from "./case.js";

export interface HotlineViewer {
  readonly personId: string;
  readonly companyRoles: readonly CompanyRole[];
  readonly staffRoles: readonly StaffRoleRecord[];
  /** private, or the company's hotline group; any other group is a property's or a stranger's. */
  readonly chat: "private" | "hotline_group" | "other_group";
}

/** 全质办 and the 总经理: every case, in private or in the hotline group. */
export const isQualityOffice = (v: HotlineViewer): boolean => v.companyRoles.length > 0 && v.chat !== "other_group";

export const headedProperties = (v: HotlineViewer): string[] => v.staffRoles.filter((r) => r.role === "property_head").map((r) => r.propertyId);

export function maySeeCase(v: HotlineViewer, c: Pick<HotlineCaseRecord, "propertyId" | "departmentHeadId">): boolean {
  if (isQualityOffice(v)) return true;
  if (v.chat !== "private") return false;
  return headedProperties(v).includes(c.propertyId) || c.departmentHeadId === v.personId;
}

/** §4.4: the property head sets the measures, in private. */
export const maySetMeasures = (v: HotlineViewer, c: Pick<HotlineCaseRecord, "propertyId">): boolean =>
  v.chat === "private" && headedProperties(v).includes(c.propertyId);

/** §4.2, §5.2: the officers record calls; the general manager hears the hotline but does not staff it. */
export const mayRecord = (v: HotlineViewer): boolean => v.chat !== "other_group" && v.companyRoles.includes("hotline_officer");
