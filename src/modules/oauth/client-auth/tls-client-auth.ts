import { constantTimeTextEqual } from "../../../platform/lib/secret-hash";
import { OAuthError } from "../../../platform/oauth-error";
import { cachedRegistration } from "../client-registration";
import type { ClientRequest, OAuthDeps } from "../types";

const refuse = (description: string) => new OAuthError("invalid_client", description);

/**
 * RFC 8705 §2.1 `tls_client_auth`: the certificate Cloudflare's edge verified against the zone's
 * mTLS CA (`request.cf.tlsClientAuth`) is the one the partner registered, by its subject DN
 * (exact string) and/or by the SHA-256 of its DER (compared in constant time): each one registered must match. The edge checks the
 * chain and revocation; the Worker refuses anything it did not pass.
 */
export async function verifyCertificate(
  deps: OAuthDeps,
  request: ClientRequest,
  partnerId: string,
): Promise<void> {
  const cert = request.tlsClientAuth;
  if (!cert) throw refuse("tls_client_auth needs a client certificate on the TLS connection");
  if (cert.certVerified !== "SUCCESS")
    throw refuse("The client certificate did not verify against the bank's mutual-TLS CA");
  if (cert.certRevoked === "1") throw refuse("The client certificate is revoked");
  const registration = await cachedRegistration(deps, partnerId);
  const subject = registration?.tlsClientAuthSubjectDn ?? null;
  const fingerprint = registration?.tlsClientCertificateSha256 ?? null;
  if (subject === null && fingerprint === null)
    throw refuse("No certificate is registered for tls_client_auth: PUT /v1/partner/oauth-client");
  const bySubject = subject !== null && cert.certSubjectDN === subject;
  const byFingerprint =
    fingerprint !== null && constantTimeTextEqual(cert.certFingerprintSHA256.toLowerCase(), fingerprint);
  // Both registered: the certificate must be that one, with that subject.
  if ((subject !== null && !bySubject) || (fingerprint !== null && !byFingerprint))
    throw refuse("The client certificate is not the one registered for this client");
}
