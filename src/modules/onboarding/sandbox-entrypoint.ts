import { WorkerEntrypoint } from "cloudflare:workers";
import { createDb } from "../../platform/db/client";
import { type Env, loadConfig } from "../../platform/env";
import type { SandboxPartnerCredentials, SandboxPartnerRequest, SandboxProvisioner } from "./model";
import { createSandboxPartner } from "./sandbox-partner";

/**
 * The sandbox Worker's non-public RPC entrypoint (exported by src/index.ts; no route reaches it):
 * production's control plane binds it as `SANDBOX` and asks it for a registrant's sandbox partner.
 * Every Worker exports it, but it acts only where ENVIRONMENT is sandbox.
 */
export class SandboxProvisioning extends WorkerEntrypoint<Env> implements SandboxProvisioner {
  createPartner(input: SandboxPartnerRequest): Promise<SandboxPartnerCredentials> {
    return createSandboxPartner(createDb(this.env.DB), loadConfig(this.env), input);
  }
}
