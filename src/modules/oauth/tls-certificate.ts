import { b64url } from "../../platform/lib/secret-hash";
import type { TlsClientCertificate } from "./types";

/** The certificate the client presented at the edge (`request.cf.tlsClientAuth`), verified or not. */
export function presentedCertificate(cf: Request["cf"]): TlsClientCertificate | undefined {
  const auth = (cf as { tlsClientAuth?: Partial<TlsClientCertificate> } | undefined)?.tlsClientAuth;
  if (auth?.certPresented !== "1") return undefined;
  return {
    certPresented: "1",
    certVerified: String(auth.certVerified ?? ""),
    certRevoked: String(auth.certRevoked ?? "0"),
    certSubjectDN: String(auth.certSubjectDN ?? ""),
    certIssuerDN: String(auth.certIssuerDN ?? ""),
    certFingerprintSHA256: String(auth.certFingerprintSHA256 ?? "").toLowerCase(),
  };
}

/**
 * RFC 8705 §3.1 `x5t#S256` of a certificate the edge verified against the zone's mTLS CA and
 * found unrevoked: base64url of the DER's SHA-256. Undefined for any other certificate.
 */
export function certificateThumbprint(cert: TlsClientCertificate | undefined): string | undefined {
  if (cert?.certVerified !== "SUCCESS" || cert.certRevoked === "1") return undefined;
  const hex = cert.certFingerprintSHA256;
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return b64url(bytes);
}
