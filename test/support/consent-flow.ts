// The customer's consent authorisation driven with fetch (docs/consent-authorisation.md): the
// partner's PAR call, /authorize, and the bank's pages with their cookie and CSRF token, as a
// browser would post them. For the oauth tests and for end-to-end tests of the code exchange.
import { SELF } from "cloudflare:test";
import { sandboxTotpCode } from "../../src/modules/oauth/customer-identity/sandbox";
import { SANDBOX_CUSTOMERS } from "../../src/modules/oauth/customer-identity/sandbox-customers";
import { saveClientRegistration } from "../../src/modules/oauth/storage";
import { b64url } from "../../src/platform/lib/secret-hash";
import { BASE, basic, type Call, call } from "./http";
import { db, type TestPartner } from "./partners";

export const REDIRECT_URI = "https://partner.example/callback";

/** The main sandbox test customer (accounts read after his authorisation). */
export const AZIZ = SANDBOX_CUSTOMERS[0] ?? { login: "", password: "", totpSecret: null };

/** Registers the partner's client with its redirect URIs (as the client registration would). */
export async function registerRedirects(partnerId: string, redirectUris: string[] = [REDIRECT_URI]) {
  await saveClientRegistration(db, {
    partnerId,
    jwks: null,
    jwksUri: null,
    tlsClientAuthSubjectDn: null,
    tlsClientCertificateSha256: null,
    redirectUris,
  });
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: b64url(new Uint8Array(digest)) };
}

/** A consent of the partner awaiting authorisation: its id. */
export async function newConsent(token: string, scopes = ["accounts", "balances", "transactions"]) {
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const { res, body } = await call("POST", "/v1/consents", {
    token,
    json: { params: { scopes, expires_at: expires } },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`consent not created: ${JSON.stringify(body)}`);
  return body.result.id as string;
}

/** The parameters of a valid pushed request for `consentId` (override or drop any with `undefined`). */
export function parParams(
  partner: Pick<TestPartner, "consumerKey">,
  consentId: string,
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    response_type: "code",
    client_id: partner.consumerKey,
    redirect_uri: REDIRECT_URI,
    consent_id: consentId,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: `st-${crypto.randomUUID()}`,
    nonce: `n-${crypto.randomUUID()}`,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `POST /oauth2/par`, form-encoded, with the partner's Basic credentials. */
export function pushRequest(
  partner: Pick<TestPartner, "consumerKey" | "consumerSecret">,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Call> {
  return call("POST", "/oauth2/par", {
    headers: {
      Authorization: basic(partner.consumerKey, partner.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** How a request reaches the gateway: the Worker under test, or an app with another configuration. */
export type Send = (request: Request) => Promise<Response>;

const toSelf: Send = (request) => SELF.fetch(request);

/** A browser's view of the pages: one cookie jar, no automatic redirects. */
export class CustomerBrowser {
  cookie: string | undefined;

  constructor(private readonly send: Send = toSelf) {}

  async get(path: string): Promise<Response> {
    const res = await this.send(
      new Request(new URL(path, BASE), {
        redirect: "manual",
        headers: this.cookie ? { Cookie: this.cookie } : {},
      }),
    );
    this.remember(res);
    return res;
  }

  /** A form post from the page itself (same origin), `fields` as typed. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await this.send(
      new Request(new URL(path, BASE), {
        method: "POST",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: BASE,
          "Sec-Fetch-Site": "same-origin",
          ...(this.cookie ? { Cookie: this.cookie } : {}),
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      }),
    );
    this.remember(res);
    return res;
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      if (!pair?.startsWith("__Host-authz=")) continue;
      const expired = /max-age=0/i.test(line) || pair === "__Host-authz=";
      this.cookie = expired ? undefined : pair;
    }
  }
}

/** The CSRF token of the page's form. */
export const csrfOf = (html: string) => html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? "";

export interface FlowResult {
  /** Where the bank sent the customer back to: the redirect URI with `code` or `error`, `state`, `iss`. */
  location: URL;
  browser: CustomerBrowser;
}

/**
 * The whole customer side from a `request_uri`: /authorize, the login, the TOTP code, and the
 * consent screen's `decision`. Throws if a step does not lead where it should.
 */
export async function authorizeConsent(opts: {
  clientId: string;
  requestUri: string;
  customer?: { login: string; password: string; totpSecret: string | null };
  decision?: "approve" | "reject";
  send?: Send;
}): Promise<FlowResult> {
  const customer = opts.customer ?? AZIZ;
  const browser = new CustomerBrowser(opts.send);
  const query = new URLSearchParams({ client_id: opts.clientId, request_uri: opts.requestUri });
  const start = await browser.get(`/authorize?${query}`);
  if (start.status !== 303) throw new Error(`/authorize answered ${start.status}: ${await start.text()}`);
  const login = await browser.get(start.headers.get("Location") ?? "");
  const signedIn = await browser.post("/authorize/login", {
    csrf: csrfOf(await login.text()),
    login: customer.login,
    password: customer.password,
  });
  if (signedIn.headers.get("Location") !== "/authorize/sca")
    throw new Error(`login answered ${signedIn.status}: ${await signedIn.text()}`);
  const sca = await browser.get("/authorize/sca");
  const code = customer.totpSecret ? sandboxTotpCode(customer.totpSecret) : "000000";
  const confirmed = await browser.post("/authorize/sca", { csrf: csrfOf(await sca.text()), code });
  if (confirmed.headers.get("Location") !== "/authorize/consent")
    throw new Error(`the code answered ${confirmed.status}: ${await confirmed.text()}`);
  const consent = await browser.get("/authorize/consent");
  const answered = await browser.post("/authorize/consent", {
    csrf: csrfOf(await consent.text()),
    decision: opts.decision ?? "approve",
  });
  const location = answered.headers.get("Location");
  if (answered.status !== 303 || !location) throw new Error(`the consent answered ${answered.status}`);
  return { location: new URL(location), browser };
}

/** From a fresh consent to the redirect: PAR, then the customer's pages. */
export async function consentFlow(
  partner: TestPartner,
  token: string,
  opts: { decision?: "approve" | "reject"; par?: Record<string, string | undefined> } = {},
) {
  await registerRedirects(partner.id);
  const consentId = await newConsent(token);
  const { verifier, challenge } = await pkce();
  const params = parParams(partner, consentId, challenge, opts.par);
  const pushed = await pushRequest(partner, params);
  if (pushed.res.status !== 201)
    throw new Error(`PAR answered ${pushed.res.status}: ${JSON.stringify(pushed.body)}`);
  const result = await authorizeConsent({
    clientId: partner.consumerKey,
    requestUri: pushed.body.request_uri,
    ...(opts.decision ? { decision: opts.decision } : {}),
  });
  return { ...result, consentId, verifier, challenge, params, requestUri: pushed.body.request_uri as string };
}
