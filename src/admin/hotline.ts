/**
 * Company codes for the general manager's hotline (issue 14, item 1): `invite join --company
 * hotline_officer|general_manager` and `invite bind --company` (the hotline group, 全质办). The
 * hotline belongs to the company, not to a property, so these codes name none.
 */
import { COMPANY_ROLES, isCompanyRole } from "../core/hotline/case.js";
import { t } from "../core/text.js";
import { usageOf, type AdminDeps, type Say } from "./deps.js";

const HOUR = 3_600_000;

export async function companyInvite(kind: "join" | "bind", args: readonly string[], hoursText: string | undefined, d: AdminDeps & { say: Say }): Promise<number> {
  if (!d.hotline) return usageOf(d, "hotline.admin.usage");
  const hours = Number(hoursText);
  const role = args[0] ?? "";
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) return usageOf(d, "hotline.admin.usage");
  if (kind === "join" && !isCompanyRole(role)) {
    d.say(t("hotline.admin.bad_role", { roles: COMPANY_ROLES.join(" ") }), t("hotline.admin.usage"));
    return 2;
  }
  const now = d.clock.now();
  const expiresAt = new Date(now.getTime() + hours * HOUR);
  const grant = kind === "join" && isCompanyRole(role) ? ({ kind, role } as const) : ({ kind: "bind" } as const);
  const invite = await d.hotline.createCompanyInvite(grant, expiresAt, now);
  const expires = { time: expiresAt.toISOString() };
  d.say(grant.kind === "join" ? t("hotline.admin.join", { code: invite.code, role: t(`hotline.role.${grant.role}`), expires }) : t("hotline.admin.bind", { code: invite.code, expires }));
  return 0;
}
