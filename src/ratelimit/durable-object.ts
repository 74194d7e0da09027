import type { Env } from "../env";
import type { LimitDecision, LimitPolicy, RateLimitBackend } from "./types";

/** The embedded default: a Durable Object per partner holds its window and quota. */
export class DurableObjectBackend implements RateLimitBackend {
  readonly name = "durable-object";
  constructor(private readonly namespace: Env["RATE_LIMITER"]) {}

  check(policy: LimitPolicy): Promise<LimitDecision> {
    return this.namespace.get(this.namespace.idFromName(policy.key)).hit(policy);
  }
}
