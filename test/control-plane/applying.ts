import { env } from "cloudflare:workers";
import { publishTerms } from "../../src/modules/onboarding/terms";
import { profileCache } from "../../src/modules/partners/profile";
import { call } from "../support/http";
import { db } from "../support/partners";
import { freshIpv6, register, registration, sandboxCall, tokenOfLink, verificationEmail } from "./support";

// The production application's steps as a partner takes them, for the control-plane tests.

/** A minimal PDF: what the upload checks is the `%PDF-` signature and the size. */
export const PDF = new TextEncoder().encode(
  "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
);
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/** A complete checklist for payments and cards (the products a registration asks for by default). */
export const CHECKLIST = {
  legal_entity: { name: "Acme Telecom LLC", registration_number: "UZ-301234567", lei: null },
  licences: { payments: "CBU-PAY-2026-0042" },
  webhook_urls: ["https://hooks.acme.example/portico"],
  ip_allowlist: ["203.0.113.0/24", "2001:db8:42::/48"],
  technical_contact: { name: "Tech Lead", email: "tech@acme.example" },
  security_contact: { name: "CISO", email: "security@acme.example", phone: "+998901234567" },
};

/** An allowed and a refused address for CHECKLIST's allow-list. */
export const INSIDE_IP = "203.0.113.9";
export const OUTSIDE_IP = "198.51.100.9";

let published = 0;
/** A new current version of the terms, due in a day. */
export async function publishCurrentTerms() {
  published += 1;
  const version = `apply-${crypto.randomUUID().slice(0, 8)}`;
  const at = new Date(Date.now() - 30_000 + published);
  const doc = await publishTerms(
    db,
    {
      version,
      text: `Portico terms ${version}: the application tests' terms.`,
      acceptBy: new Date(Date.now() + 86_400_000).toISOString(),
      publishedAt: at.toISOString(),
    },
    at,
  );
  profileCache.invalidate();
  return doc;
}

/** The calls on a registrant's session. */
export function onboarding(session: string) {
  return (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    call(method, path, { token: session, headers, ...(json !== undefined ? { json } : {}) });
}

export async function signIn(email: string, password: string, ip = freshIpv6()) {
  return call("POST", "/onboarding/session", {
    json: { params: { email, password } },
    headers: { "CF-Connecting-IP": ip },
  });
}

/** Registered, verified (the emailed link opened) and signed in; optionally with terms accepted. */
export async function registrant(opts: { verify?: boolean; acceptTerms?: boolean } = {}) {
  const params = registration();
  const reg = await register(params);
  if (reg.res.status !== 201) throw new Error(`register: ${reg.res.status} ${JSON.stringify(reg.body)}`);
  if (opts.verify !== false) {
    const mail = await verificationEmail(params.contact_email);
    const verified = await call(
      "GET",
      `/onboarding/verify?token=${encodeURIComponent(tokenOfLink(mail.body.text ?? ""))}`,
    );
    if (verified.res.status !== 200) throw new Error(`verify: ${verified.res.status}`);
  }
  const session = await signIn(params.contact_email, params.password);
  if (session.res.status !== 201)
    throw new Error(`sign in: ${session.res.status} ${JSON.stringify(session.body)}`);
  const as = onboarding(session.body.result.token);
  if (opts.acceptTerms !== false) {
    const terms = await as("GET", "/onboarding/terms");
    if (terms.res.status === 200 && terms.body.result.accepted_at === null) {
      const accepted = await as("POST", "/onboarding/terms/accept", {
        params: { version: terms.body.result.version, sha256: terms.body.result.sha256 },
      });
      if (accepted.res.status !== 201) throw new Error(`accept: ${accepted.res.status}`);
    }
  }
  return {
    params,
    registrationId: reg.body.result.id as string,
    sandbox: reg.body.result.sandbox as { consumer_key: string; consumer_secret: string; partner_id: string },
    session: session.body.result.token as string,
    as,
  };
}

/** Uploads `bytes` as a document of `kind`. */
export function upload(
  session: string,
  applicationId: string,
  bytes: Uint8Array,
  opts: { kind?: string; filename?: string; type?: string } = {},
) {
  const query = new URLSearchParams({
    kind: opts.kind ?? "pci_dss_attestation",
    filename: opts.filename ?? "aoc.pdf",
  });
  return call("POST", `/onboarding/applications/${applicationId}/documents?${query}`, {
    token: session,
    body: bytes,
    headers: { "Content-Type": opts.type ?? "application/pdf" },
  });
}

/** A draft with the complete checklist and its PCI DSS attestation, submitted. */
export async function submitted(who: Awaited<ReturnType<typeof registrant>>) {
  const draft = await who.as("POST", "/onboarding/applications", { params: { checklist: CHECKLIST } });
  if (draft.res.status !== 201) throw new Error(`draft: ${draft.res.status} ${JSON.stringify(draft.body)}`);
  const id = draft.body.result.id as string;
  const doc = await upload(who.session, id, PDF);
  if (doc.res.status !== 201) throw new Error(`upload: ${doc.res.status} ${JSON.stringify(doc.body)}`);
  const sent = await who.as("POST", `/onboarding/applications/${id}/submit`);
  if (sent.res.status !== 200) throw new Error(`submit: ${sent.res.status} ${JSON.stringify(sent.body)}`);
  return id;
}

export const storedApplication = (id: string) =>
  env.DB.prepare("SELECT * FROM applications WHERE id = ?").bind(id).first<Record<string, unknown>>();

export const historyActions = async (id: string) =>
  (
    await env.DB.prepare(
      "SELECT action FROM application_history WHERE application_id = ? ORDER BY created_at, id",
    )
      .bind(id)
      .all<{ action: string }>()
  ).results.map((r) => r.action);

export { sandboxCall };
