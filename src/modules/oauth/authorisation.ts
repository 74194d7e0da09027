import { ApiError } from "../../platform/errors";
import { sha256Hex } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { constantTimeTextEqual } from "../../platform/lib/secret-hash";
import { type ConsentDeps, getConsent, operateConsent } from "../accounts/consents";
import type { Consent } from "../accounts/model";
import { loadProfile } from "../partners/profile";
import {
  type AuthorisationSessionRow,
  type AuthorisationStage,
  advanceSession,
  consumeParRequest,
  countFailedAttempt,
  endSession,
  findLiveSession,
  insertAuthorisationSession,
  type ParRequestRow,
} from "./authorisation-storage";
import { issueCode } from "./codes";
import type { CustomerIdentityConnector } from "./customer-identity/types";
import { REQUEST_URI_PREFIX } from "./par";

/** How long the customer has from `/authorize` to their answer. */
export const SESSION_TTL_SECONDS = 10 * 60;

/** Failed tries allowed at one step (the password, the code) before the session ends with access_denied. */
export const MAX_ATTEMPTS = 3;

export interface AuthorisationDeps extends ConsentDeps {
  identity: CustomerIdentityConnector;
}

/** A session still open: its row, the pushed request it authorises, and the session's id hash. */
export interface LiveAuthorisation {
  session: AuthorisationSessionRow;
  request: ParRequestRow;
}

/** What a step leads to: the next page, the same page again (with why), or back to the partner. */
export type StepOutcome =
  | { kind: "next"; stage: AuthorisationStage }
  | { kind: "retry"; error: string; attemptsLeft: number }
  | { kind: "redirect"; location: string };

/** A refusal before any redirect URI is verified: an error page, never a redirect. */
export class AuthorisationRefused extends Error {
  override name = "AuthorisationRefused";
  constructor(
    readonly title: string,
    readonly status: 400 | 403 = 400,
  ) {
    super(title);
  }
}

/**
 * Back to the partner (RFC 6749 §4.1.2, RFC 9207): `params` (a code, or an error), the `state` it
 * sent, and `iss`, so the client knows which authorization server answered.
 */
export function redirectOf(request: ParRequestRow, issuer: string, params: Record<string, string>): string {
  const url = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (request.state !== null) url.searchParams.set("state", request.state);
  url.searchParams.set("iss", issuer);
  return url.toString();
}

const denied = (deps: AuthorisationDeps, request: ParRequestRow, description: string) =>
  redirectOf(request, deps.config.ISSUER, { error: "access_denied", error_description: description });

/**
 * `GET /authorize?client_id&request_uri`: the pushed request, used once (RFC 9126 §4), by the
 * client that pushed it, before it expired, starts the customer's session. Anything else is an
 * error page: the redirect URI of a request not found is not one to send anyone to.
 */
export async function startAuthorisation(
  deps: AuthorisationDeps,
  clientId: string | undefined,
  requestUri: string | undefined,
  now = new Date(),
): Promise<{ sessionId: string }> {
  if (!clientId || !requestUri) throw new AuthorisationRefused("client_id and request_uri are required");
  if (!requestUri.startsWith(REQUEST_URI_PREFIX))
    throw new AuthorisationRefused("request_uri is not one this bank issued");
  const requestHash = await sha256Hex(requestUri.slice(REQUEST_URI_PREFIX.length));
  const request = await consumeParRequest(deps.db, requestHash, clientId, now.toISOString());
  if (!request) throw new AuthorisationRefused("This authorisation link is unknown, expired or already used");
  const sessionId = randomToken(32);
  await insertAuthorisationSession(deps.db, {
    idHash: await sha256Hex(sessionId),
    requestHash,
    csrfToken: randomToken(24),
    stage: "login",
    customerRef: null,
    challengeId: null,
    attempts: 0,
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString(),
    endedAt: null,
    createdAt: now.toISOString(),
  });
  deps.log.info("customer authorisation started", { consent_id: request.consentId, client_id: clientId });
  return { sessionId };
}

/**
 * The session the cookie names. None (or one that ended): an error page. One past its expiry
 * ends now, and the customer goes back to the partner with access_denied.
 */
export async function liveAuthorisation(
  deps: AuthorisationDeps,
  sessionId: string | undefined,
  now = new Date(),
): Promise<LiveAuthorisation | { kind: "redirect"; location: string }> {
  if (!sessionId) throw new AuthorisationRefused("No authorisation is in progress in this browser");
  const idHash = await sha256Hex(sessionId);
  const found = await findLiveSession(deps.db, idHash, now.toISOString());
  if (!found) throw new AuthorisationRefused("No authorisation is in progress in this browser");
  if (!found.expired) return { session: found.session, request: found.request };
  await endSession(deps.db, idHash, now.toISOString());
  return { kind: "redirect", location: denied(deps, found.request, "The authorisation session expired") };
}

/** The form's token is the session's (compared in constant time); a mismatch is refused, the session untouched. */
export function checkCsrf(live: LiveAuthorisation, token: string | undefined) {
  if (!constantTimeTextEqual(token, live.session.csrfToken))
    throw new AuthorisationRefused("This form expired or did not come from this page; start again", 403);
}

/** A failed try: the same page again, or, at the last allowed one, the session ends with access_denied. */
async function failed(deps: AuthorisationDeps, live: LiveAuthorisation, error: string): Promise<StepOutcome> {
  const { session, request } = live;
  const attempts = await countFailedAttempt(deps.db, session.idHash, session.stage);
  if (attempts > 0 && attempts < MAX_ATTEMPTS)
    return { kind: "retry", error, attemptsLeft: MAX_ATTEMPTS - attempts };
  await endSession(deps.db, session.idHash, new Date().toISOString());
  deps.log.warn("customer authorisation ended: too many attempts", {
    consent_id: request.consentId,
    stage: session.stage,
  });
  return { kind: "redirect", location: denied(deps, request, "Too many failed attempts") };
}

/** The login step: the customer's password at the bank, then the second factor's challenge. */
export async function submitLogin(
  deps: AuthorisationDeps,
  live: LiveAuthorisation,
  login: string | undefined,
  password: string | undefined,
): Promise<StepOutcome> {
  if (!login || !password) return failed(deps, live, "Enter your customer id and password");
  const result = await deps.identity.authenticate(login, password);
  if (!result.ok) return failed(deps, live, "The customer id or password is not right");
  const { customerRef } = result.customer;
  const { challengeId } = await deps.identity.startChallenge(customerRef);
  const moved = await advanceSession(deps.db, live.session.idHash, "login", {
    stage: "sca",
    customerRef,
    challengeId,
  });
  return { kind: "next", stage: moved ? "sca" : live.session.stage };
}

/** The second factor: the one-time code of the challenge the login step started. */
export async function submitCode(
  deps: AuthorisationDeps,
  live: LiveAuthorisation,
  code: string | undefined,
): Promise<StepOutcome> {
  const { customerRef, challengeId } = live.session;
  if (!customerRef || !challengeId)
    throw new Error("a session at the code step has no customer or challenge");
  const given = code?.replace(/\s+/g, "") ?? "";
  if (!given || !(await deps.identity.verifyChallenge(customerRef, challengeId, given)))
    return failed(deps, live, "The code is not right");
  const moved = await advanceSession(deps.db, live.session.idHash, "sca", {
    stage: "consent",
    challengeId: null,
  });
  return { kind: "next", stage: moved ? "consent" : live.session.stage };
}

/** What the consent screen shows: who asks, for what, until when. */
export async function consentView(
  deps: AuthorisationDeps,
  live: LiveAuthorisation,
): Promise<{ partnerName: string; consent: Consent; scope: string[] }> {
  const { partnerId, consentId, scope } = live.request;
  const [profile, consent] = await Promise.all([
    loadProfile(deps.db, partnerId),
    getConsent(deps, partnerId, consentId),
  ]);
  return { partnerName: profile?.name ?? "The partner", consent, scope: scope.split(" ") };
}

/**
 * The customer's answer, once (the session ends with it). Approve: the consent becomes
 * Authorised with the customer's reference (consent.authorised through the outbox) and a
 * single-use code goes back to the partner. Reject: Rejected, and access_denied. A consent no
 * longer awaiting authorisation (revoked or expired meanwhile) answers access_denied too.
 */
export async function decide(
  deps: AuthorisationDeps,
  live: LiveAuthorisation,
  decision: string | undefined,
  now = new Date(),
): Promise<string> {
  const { session, request } = live;
  if (decision !== "approve" && decision !== "reject")
    throw new AuthorisationRefused("Choose Approve or Reject");
  const customerRef = session.customerRef;
  if (!customerRef) throw new Error("a session at the consent step has no customer");
  if (!(await endSession(deps.db, session.idHash, now.toISOString())))
    throw new AuthorisationRefused("This authorisation was already answered");
  const operation = decision === "approve" ? "authorise" : "reject";
  try {
    await operateConsent(deps, request.partnerId, request.consentId, operation, customerRef);
  } catch (err) {
    if (err instanceof ApiError && err.reason === "invalid_state_transition")
      return denied(deps, request, "The consent is no longer awaiting authorisation");
    throw err;
  }
  deps.log.info("customer answered the consent", { consent_id: request.consentId, decision });
  if (decision === "reject") return denied(deps, request, "The customer rejected the consent");
  const code = await issueCode(
    deps.db,
    {
      partnerId: request.partnerId,
      clientId: request.clientId,
      consentId: request.consentId,
      customerRef,
      redirectUri: request.redirectUri,
      scope: request.scope,
      codeChallenge: request.codeChallenge,
      dpopJkt: request.dpopJkt,
      nonce: request.nonce,
    },
    now,
  );
  return redirectOf(request, deps.config.ISSUER, { code });
}
