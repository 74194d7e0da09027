import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJob } from "../../support/cron";
import { provisionPartner } from "../../support/partners";

const MIN = 60_000;
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const id = () => crypto.randomUUID();

async function par(partnerId: string, hash: string, expiresAt: string) {
  await env.DB.prepare(
    `INSERT INTO oauth_par_requests (request_hash, partner_id, client_id, consent_id, redirect_uri, scope,
       code_challenge, expires_at, created_at) VALUES (?, ?, 'ck', 'c', 'https://p.example/cb', 'accounts', 'x', ?, ?)`,
  )
    .bind(hash, partnerId, expiresAt, at(-DAY))
    .run();
}

async function session(hash: string, requestHash: string, expiresAt: string) {
  await env.DB.prepare(
    `INSERT INTO oauth_authorisation_sessions (id_hash, request_hash, csrf_token, stage, expires_at, created_at)
     VALUES (?, ?, 'csrf', 'login', ?, ?)`,
  )
    .bind(hash, requestHash, expiresAt, at(-DAY))
    .run();
}

async function code(partnerId: string, hash: string, expiresAt: string) {
  await env.DB.prepare(
    `INSERT INTO oauth_codes (code_hash, partner_id, client_id, consent_id, customer_ref, redirect_uri, scope,
       code_challenge, expires_at, created_at) VALUES (?, ?, 'ck', 'c', 'cust', 'https://p.example/cb', 'accounts', 'x', ?, ?)`,
  )
    .bind(hash, partnerId, expiresAt, at(-DAY))
    .run();
}

async function grantWithTokens(partnerId: string, grantId: string, expiresAt: string, keys: string[]) {
  await env.DB.prepare(
    `INSERT INTO oauth_grants (id, partner_id, client_id, consent_id, code_hash, scope, expires_at, created_at)
     VALUES (?, ?, 'ck', 'c', 'h', 'accounts:read', ?, ?)`,
  )
    .bind(grantId, partnerId, at(30 * DAY), at(-DAY))
    .run();
  const [refresh, access, revoked] = keys;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO oauth_refresh_tokens (token_hash, grant_id, partner_id, status, expires_at, created_at)
       VALUES (?, ?, ?, 'rotated', ?, ?)`,
    ).bind(refresh, grantId, partnerId, expiresAt, at(-DAY)),
    env.DB.prepare(
      "INSERT INTO oauth_grant_access_tokens (jti, grant_id, partner_id, expires_at) VALUES (?, ?, ?, ?)",
    ).bind(access, grantId, partnerId, expiresAt),
    env.DB.prepare(
      "INSERT INTO oauth_revoked_tokens (jti, partner_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)",
    ).bind(revoked, partnerId, expiresAt, at(-DAY)),
  ]);
}

async function left(table: string, key: string, ids: string[]) {
  const rows = await env.DB.prepare(
    `SELECT ${key} AS id FROM ${table} WHERE ${key} IN (${ids.map(() => "?").join(", ")})`,
  )
    .bind(...ids)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id).sort();
}

describe("the oauth.prune cron job", () => {
  it("deletes what is past its use and keeps the rest: a live session's request, a day of expired codes, live tokens", async () => {
    const p = await provisionPartner();
    const [oldPar, livePar, heldPar, oldSession, liveSession] = [id(), id(), id(), id(), id()];
    await par(p.id, oldPar, at(-2 * MIN));
    await par(p.id, livePar, at(MIN));
    await par(p.id, heldPar, at(-2 * MIN));
    await session(oldSession, oldPar, at(-MIN));
    await session(liveSession, heldPar, at(5 * MIN));
    const [ancientCode, recentCode, liveCode] = [id(), id(), id()];
    await code(p.id, ancientCode, at(-2 * DAY));
    await code(p.id, recentCode, at(-2 * 3_600_000));
    await code(p.id, liveCode, at(MIN));
    const expired = [id(), id(), id()];
    const live = [id(), id(), id()];
    await grantWithTokens(p.id, id(), at(-MIN), expired);
    await grantWithTokens(p.id, id(), at(DAY), live);

    await runJob("oauth.prune");

    expect(await left("oauth_authorisation_sessions", "id_hash", [oldSession, liveSession])).toEqual([
      liveSession,
    ]);
    // The expired request a live session still names waits for the session.
    expect(await left("oauth_par_requests", "request_hash", [oldPar, livePar, heldPar])).toEqual(
      [livePar, heldPar].sort(),
    );
    // A code is kept a day past its expiry, so its replay is still recognised.
    expect(await left("oauth_codes", "code_hash", [ancientCode, recentCode, liveCode])).toEqual(
      [recentCode, liveCode].sort(),
    );
    const [refresh, access, revoked] = [0, 1, 2].map((i) => [expired[i] ?? "", live[i] ?? ""]);
    expect(await left("oauth_refresh_tokens", "token_hash", refresh ?? [])).toEqual([live[0]]);
    expect(await left("oauth_grant_access_tokens", "jti", access ?? [])).toEqual([live[1]]);
    expect(await left("oauth_revoked_tokens", "jti", revoked ?? [])).toEqual([live[2]]);
  });
});
