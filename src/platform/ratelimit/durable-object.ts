import type { Env } from "../env";
import type { Grant, LimitPolicy, RateLimitBackend } from "./types";

/** The embedded default: a Durable Object per partner holds its window and quota. */
export class DurableObjectBackend implements RateLimitBackend {
  readonly name = "durable-object";
  constructor(private readonly namespace: Env["RATE_LIMITER"]) {}

  acquire(policy: LimitPolicy, permits: number): Promise<Grant> {
    return this.namespace.get(this.namespace.idFromName(policy.key)).acquire(policy, permits);
  }
}
