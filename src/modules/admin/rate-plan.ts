import { ApiError } from "../../platform/errors";
import { type AccountInput, checkPlanChange, type Effective } from "../billing/plan-changes";
import { adminPlanView } from "../billing/plan-view";
import { type ApprovalDeps, propose } from "./approvals";
import type { Actor } from "./model";
import { requirePartner } from "./partners";

/**
 * A partner's rate plan through the admin API (docs/admin.md, rate plans): read, and changes,
 * which are always change requests of kind `rate_plan`, since a plan changes what a partner pays.
 */

async function requireActivePartner(deps: ApprovalDeps, partnerId: string) {
  const { partner } = await requirePartner(deps.db, partnerId);
  if (partner.status !== "active")
    throw new ApiError("invalid_state_transition", {
      operation: "change the plan of",
      object: "partner",
      status: partner.status,
    });
}

export async function readPlan(deps: ApprovalDeps, partnerId: string) {
  await requirePartner(deps.db, partnerId);
  return adminPlanView(deps.db, partnerId, new Date().toISOString().slice(0, 10));
}

export async function proposePlan(
  deps: ApprovalDeps,
  maker: Actor,
  partnerId: string,
  input: { plan: unknown; effective: Effective; account: AccountInput | undefined },
  reason: string,
) {
  await requireActivePartner(deps, partnerId);
  const today = new Date().toISOString().slice(0, 10);
  const { change, before } = await checkPlanChange(deps.db, partnerId, input, today);
  return propose(
    deps,
    maker,
    "rate_plan",
    partnerId,
    change as unknown as Record<string, unknown>,
    before,
    reason,
  );
}
