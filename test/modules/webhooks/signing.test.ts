import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  newAsymmetricKeyPair,
  newSymmetricSecret,
  signatureFor,
  signHeaders,
  verifyEd25519,
} from "../../../src/modules/webhooks/signing";
import { fromBase64 } from "../../../src/platform/lib/secret-box";

const body = JSON.stringify({ type: "payment.captured", data: { id: "pay_123", amount: 1050 } });
const msgId = "msg_01JTESTWEBHOOK";
const now = () => Math.floor(Date.now() / 1000);

// The Standard Webhooks test vector, from the reference JavaScript library's own test
// ("sign function works" in standard-webhooks/libraries/javascript/src/webhook.test.ts; the npm
// package ships without its tests), and reproduced by the installed package's `sign` below.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("symmetric (v1) signatures", () => {
  it("issues whsec_ secrets of 32 random bytes in standard base64", () => {
    const a = newSymmetricSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(fromBase64(a.slice("whsec_".length))).toHaveLength(32);
    expect(newSymmetricSecret()).not.toBe(a);
  });

  it("reproduces the specification's test vector", async () => {
    const { secret, msgId, timestamp, body, signature } = VECTOR;
    expect(await signatureFor(secret, msgId, timestamp, body)).toBe(signature);
    expect(new Webhook(secret).sign(msgId, new Date(timestamp * 1000), body)).toBe(signature);
  });

  it("verifies with the standardwebhooks package; tampering, another secret or a stale timestamp fail", async () => {
    const secret = newSymmetricSecret();
    const ts = now();
    const headers = await signHeaders([secret], msgId, ts, body);
    expect(headers["webhook-id"]).toBe(msgId);
    expect(headers["webhook-timestamp"]).toBe(String(ts));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // The package strips the whsec_ prefix itself, and also accepts the bare base64.
    expect(new Webhook(secret.slice("whsec_".length)).verify(body, headers)).toEqual(JSON.parse(body));

    const tampered = body.replace("1050", "1051");
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(newSymmetricSecret()).verify(body, headers)).toThrow(
      "No matching signature found",
    );

    const stale = await signHeaders([secret], msgId, ts - 6 * 60, body);
    expect(() => new Webhook(secret).verify(body, stale)).toThrow("Message timestamp too old");
    const future = await signHeaders([secret], msgId, ts + 6 * 60, body);
    expect(() => new Webhook(secret).verify(body, future)).toThrow("Message timestamp too new");
    // A signature for another timestamp does not carry over to a fresh one.
    const moved = { ...stale, "webhook-timestamp": String(ts) };
    expect(() => new Webhook(secret).verify(body, moved)).toThrow("No matching signature found");
  });

  it("signs with both secrets during a rotation overlap; either verifies", async () => {
    const [next, previous] = [newSymmetricSecret(), newSymmetricSecret()];
    const ts = now();
    const headers = await signHeaders([next, previous], msgId, ts, body);
    const parts = headers["webhook-signature"].split(" ");
    expect(parts).toEqual([
      await signatureFor(next, msgId, ts, body),
      await signatureFor(previous, msgId, ts, body),
    ]);
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSymmetricSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it("refuses bad inputs without echoing the secret", async () => {
    const short = "whsec_c2hvcnQ="; // 5 bytes, below the specification's 24
    await expect(signatureFor(short, msgId, now(), body)).rejects.toThrow(/24–64 bytes/);
    await expect(signatureFor("not-a-secret", msgId, now(), body)).rejects.toThrow(/whsec_ or whsk_/);
    await expect(signatureFor("whsec_!!!!", msgId, now(), body)).rejects.toThrow(/not valid base64/);
    await expect(signatureFor(VECTOR.secret, "msg.1", now(), body)).rejects.toThrow(/no '\.'/);
    await expect(signatureFor(VECTOR.secret, msgId, Date.now(), body)).rejects.toThrow(RangeError);
    await expect(signHeaders([], msgId, now(), body)).rejects.toThrow(/at least one/);
    const err = await signatureFor("whsec_!!!!", msgId, now(), body).catch((e: Error) => e);
    expect(String(err)).not.toContain("!!!!");
  });
});

describe("asymmetric (v1a) signatures", () => {
  it("issues whsk_ seeds and whpk_ raw public keys", async () => {
    const { secret, publicKey } = await newAsymmetricKeyPair();
    expect(secret).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(fromBase64(secret.slice(5))).toHaveLength(32);
    expect(fromBase64(publicKey.slice(5))).toHaveLength(32);
  });

  it("verifies with verifyEd25519 and with crypto.subtle from the public key; tampering fails", async () => {
    const { secret, publicKey } = await newAsymmetricKeyPair();
    const ts = now();
    const headers = await signHeaders([secret], msgId, ts, body);
    const header = headers["webhook-signature"];
    expect(header).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(await verifyEd25519(publicKey, msgId, ts, body, header)).toBe(true);

    const key = await crypto.subtle.importKey(
      "raw",
      fromBase64(publicKey.slice(5)),
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    const sig = fromBase64(header.slice("v1a,".length));
    const content = new TextEncoder().encode(`${msgId}.${ts}.${body}`);
    expect(await crypto.subtle.verify({ name: "Ed25519" }, key, sig, content)).toBe(true);

    const tampered = body.replace("1050", "1051");
    expect(await verifyEd25519(publicKey, msgId, ts, tampered, header)).toBe(false);
    expect(
      await crypto.subtle.verify({ name: "Ed25519" }, key, sig, new TextEncoder().encode(tampered)),
    ).toBe(false);
    expect(await verifyEd25519(publicKey, "msg_other", ts, body, header)).toBe(false);
    expect(await verifyEd25519(publicKey, msgId, ts + 1, body, header)).toBe(false);
    const other = await newAsymmetricKeyPair();
    expect(await verifyEd25519(other.publicKey, msgId, ts, body, header)).toBe(false);
    expect(await verifyEd25519(publicKey, msgId, ts, body, "v1a,AAAA v1,garbage")).toBe(false);
  });

  it("Ed25519 signatures are deterministic for one key", async () => {
    const { secret } = await newAsymmetricKeyPair();
    expect(await signatureFor(secret, msgId, 1700000000, body)).toBe(
      await signatureFor(secret, msgId, 1700000000, body),
    );
  });

  it("mixes symmetric and asymmetric secrets in one header; each verifier finds its own", async () => {
    const hmac = newSymmetricSecret();
    const { secret, publicKey } = await newAsymmetricKeyPair();
    const ts = now();
    const headers = await signHeaders([secret, hmac], msgId, ts, body);
    expect(headers["webhook-signature"]).toMatch(/^v1a,\S+ v1,\S+$/);
    expect(new Webhook(hmac).verify(body, headers)).toEqual(JSON.parse(body));
    expect(await verifyEd25519(publicKey, msgId, ts, body, headers["webhook-signature"])).toBe(true);
  });
});
