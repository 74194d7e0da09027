import { describe, expect, it } from "vitest";
import { fromBase64, newSecretBoxKey, openSecret, sealSecret } from "../../src/platform/lib/secret-box";
import { b64url } from "../../src/platform/lib/secret-hash";

const plaintext = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async function failure(p: Promise<unknown>): Promise<Error> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error("expected a rejection with an Error");
  return outcome;
}

function flipByte(sealed: string, part: 1 | 2, index: number): string {
  const parts = sealed.split(".");
  const bytes = fromBase64(parts[part] ?? "");
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  parts[part] = b64url(bytes);
  return parts.join(".");
}

describe("secret box", () => {
  it("issues 32-byte base64 keys", () => {
    const key = newSecretBoxKey();
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fromBase64(key)).toHaveLength(32);
    expect(newSecretBoxKey()).not.toBe(key);
  });

  it("round-trips, in a compact versioned form", async () => {
    const key = newSecretBoxKey();
    const sealed = await sealSecret(plaintext, key);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(plaintext);
    expect(await openSecret(sealed, key)).toBe(plaintext);
    expect(await openSecret(await sealSecret("", key), key)).toBe("");
    expect(await openSecret(await sealSecret("ünïcødé ✓", key), key)).toBe("ünïcødé ✓");
    expect(await openSecret(await sealSecret("\uFEFFbom", key), key)).toBe("\uFEFFbom");
  });

  it("uses a fresh IV per seal", async () => {
    const key = newSecretBoxKey();
    const [a, b] = [await sealSecret(plaintext, key), await sealSecret(plaintext, key)];
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("refuses another key, a flipped byte or a truncated text, without revealing the secret or key", async () => {
    const key = newSecretBoxKey();
    const sealed = await sealSecret(plaintext, key);
    const attempts = [
      openSecret(sealed, newSecretBoxKey()),
      openSecret(flipByte(sealed, 2, 0), key),
      openSecret(flipByte(sealed, 2, fromBase64(sealed.split(".")[2] ?? "").length - 1), key), // the tag
      openSecret(flipByte(sealed, 1, 3), key), // the IV
      openSecret(sealed.slice(0, -4), key),
      openSecret(sealed.replace(/^v1\./, "v2."), key),
      openSecret("garbage", key),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt);
      expect(error.message).toMatch(/^secret-box: /);
      expect(error.message).not.toContain(plaintext);
      expect(error.message).not.toContain(key);
      expect(String(error.stack)).not.toContain(plaintext);
    }
    expect((await failure(openSecret(sealed, newSecretBoxKey()))).message).toMatch(/cannot open/);
  });

  it("binds the optional context", async () => {
    const key = newSecretBoxKey();
    const sealed = await sealSecret(plaintext, key, "wh_endpoint_1");
    expect(await openSecret(sealed, key, "wh_endpoint_1")).toBe(plaintext);
    await expect(openSecret(sealed, key, "wh_endpoint_2")).rejects.toThrow(/cannot open/);
    await expect(openSecret(sealed, key)).rejects.toThrow(/cannot open/);
  });

  it("rejects keys that are not 32 bytes of base64", async () => {
    await expect(sealSecret(plaintext, "c2hvcnQ=")).rejects.toThrow(/32 bytes/);
    await expect(sealSecret(plaintext, "not base64!")).rejects.toThrow(/not base64/);
  });
});
