import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  guardedPasswordCheck,
  lockDurationMs,
  PASSWORD_MAX_FAILURES,
} from "../../../src/modules/partners/lockout";
import { createDb } from "../../../src/platform/db/client";
import { requestToken } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const attempt = (p: Awaited<ReturnType<typeof provisionPartner>>, username: string, password: string) =>
  requestToken(p, { grant_type: "password", username, password });

const failures = async (partnerId: string, username: string) =>
  env.DB.prepare("SELECT attempts, locked_until FROM password_failures WHERE partner_id = ? AND username = ?")
    .bind(partnerId, username)
    .first<{ attempts: number; locked_until: string | null }>();

afterEach(() => {
  vi.useRealTimers();
});

describe("the password grant locks a username after repeated failures (OWASP API2)", () => {
  it("five wrong passwords lock the user for 15 minutes, the right one included; then it works again", async () => {
    const p = await provisionPartner();
    for (let i = 0; i < PASSWORD_MAX_FAILURES; i++) {
      const wrong = await attempt(p, p.username, "wrong");
      expect(wrong.res.status).toBe(400);
      expect(wrong.body).toMatchObject({
        error: "invalid_grant",
        error_description: "The user credentials are invalid",
      });
    }
    const locked = await attempt(p, p.username, p.password);
    expect(locked.res.status).toBe(400);
    expect(locked.body.error).toBe("invalid_grant");
    expect(locked.body.error_description).toMatch(
      /^Too many failed attempts for this user; try again in \d+ seconds$/,
    );
    expect(locked.body.access_token).toBeUndefined();
    expect((await failures(p.id, p.username))?.locked_until).not.toBeNull();

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    const later = await attempt(p, p.username, p.password);
    expect(later.res.status).toBe(200);
    expect(typeof later.body.access_token).toBe("string");
    expect(await failures(p.id, p.username)).toBeNull();
  });

  it("an unknown username locks the same way, with the same answers", async () => {
    const p = await provisionPartner();
    const answers = [];
    for (let i = 0; i <= PASSWORD_MAX_FAILURES; i++) answers.push((await attempt(p, "ghost", "guess")).body);
    expect(
      answers
        .slice(0, PASSWORD_MAX_FAILURES)
        .every((b) => b.error_description === "The user credentials are invalid"),
    ).toBe(true);
    expect(answers[PASSWORD_MAX_FAILURES].error_description).toMatch(/^Too many failed attempts/);
  });

  it("a success clears the count: four failures, a success, four more still do not lock", async () => {
    const p = await provisionPartner();
    for (let i = 0; i < 4; i++) expect((await attempt(p, p.username, "wrong")).res.status).toBe(400);
    expect((await attempt(p, p.username, p.password)).res.status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(p, p.username, "wrong")).res.status).toBe(400);
    expect((await attempt(p, p.username, p.password)).res.status).toBe(200);
  });

  it("concurrent guesses cannot outrun the count: at most five passwords are checked", async () => {
    const p = await provisionPartner();
    const db = createDb(env.DB);
    let checked = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        guardedPasswordCheck(db, p.id, p.username, async () => {
          checked += 1;
          return false;
        }),
      ),
    );
    expect(checked).toBeLessThanOrEqual(PASSWORD_MAX_FAILURES);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(20 - checked);
    const locked = await attempt(p, p.username, p.password);
    expect(locked.body.error_description).toMatch(/^Too many failed attempts/);
  });

  it("backs off: each further lock lasts twice as long, up to a day; concurrent guesses do not lengthen it; a success resets it", async () => {
    const p = await provisionPartner();
    const db = createDb(env.DB);
    const lockSeconds = async (at: number) => {
      for (let i = 0; i < PASSWORD_MAX_FAILURES; i++)
        await guardedPasswordCheck(db, p.id, p.username, async () => false, at);
      const row = await env.DB.prepare(
        "SELECT locked_until, lockouts FROM password_failures WHERE partner_id = ? AND username = ?",
      )
        .bind(p.id, p.username)
        .first<{ locked_until: string; lockouts: number }>();
      return {
        seconds: Math.round((Date.parse(row?.locked_until ?? "") - at) / 1000),
        lockouts: row?.lockouts,
      };
    };
    let at = Date.now();
    expect(await lockSeconds(at)).toEqual({ seconds: 900, lockouts: 1 });
    // Guesses while locked are refused unchecked and do not count as a new lock.
    await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        guardedPasswordCheck(db, p.id, p.username, async () => false, at + 1000),
      ),
    );
    at += 901_000;
    expect(await lockSeconds(at)).toEqual({ seconds: 1800, lockouts: 2 });
    at += 1_801_000;
    expect(await lockSeconds(at)).toEqual({ seconds: 3600, lockouts: 3 });
    expect(lockDurationMs(10)).toBe(24 * 3600_000);
    at += 3_601_000;
    expect(await guardedPasswordCheck(db, p.id, p.username, async () => true, at)).toBe(true);
    expect(await lockSeconds(at + 1000)).toEqual({ seconds: 900, lockouts: 1 });
  });

  it("locks one username of one partner only", async () => {
    const p = await provisionPartner();
    const other = await provisionPartner();
    for (let i = 0; i < PASSWORD_MAX_FAILURES; i++) await attempt(p, "ghost", "guess");
    expect((await attempt(p, p.username, p.password)).res.status).toBe(200);
    expect((await attempt(other, "ghost", "guess")).body.error_description).toBe(
      "The user credentials are invalid",
    );
  });
});
