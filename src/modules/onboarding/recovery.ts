import type { CronContext, CronResult } from "../../platform/cron";
import { eachItem } from "../../platform/cron";
import type { SandboxProvisioner } from "./model";
import { deleteProvisioningRegistration, stuckRegistrations, touchRegistration } from "./storage";

/** A registration in `provisioning` this long was left by a Worker that died: no request still works on it. */
export const STUCK_AFTER_MS = 10 * 60 * 1000;

/**
 * Recovers the registrations left in `provisioning` (docs/onboarding.md): their Worker died between
 * the sandbox call and the last batch, so the registrant never saw the sandbox credentials and the
 * email stays claimed. The sandbox is asked (the `SANDBOX` binding) to remove the sandbox partner
 * made for the registration, if it exists and was never used; the registration is then deleted,
 * still only if in `provisioning`, and the email can register again. A sandbox partner that is
 * not this registration's or has been used is left alone, and so is its registration: it is logged
 * and taken again, after the others, on a later run. Production only: elsewhere there is no binding.
 */
export async function recoverRegistrations(ctx: CronContext, limit: number): Promise<CronResult> {
  const sandbox = ctx.env.SANDBOX as unknown as SandboxProvisioner | undefined;
  if (ctx.config.ENVIRONMENT !== "production" || !sandbox) return {};
  const now = Math.min(ctx.now, Date.now());
  const stuck = await stuckRegistrations(ctx.db, new Date(now - STUCK_AFTER_MS).toISOString(), limit);
  if (stuck.length === 0) return { stuck: 0, recovered: 0, failed: 0 };
  let kept = 0;
  const { done, failed } = await eachItem(
    stuck,
    async (registration) => {
      const outcome = await sandbox.removePartner({
        partnerId: registration.sandboxPartnerId,
        registrationId: registration.id,
      });
      if (outcome !== "removed" && outcome !== "absent") {
        kept += 1;
        ctx.log.error("registration not recovered", { registration_id: registration.id, outcome });
        await touchRegistration(ctx.db, registration.id, new Date().toISOString());
        return false;
      }
      const deleted = await deleteProvisioningRegistration(ctx.db, registration.id);
      if (deleted)
        ctx.log.warn("registration recovered", {
          registration_id: registration.id,
          sandbox_partner: outcome,
        });
      return deleted;
    },
    (registration, error) =>
      ctx.log.error("registration recovery failed", { registration_id: registration.id, error }),
  );
  return { stuck: stuck.length, recovered: done, kept, failed };
}
