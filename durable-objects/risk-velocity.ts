import { DurableObject } from "cloudflare:workers";
import {
  MAX_INSTRUMENT_AGE_HOURS,
  MAX_WINDOW_MINUTES,
  VELOCITY_SUBJECTS,
  type VelocitySubject,
  type VelocityView,
} from "../src/modules/risk/model";
import type { Env } from "../src/platform/env";

export interface VelocityRequest {
  paymentId: string;
  /** The payment's creation time (ms): windows end here. */
  at: number;
  amount: number;
  currency: string;
  /** The payment's card fingerprint, customer reference and client IP, where it has them. */
  keys: Partial<Record<VelocitySubject, string>>;
  /** The windows (minutes) the partner's rules ask for. */
  windows: number[];
}

/** A card not seen for this long is forgotten (its first sighting with it). */
const FORGET_CARD_MS = 3 * MAX_INSTRUMENT_AGE_HOURS * 3_600_000;
const KEEP_HITS_MS = MAX_WINDOW_MINUTES * 60_000;

/**
 * One object per partner (named from the environment and the partner): its payments' velocity.
 * `assess` reads the sliding windows and records the payment in one synchronous step with no
 * await inside, so the object's single thread makes every count exact under any concurrency:
 * the n-th payment of a card sees n, never a stale n-1 (docs/risk.md says why it lives here).
 * Idempotent per payment: the payment object calling again after a crash gets the first answer
 * and nothing is counted twice.
 */
export class RiskVelocity extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hits (
      subject TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL, amount INTEGER NOT NULL,
      currency TEXT NOT NULL, payment_id TEXT NOT NULL)`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS hits_key_at ON hits (subject, key, at)");
    this.sql.exec("CREATE INDEX IF NOT EXISTS hits_at ON hits (at)");
    this.sql.exec(`CREATE TABLE IF NOT EXISTS cards (
      fingerprint TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS assessed (
      payment_id TEXT PRIMARY KEY, at INTEGER NOT NULL, view TEXT NOT NULL)`);
  }

  async assess(req: VelocityRequest): Promise<VelocityView> {
    const done = this.sql.exec<{ view: string }>(
      "SELECT view FROM assessed WHERE payment_id = ?",
      req.paymentId,
    );
    for (const row of done) return JSON.parse(row.view) as VelocityView;
    this.ctx.storage.transactionSync(() => this.prune(req.at));
    const view = this.ctx.storage.transactionSync(() => {
      for (const subject of VELOCITY_SUBJECTS) {
        const key = req.keys[subject];
        if (key !== undefined)
          this.sql.exec(
            "INSERT INTO hits (subject, key, at, amount, currency, payment_id) VALUES (?, ?, ?, ?, ?, ?)",
            subject,
            key,
            req.at,
            req.amount,
            req.currency,
            req.paymentId,
          );
      }
      const fingerprint = req.keys.card;
      if (fingerprint !== undefined)
        this.sql.exec(
          `INSERT INTO cards (fingerprint, first_seen, last_seen) VALUES (?, ?, ?)
           ON CONFLICT (fingerprint) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen),
             first_seen = min(first_seen, excluded.first_seen)`,
          fingerprint,
          req.at,
          req.at,
        );
      const result: VelocityView = { windows: {}, cardFirstSeenAt: null };
      for (const subject of VELOCITY_SUBJECTS) {
        const key = req.keys[subject];
        if (key === undefined) continue;
        result.windows[subject] = Object.fromEntries(
          req.windows.map((minutes) => [String(minutes), this.totals(subject, key, req, minutes)]),
        );
      }
      if (fingerprint !== undefined) {
        const [card] = this.sql
          .exec<{ first_seen: number }>("SELECT first_seen FROM cards WHERE fingerprint = ?", fingerprint)
          .toArray();
        result.cardFirstSeenAt = card?.first_seen ?? null;
      }
      this.sql.exec(
        "INSERT INTO assessed (payment_id, at, view) VALUES (?, ?, ?)",
        req.paymentId,
        req.at,
        JSON.stringify(result),
      );
      return result;
    });
    return view;
  }

  /** This subject's payments in (at − window, at], this one included; amounts in its currency only. */
  private totals(subject: VelocitySubject, key: string, req: VelocityRequest, minutes: number) {
    const [row] = this.sql
      .exec<{ count: number; amount: number | null }>(
        `SELECT count(*) AS count, sum(CASE WHEN currency = ? THEN amount ELSE 0 END) AS amount
         FROM hits WHERE subject = ? AND key = ? AND at > ? AND at <= ?`,
        req.currency,
        subject,
        key,
        req.at - minutes * 60_000,
        req.at,
      )
      .toArray();
    return { count: row?.count ?? 0, amount: row?.amount ?? 0 };
  }

  /** Entries older than the longest window, and cards unseen for long, are of no rule's use. */
  private prune(now: number) {
    this.sql.exec("DELETE FROM hits WHERE at <= ?", now - KEEP_HITS_MS);
    this.sql.exec("DELETE FROM assessed WHERE at <= ?", now - KEEP_HITS_MS);
    this.sql.exec("DELETE FROM cards WHERE last_seen <= ?", now - FORGET_CARD_MS);
  }

  /** What the object holds for one subject and key, whatever the window (for tests and operations). */
  async recorded(subject: VelocitySubject, key: string): Promise<number> {
    const [row] = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM hits WHERE subject = ? AND key = ?", subject, key)
      .toArray();
    return row?.n ?? 0;
  }
}

/** The partner's velocity object's name: one per environment and partner. */
export const velocityObjectName = (environment: string, partnerId: string) =>
  `risk:${environment}:${partnerId}`;
