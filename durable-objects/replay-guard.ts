import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";

/** How many expired entries one claim sweeps at most: the sweep stays short whatever piled up. */
const SWEEP_LIMIT = 200;

/**
 * One object per OAuth client and purpose (named by src/modules/oauth/replay.ts): the `jti` of
 * each DPoP proof or client assertion seen, kept until its acceptance window closes. `claim`
 * checks and records in one synchronous step with no await inside, so of two racing uses of
 * one `jti`, from any isolate anywhere, exactly one is first.
 */
export class ReplayGuard extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS seen (jti TEXT PRIMARY KEY, until INTEGER NOT NULL)");
    this.sql.exec("CREATE INDEX IF NOT EXISTS seen_until ON seen (until)");
  }

  /**
   * True when `jti` was not seen before (it is now, until `untilMs`); false for a replay.
   * An entry past its `until` no longer counts: a value that old is refused by its own age.
   */
  claim(jti: string, untilMs: number, nowMs: number = Date.now()): boolean {
    return this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "DELETE FROM seen WHERE rowid IN (SELECT rowid FROM seen WHERE until <= ? LIMIT ?)",
        nowMs,
        SWEEP_LIMIT,
      );
      const prior = this.sql.exec<{ until: number }>("SELECT until FROM seen WHERE jti = ?", jti).toArray();
      if (prior.length > 0 && (prior[0]?.until ?? 0) > nowMs) return false;
      this.sql.exec(
        "INSERT INTO seen (jti, until) VALUES (?, ?) ON CONFLICT (jti) DO UPDATE SET until = excluded.until",
        jti,
        untilMs,
      );
      return true;
    });
  }
}
