const keys = new Map<string, Promise<CryptoKey>>();

/**
 * An HMAC-SHA256 signing key derived (HKDF-SHA256) from the platform's data key (base64 of
 * 32 bytes) for one purpose, named by `info`: each use gets its own key, and none of them
 * reveals the data key or another use's key. Derived once per isolate.
 */
export function derivedHmacKey(
  dataKey: string,
  info: string,
  usages: ("sign" | "verify")[] = ["sign"],
): Promise<CryptoKey> {
  const id = `${info}\n${usages.join(",")}\n${dataKey}`;
  let key = keys.get(id);
  if (!key) {
    const raw = Uint8Array.from(atob(dataKey), (ch) => ch.charCodeAt(0));
    key = crypto.subtle
      .importKey("raw", raw, "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new TextEncoder().encode(info) },
          base,
          { name: "HMAC", hash: "SHA-256" },
          false,
          usages,
        ),
      );
    keys.set(id, key);
  }
  return key;
}
