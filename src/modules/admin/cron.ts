import type { CronContext, CronResult } from "../../platform/cron";
import { eachItem } from "../../platform/cron";
import { uuidv7 } from "../../platform/lib/ids";
import { auditRow } from "./audit";
import { expireChangeRequestAudited, expiredPendingRequests } from "./storage";

/** The identity the cron's own admin actions are audited under. */
export const CRON_IDENTITY = "system:cron";

/**
 * Makes `expired` the change requests still pending past their `expires_at`, the longest expired
 * first, without waiting for a read or a decision. Each one is audited as `system:cron`
 * (`approval.expire`, its status before and after) in the same D1 batch. The same compare-and-set as an approval's
 * finds it: of a run and a late approval, one expires it and the other finds it expired.
 */
export async function expireChangeRequests(ctx: CronContext, limit: number): Promise<CronResult> {
  // Never ahead of the clock, as the consent sweep.
  const at = new Date(Math.min(ctx.now, Date.now())).toISOString();
  const due = await expiredPendingRequests(ctx.db, at, limit);
  if (due.length === 0) return { due: 0, expired: 0, failed: 0 };
  const requestId = `cron_${uuidv7()}`;
  const { done, failed } = await eachItem(
    due,
    async (row) => {
      return expireChangeRequestAudited(
        ctx.db,
        row.id,
        at,
        auditRow({
          identity: CRON_IDENTITY,
          role: null,
          action: "approval.expire",
          target: row.id,
          partnerId: row.partnerId,
          outcome: 200,
          before: { status: "pending", expires_at: row.expiresAt },
          after: { status: "expired" },
          reason: "the first approval lapsed (ADMIN_APPROVAL_TTL_HOURS)",
          requestId,
        }),
      );
    },
    (row, error) => ctx.log.warn("change request not expired", { change_request_id: row.id, error }),
  );
  return { due: due.length, expired: done, failed };
}
