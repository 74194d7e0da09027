/** What a partner may send: requests per sliding one-second window, and an optional daily quota. */
export interface LimitPolicy {
  /** Partner scope of the limit: all keys of one partner share it. */
  key: string;
  limit: number;
  windowMs: number;
  dailyQuota: number | null;
}

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window frees capacity. */
  resetSeconds: number;
  /** Why a refused request was refused. */
  refusedBy?: "rate" | "quota";
  /** For a quota refusal: the daily quota. */
  quota?: number;
}

/** A backend's answer to a request for permits: `granted` of them (0 is a refusal). */
export interface Grant extends LimitDecision {
  granted: number;
}

/** One interface, two backends: the embedded Durable Object limiter and Upstash Redis. */
export interface RateLimitBackend {
  readonly name: "durable-object" | "upstash";
  /** Takes up to `permits` permits from the partner's window (and quota); grants fewer near the limit. */
  acquire(policy: LimitPolicy, permits: number): Promise<Grant>;
}
