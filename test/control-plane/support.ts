import { env } from "cloudflare:workers";
import { call } from "../support/http";
import { until } from "../support/webhooks";

/** The receiver's paths the production project points Turnstile and notifications at (vitest.config.ts). */
const control = (id: string) => `${env.TEST_RECEIVER_URL}/control/${id}`;

export async function turnstileAnswers(body: unknown, status = 200) {
  await fetch(control("turnstile"), {
    method: "PUT",
    body: JSON.stringify(status === 200 ? { body: JSON.stringify(body) } : { fail: 1000, status }),
  });
}

export const TURNSTILE_PASS = { success: true, "error-codes": [] };
export const TURNSTILE_FAIL = { success: false, "error-codes": ["invalid-input-response"] };

export async function received(id: "turnstile" | "notify") {
  const res = await fetch(control(id));
  return ((await res.json()) as { received: { headers: Record<string, string>; body: string }[] }).received;
}

export function registration(overrides: Record<string, unknown> = {}) {
  const n = crypto.randomUUID().slice(0, 8);
  return {
    company_name: `Acme ${n} LLC`,
    country: "UZ",
    contact_email: `ops-${n}@acme.example`,
    password: `Correct-horse-${n}-battery-9`,
    products: ["payments", "cards"],
    use_case: "Card issuing for our subscribers",
    turnstile_token: "XXXX.DUMMY.TOKEN.XXXX",
    ...overrides,
  };
}

export function register(params: unknown, ip: string = freshIpv6()) {
  return call("POST", "/onboarding/register", {
    json: { params },
    headers: { "CF-Connecting-IP": ip },
  });
}

let v6 = 0;
/** A fresh documentation-range IPv6 address per call. */
export function freshIpv6() {
  v6 += 1;
  const random = crypto.getRandomValues(new Uint16Array(3));
  return `2001:db8:${v6.toString(16)}::${[...random].map((n) => n.toString(16)).join(":")}`;
}

/** The verification email sent to `email` (through the outbox, the queue and the HTTP connector). */
export async function verificationEmail(email: string) {
  return until(async () => {
    const all = await received("notify");
    const mail = all.find((r) => JSON.parse(r.body).to === email);
    return mail
      ? { headers: mail.headers, body: JSON.parse(mail.body) as Record<string, string> }
      : undefined;
  });
}

export const tokenOfLink = (text: string) => {
  const m = /\?token=([^\s]+)/.exec(text);
  if (!m?.[1]) throw new Error("no link in the email");
  return decodeURIComponent(m[1]);
};

/** A request to the sandbox Worker, through its public fetch handler. */
export async function sandboxCall(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const res = await env.SANDBOX_HTTP.fetch(`https://sandbox.portico.test${path}`, { method, ...init });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}
