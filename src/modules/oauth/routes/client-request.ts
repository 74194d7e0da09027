import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import { CLIENT_ADDRESS_HEADER } from "../../partners/ip-allowlist";
import { presentedCertificate } from "../tls-certificate";
import type { ClientRequest, OAuthDeps } from "../types";

/** An authorization-server request as client authentication and DPoP read it. */
export function clientRequestOf(c: Context<AppEnv>): ClientRequest {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    url: `${url.origin}${url.pathname}`,
    authorization: c.req.header("Authorization"),
    dpop: c.req.header("DPoP"),
    tlsClientAuth: presentedCertificate(c.req.raw.cf),
    address: c.req.header(CLIENT_ADDRESS_HEADER),
  };
}

/** The authorization server's services for this request. */
export function oauthDeps(c: Context<AppEnv>): OAuthDeps {
  return {
    ...c.get("services"),
    env: c.env,
    log: c.get("log"),
    defer: (work) => c.executionCtx.waitUntil(work),
  };
}
