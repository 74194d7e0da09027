import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";

/** How a breaker is tuned; passed on every call so the configuration stays in one place. */
export interface BreakerSettings {
  /** Failed attempts in a row that open it. */
  threshold: number;
  /** How long it stays open before one probe may go through; also how long a probe holds the half-open slot. */
  cooldownMs: number;
}

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerView {
  state: BreakerState;
  failures: number;
  /** When the last failure was recorded (ms), null if never: the least recently failed is tried when all are open. */
  lastFailureAt: number | null;
  /** When an open breaker lets its probe through (ms), null when closed. */
  openUntil: number | null;
}

interface Stored {
  failures: number;
  lastFailureAt: number | null;
  openUntil: number;
  /** A probe was let through and holds the half-open slot until then. */
  probeUntil: number;
}

const FRESH: Stored = { failures: 0, lastFailureAt: null, openUntil: 0, probeUntil: 0 };

/**
 * One acquirer's circuit breaker in one environment (named `<environment>:<provider>`), shared
 * by every isolate: it opens after `threshold` failed attempts in a row, skips the provider while
 * open, lets one probe through after `cooldownMs` (half-open), closes on a success and opens
 * again on a failure. Clocks come from the caller, so tests drive them.
 */
export class ProviderHealth extends DurableObject<Env> {
  private get stored(): Stored {
    return this.ctx.storage.kv.get<Stored>("breaker") ?? FRESH;
  }

  /** Whether an attempt may go now; a half-open answer has taken the one probe slot. */
  async check(now: number, settings: BreakerSettings): Promise<BreakerView> {
    const b = this.stored;
    if (b.failures < settings.threshold) return view(b, "closed");
    if (now < b.openUntil || now < b.probeUntil) return view(b, "open");
    this.ctx.storage.kv.put("breaker", { ...b, probeUntil: now + settings.cooldownMs });
    return view(b, "half_open");
  }

  /** An attempt's outcome for the provider's health: answered (a decline too) or not. */
  async record(ok: boolean, now: number, settings: BreakerSettings): Promise<BreakerView> {
    const b = this.stored;
    const next: Stored = ok
      ? FRESH
      : {
          failures: b.failures + 1,
          lastFailureAt: now,
          openUntil: b.failures + 1 >= settings.threshold ? now + settings.cooldownMs : 0,
          probeUntil: 0,
        };
    this.ctx.storage.kv.put("breaker", next);
    return view(next, next.failures >= settings.threshold ? "open" : "closed");
  }

  async snapshot(now: number, settings: BreakerSettings): Promise<BreakerView> {
    const b = this.stored;
    if (b.failures < settings.threshold) return view(b, "closed");
    return view(b, now < b.openUntil || now < b.probeUntil ? "open" : "half_open");
  }
}

const view = (b: Stored, state: BreakerState): BreakerView => ({
  state,
  failures: b.failures,
  lastFailureAt: b.lastFailureAt,
  openUntil: state === "closed" ? null : b.openUntil,
});
