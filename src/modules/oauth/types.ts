import type { Db } from "../../platform/db/client";
import type { Config, Env } from "../../platform/env";
import type { Logger } from "../../platform/lib/logger";
import type { PartnerProfile } from "../../platform/types";
import type { Confirmation } from "./access-tokens";

/** What the authorization server's services use, built once per request from its services. */
export interface OAuthDeps {
  db: Db;
  config: Config;
  env: Env;
  log: Logger;
  /** Work to finish after the answer (the key's last use). */
  defer?: (work: Promise<unknown>) => void;
}

/** The client certificate Cloudflare's edge verified (`request.cf.tlsClientAuth`), as far as it is read. */
export interface TlsClientCertificate {
  certPresented: string;
  /** `SUCCESS` when the edge verified the chain against the zone's mTLS CA. */
  certVerified: string;
  certRevoked: string;
  certSubjectDN: string;
  certIssuerDN: string;
  /** Hex SHA-256 of the certificate's DER. */
  certFingerprintSHA256: string;
}

/** One request to an authorization-server endpoint, as client authentication and DPoP read it. */
export interface ClientRequest {
  method: string;
  /** The endpoint's URL without query or fragment (DPoP `htu`, the assertion's audience). */
  url: string;
  authorization: string | undefined;
  /** The `DPoP` header: a proof of possession of the client's key (RFC 9449). */
  dpop: string | undefined;
  tlsClientAuth: TlsClientCertificate | undefined;
  /** `CF-Connecting-IP`: the contract's IP allow-list. */
  address: string | undefined;
}

export type ClientAuthMethod = "client_secret_basic" | "private_key_jwt" | "tls_client_auth";

/** A client that proved who it is at an authorization-server endpoint. */
export interface AuthenticatedClient {
  /** The consumer key (`ck_…`): the OAuth `client_id`. */
  clientId: string;
  method: ClientAuthMethod;
  profile: PartnerProfile;
  /** The credential row authenticated with, for its last use. */
  credentialId: string;
}

/** What an issued token is bound to (its `cnf`); empty: a bearer token. */
export type TokenBinding = Confirmation;

export interface TokenResponse {
  access_token: string;
  scope: string;
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  refresh_token?: string;
}

/** One grant type of the token endpoint: runs after the client authenticated and its binding was proven. */
export type GrantHandler = (
  deps: OAuthDeps,
  client: AuthenticatedClient,
  params: Record<string, string | undefined>,
  binding: TokenBinding,
) => Promise<TokenResponse>;
