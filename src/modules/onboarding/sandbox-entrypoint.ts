import { WorkerEntrypoint } from "cloudflare:workers";
import { createDb } from "../../platform/db/client";
import { type Env, loadConfig } from "../../platform/env";
import type {
  SandboxPartnerCredentials,
  SandboxPartnerRemoval,
  SandboxPartnerRequest,
  SandboxProvisioner,
  SandboxRemovalOutcome,
} from "./model";
import { createSandboxPartner, removeSandboxPartner } from "./sandbox-partner";

/**
 * The sandbox Worker's non-public RPC entrypoint (exported by src/index.ts; no route reaches it):
 * production's control plane binds it as `SANDBOX` and asks it for a registrant's sandbox partner,
 * and (its cron's registrations.recover) to remove one made for a registration that never completed.
 * Every Worker exports it, but it acts only where ENVIRONMENT is sandbox.
 */
export class SandboxProvisioning extends WorkerEntrypoint<Env> implements SandboxProvisioner {
  createPartner(input: SandboxPartnerRequest): Promise<SandboxPartnerCredentials> {
    return createSandboxPartner(createDb(this.env.DB), loadConfig(this.env), input);
  }

  removePartner(input: SandboxPartnerRemoval): Promise<SandboxRemovalOutcome> {
    return removeSandboxPartner(createDb(this.env.DB), loadConfig(this.env), input);
  }
}
