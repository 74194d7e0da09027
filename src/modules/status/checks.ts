import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import type { Config, Env } from "../../platform/env";
import type { LeasingLimiter } from "../../platform/ratelimit/leasing";
import type { LimitPolicy } from "../../platform/ratelimit/types";
import type { Services } from "../../platform/types";
import { breakerFor } from "../../platform/upstream";
import { OPENAPI_INFO } from "../docs/openapi";
import { type Check, runChecks } from "./probe";
import type { StatusReport } from "./schema";

/**
 * The one object name and limiter key the status page touches. Partners' objects and keys are
 * always prefixed (`payment:…`, `<environment>:<partner>…`), so a probe never meets their state.
 */
export const PROBE_NAME = "status-probe";

/** Systems reached through `upstreamFor` (src/modules/<product>/connector/index.ts); lending's is `scoring`. */
export const CONNECTOR_SYSTEMS = ["accounts", "cards", "fx", "kyc", "scoring"] as const;

interface PingNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): { ping(): Promise<string> };
}

function databaseCheck(db: Db): Check {
  return {
    name: "database",
    kind: "database",
    core: true,
    failed: "D1 did not answer select 1",
    async probe() {
      await db.run(sql`select 1`);
      return { status: "ok", detail: "D1 answered select 1" };
    },
  };
}

function durableObjectCheck(binding: string, namespace: PingNamespace | undefined): Check {
  return {
    name: `durable_object.${binding.toLowerCase()}`,
    kind: "durable_object",
    failed: `the ${binding} probe object did not answer ping`,
    async probe() {
      if (!namespace) return { status: "down", detail: `${binding} is not bound` };
      const answer = await namespace.get(namespace.idFromName(PROBE_NAME)).ping();
      return answer === "ok"
        ? { status: "ok", detail: `the ${binding} probe object answered ping` }
        : { status: "degraded", detail: `the ${binding} probe object answered ping unexpectedly` };
    },
  };
}

/** Presence only: a message sent here would become real events and webhook deliveries. */
function queueCheck(binding: string, queue: object | undefined): Check {
  return {
    name: `queue.${binding.toLowerCase()}`,
    kind: "queue",
    failed: `the ${binding} producer binding could not be read`,
    probe() {
      return queue && "send" in queue && typeof queue.send === "function"
        ? { status: "ok", detail: `binding check only: the ${binding} producer is bound; nothing was sent` }
        : { status: "down", detail: `binding check only: the ${binding} producer is not bound` };
    },
  };
}

/** A huge limit on the reserved key, no daily quota: the probe is never refused and spends no partner's permits. */
const PROBE_POLICY: LimitPolicy = { key: PROBE_NAME, limit: 1_000_000, windowMs: 1000, dailyQuota: null };

function limiterCheck(limiter: LeasingLimiter, failureMode: Config["RATE_LIMIT_FAILURE_MODE"]): Check {
  return {
    name: "rate_limiter",
    kind: "rate_limiter",
    failed: `the ${limiter.name} limiter did not answer; /v1 requests fail ${failureMode}`,
    async probe() {
      // The backend itself, not the isolate's leases: a lease would answer without any I/O.
      await limiter.backend.acquire(PROBE_POLICY, 1);
      return { status: "ok", detail: `the ${limiter.name} limiter answered a probe on a reserved key` };
    },
  };
}

function connectorCheck(system: string, config: Config): Check {
  return {
    name: `connector.${system}`,
    kind: "connector",
    failed: `the ${system} breaker could not be read`,
    probe() {
      const circuit = breakerFor(system);
      const breaker = circuit.state();
      if (!config.UPSTREAM_URLS[system]) {
        // Production never simulates: without an upstream the product answers 91.
        return config.ENVIRONMENT === "production"
          ? { status: "down", breaker, detail: "no upstream configured" }
          : { status: "ok", breaker, detail: "sandbox simulator; no upstream is called" };
      }
      if (breaker === "open") {
        const wait = Math.ceil(circuit.waitMs() / 1000);
        return { status: "degraded", breaker, detail: `HTTP upstream; breaker open, next try in ${wait} s` };
      }
      if (breaker === "half-open")
        return { status: "degraded", breaker, detail: "HTTP upstream; breaker half-open, on trial" };
      return { status: "ok", breaker, detail: "HTTP upstream; breaker closed" };
    },
  };
}

/** Every component this Worker depends on, as bound in wrangler.toml. */
export function statusChecks(env: Env, services: Services): Check[] {
  const { config, db, limiter } = services;
  return [
    databaseCheck(db),
    durableObjectCheck("RATE_LIMITER", env.RATE_LIMITER),
    durableObjectCheck("IDEMPOTENCY", env.IDEMPOTENCY),
    durableObjectCheck("PAYMENTS", env.PAYMENTS),
    durableObjectCheck("PAYOUTS", env.PAYOUTS),
    queueCheck("EVENTS_QUEUE", env.EVENTS_QUEUE),
    queueCheck("WEBHOOKS_QUEUE", env.WEBHOOKS_QUEUE),
    queueCheck("DEAD_LETTERS", env.DEAD_LETTERS),
    limiterCheck(limiter, config.RATE_LIMIT_FAILURE_MODE),
    ...CONNECTOR_SYSTEMS.map((system) => connectorCheck(system, config)),
  ];
}

export async function statusReport(env: Env, services: Services): Promise<StatusReport> {
  const { status, components } = await runChecks(statusChecks(env, services));
  return {
    status,
    environment: services.config.ENVIRONMENT,
    version: OPENAPI_INFO.version,
    time: new Date().toISOString(),
    components,
  };
}
