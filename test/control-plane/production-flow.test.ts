import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accessToken, admin, adminCall, forgerKey } from "../support/admin";
import { basic, call } from "../support/http";
import {
  CHECKLIST,
  historyActions,
  INSIDE_IP,
  OUTSIDE_IP,
  onboarding,
  PDF,
  publishCurrentTerms,
  registrant,
  sandboxCall,
  signIn,
  storedApplication,
  submitted,
  upload,
} from "./applying";
import {
  register,
  registration,
  TURNSTILE_PASS,
  tokenOfLink,
  turnstileAnswers,
  verificationEmail,
} from "./support";

beforeAll(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
  await publishCurrentTerms();
});

const liveToken = (key: string, secret: string, ip: string) =>
  call("POST", "/oauth2/token", {
    headers: {
      Authorization: basic(key, secret),
      "Content-Type": "application/x-www-form-urlencoded",
      "CF-Connecting-IP": ip,
    },
    body: "grant_type=client_credentials",
  });

describe("the whole flow, through HTTP: register → live call", () => {
  it("registers, verifies, calls the sandbox, accepts the terms, applies, answers a change request, gets two approvals and calls production live", async () => {
    // 1. Register: a sandbox partner at once, its secret shown once.
    const params = registration({ products: ["payments", "cards", "kyc"] });
    const reg = await register(params);
    expect(reg.res.status, JSON.stringify(reg.body)).toBe(201);
    const sandbox = reg.body.result.sandbox;

    // 2. Verify the email with the link the mailbox received.
    const mail = await verificationEmail(params.contact_email);
    const verified = await call(
      "GET",
      `/onboarding/verify?token=${encodeURIComponent(tokenOfLink(mail.body.text ?? ""))}`,
    );
    expect(verified.res.status).toBe(200);

    // 3. Sandbox calls with the sandbox credentials.
    const sandboxToken = await sandboxCall("POST", "/oauth2/token", {
      headers: {
        Authorization: basic(sandbox.consumer_key, sandbox.consumer_secret),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(sandboxToken.res.status).toBe(200);
    const me = await sandboxCall("GET", "/v1/partner", {
      headers: { Authorization: `Bearer ${sandboxToken.body.access_token}` },
    });
    expect(me.res.status).toBe(200);
    expect(me.body.result.environment).toBe("sandbox");

    // 4. Sign in on the control plane and accept the terms for the production partner to be.
    const session = await signIn(params.contact_email, params.password);
    expect(session.res.status, JSON.stringify(session.body)).toBe(201);
    expect(session.res.headers.get("Cache-Control")).toBe("no-store");
    const as = onboarding(session.body.result.token);
    const state = await as("GET", "/onboarding/registration");
    expect(state.body.result).toMatchObject({ email_verified: true, sandbox_partner_id: sandbox.partner_id });
    const livePartnerId = state.body.result.production_partner_id as string;
    const terms = await as("GET", "/onboarding/terms");
    expect(terms.body.result.accepted_at).toBeNull();
    const accepted = await as(
      "POST",
      "/onboarding/terms/accept",
      { params: { version: terms.body.result.version, sha256: terms.body.result.sha256 } },
      { "CF-Connecting-IP": "192.0.2.77" },
    );
    expect(accepted.res.status).toBe(201);
    expect(accepted.body.result).toMatchObject({
      accepted_by: { kind: "user", id: reg.body.result.id },
      ip: "192.0.2.77",
    });

    // 5. Apply: a draft, its checklist (KYC needs a data-protection contact, cards a PCI DSS attestation).
    const draft = await as("POST", "/onboarding/applications", {
      params: { products: ["payments", "cards", "kyc"], checklist: CHECKLIST },
    });
    expect(draft.res.status, JSON.stringify(draft.body)).toBe(201);
    const id = draft.body.result.id as string;
    expect(draft.body.result.missing).toEqual(["documents.pci_dss_attestation", "data_protection_contact"]);
    const incomplete = await as("POST", `/onboarding/applications/${id}/submit`);
    expect(incomplete.res.status).toBe(422);
    expect(incomplete.body.error).toMatchObject({ code: 137, reason: "application_incomplete" });
    expect(incomplete.body.error.message).toContain("documents.pci_dss_attestation");
    expect((await storedApplication(id))?.status).toBe("draft");

    const doc = await upload(session.body.result.token, id, PDF);
    expect(doc.res.status, JSON.stringify(doc.body)).toBe(201);
    const dpo = { name: "DPO", email: "dpo@acme.example" };
    const filled = await as("PATCH", `/onboarding/applications/${id}`, {
      params: { checklist: { data_protection_contact: dpo } },
    });
    expect(filled.body.result.missing).toEqual([]);
    const sent = await as("POST", `/onboarding/applications/${id}/submit`);
    expect(sent.res.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.result.status).toBe("submitted");

    // 6. The platform team: a change request with a comment the partner reads.
    const reviewer = await admin("operator", "reviewer");
    const maker = await admin("approver", "maker");
    const checker = await admin("approver", "checker");
    const queue = await adminCall("GET", "/admin/v1/applications?status=submitted&limit=100", {
      token: maker.token,
    });
    expect(queue.res.status).toBe(200);
    expect(queue.body.result.data.map((a: { id: string }) => a.id)).toContain(id);
    const download = await adminCall("GET", `/admin/v1/applications/${id}/documents/${doc.body.result.id}`, {
      token: reviewer.token,
    });
    expect(download.res.status).toBe(200);
    expect(download.res.headers.get("Content-Disposition")).toBe('attachment; filename="aoc.pdf"');
    expect(download.res.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(download.body).toBe(new TextDecoder().decode(PDF));

    const askChanges = await adminCall("POST", `/admin/v1/applications/${id}/request-changes`, {
      token: reviewer.token,
      json: { params: { reason: "The security contact must be a named person, not a role" } },
    });
    expect(askChanges.res.status, JSON.stringify(askChanges.body)).toBe(200);
    expect(askChanges.body.result.status).toBe("changes_requested");
    const seen = await as("GET", `/onboarding/applications/${id}`);
    const last = seen.body.result.history.at(-1);
    expect(last).toMatchObject({
      action: "changes_requested",
      actor: { kind: "admin", id: "platform team" },
      comment: "The security contact must be a named person, not a role",
    });
    expect(JSON.stringify(seen.body)).not.toContain(reviewer.email);

    // 7. Resubmit.
    await as("PATCH", `/onboarding/applications/${id}`, {
      params: { checklist: { security_contact: { name: "Dilnoza Karimova", email: "dk@acme.example" } } },
    });
    const again = await as("POST", `/onboarding/applications/${id}/submit`);
    expect(again.body.result.status).toBe("submitted");

    // 8. Two approvals from two admins: the maker proposes, cannot approve twice; the checker approves.
    const first = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: maker.token,
      json: { params: { reason: "Checklist and PCI DSS AoC verified" } },
    });
    expect(first.res.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.result.approval).toMatchObject({ kind: "production_access", status: "pending" });
    const twice = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: maker.token,
      json: { params: { reason: "approving my own proposal" } },
    });
    expect(twice.res.status).toBe(403);
    expect(twice.body.error).toMatchObject({ code: 105, reason: "approval_by_maker" });
    const noPartnerYet = await env.DB.prepare("SELECT id FROM partners WHERE id = ?")
      .bind(livePartnerId)
      .first();
    expect(noPartnerYet).toBeNull();
    const second = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: checker.token,
      json: { params: { reason: "Second approval" } },
    });
    expect(second.res.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.result).toMatchObject({ status: "approved", partner_id: livePartnerId });
    expect(second.body.result.approval).toMatchObject({
      status: "applied",
      maker: { identity: maker.email },
      checker: { identity: checker.email },
    });

    // The live partner, in production's database, with the approved products only.
    const partner = await env.DB.prepare(
      "SELECT p.environment, p.status, c.products, c.ip_allowlist, c.webhook_domains, c.tier FROM partners p JOIN partner_contracts c ON c.partner_id = p.id WHERE p.id = ?",
    )
      .bind(livePartnerId)
      .first<Record<string, string>>();
    expect(partner).toMatchObject({ environment: "production", status: "active", tier: "standard" });
    expect(JSON.parse(partner?.products ?? "[]")).toEqual(["payments", "cards", "kyc"]);
    expect(JSON.parse(partner?.ip_allowlist ?? "[]")).toEqual(CHECKLIST.ip_allowlist);
    expect(JSON.parse(partner?.webhook_domains ?? "[]")).toEqual(["hooks.acme.example"]);
    // No credential exists until the partner makes one: the approvers never saw a secret.
    const credentials = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM partner_credentials WHERE partner_id = ?",
    )
      .bind(livePartnerId)
      .first<{ n: number }>();
    expect(credentials?.n).toBe(0);
    expect(JSON.stringify(second.body)).not.toMatch(/cs_live_/);
    // The sandbox never heard of it.
    const inSandbox = await env.SANDBOX_DB.prepare("SELECT id FROM partners WHERE id = ?")
      .bind(livePartnerId)
      .first();
    expect(inSandbox).toBeNull();

    // 9. Live credentials, shown once to the partner; a live call from inside the allow-list.
    const live = await as("POST", "/onboarding/credentials");
    expect(live.res.status, JSON.stringify(live.body)).toBe(201);
    expect(live.res.headers.get("Cache-Control")).toBe("no-store");
    expect(live.body.result).toMatchObject({ environment: "production", partner_id: livePartnerId });
    expect(live.body.result.consumer_key).toMatch(/^ck_live_/);
    const listed = await as("GET", "/onboarding/credentials");
    expect(JSON.stringify(listed.body)).not.toContain(live.body.result.consumer_secret);

    const token = await liveToken(live.body.result.consumer_key, live.body.result.consumer_secret, INSIDE_IP);
    expect(token.res.status, JSON.stringify(token.body)).toBe(200);
    const profile = await call("GET", "/v1/partner", {
      token: token.body.access_token,
      headers: { "CF-Connecting-IP": INSIDE_IP },
    });
    expect(profile.res.status, JSON.stringify(profile.body)).toBe(200);
    expect(profile.body.result).toMatchObject({ id: livePartnerId, environment: "production" });
    expect(profile.body.result.products).toEqual(["payments", "cards", "kyc"]);
    // The terms accepted before going live hold for the live partner.
    const liveTerms = await call("GET", "/v1/terms", {
      token: token.body.access_token,
      headers: { "CF-Connecting-IP": INSIDE_IP },
    });
    expect(liveTerms.body.result.accepted_at).toBe(accepted.body.result.accepted_at);

    // An address outside the allow-list is refused, at the token endpoint and on /v1.
    const outsideToken = await liveToken(
      live.body.result.consumer_key,
      live.body.result.consumer_secret,
      OUTSIDE_IP,
    );
    expect(outsideToken.res.status).toBe(403);
    const outside = await call("GET", "/v1/partner", {
      token: token.body.access_token,
      headers: { "CF-Connecting-IP": OUTSIDE_IP },
    });
    expect(outside.res.status).toBe(403);
    expect(outside.body.error).toMatchObject({ code: 23, reason: "ip_not_allowed" });

    // A partner's token never reaches /admin.
    const partnerOnAdmin = await adminCall("GET", "/admin/v1/applications", {
      headers: { Authorization: `Bearer ${token.body.access_token}` },
    });
    expect(partnerOnAdmin.res.status).toBe(401);
    expect(partnerOnAdmin.body.error.code).toBe(100);

    // The whole history, in order.
    expect(await historyActions(id)).toEqual([
      "created",
      "document_added",
      "updated",
      "submitted",
      "changes_requested",
      "updated",
      "submitted",
      "approval_proposed",
      "approved",
      "live_partner_created",
    ]);
    const audit = await env.DB.prepare(
      "SELECT identity, action, outcome FROM admin_audit_log WHERE target = ? OR target LIKE ? ORDER BY id",
    )
      .bind(id, `${id}/%`)
      .all<{ identity: string; action: string; outcome: number }>();
    expect(audit.results.map((r) => [r.action, r.outcome])).toEqual([
      ["application.document.read", 200],
      ["application.request_changes", 200],
      ["application.approve", 202],
      ["application.approve", 403],
      ["application.approve", 200],
    ]);
  });
});

describe("approval security", () => {
  it("a viewer cannot approve, request changes or read documents; nothing changes", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const viewer = await admin("viewer");
    for (const [path, body] of [
      [`/admin/v1/applications/${id}/approve`, { params: { reason: "viewer approving" } }],
      [`/admin/v1/applications/${id}/request-changes`, { params: { reason: "viewer asking" } }],
      [`/admin/v1/applications/${id}/reject`, { params: { reason: "viewer rejecting" } }],
    ] as const) {
      const res = await adminCall("POST", path, { token: viewer.token, json: body });
      expect(res.res.status, path).toBe(403);
      expect(res.body.error.code).toBe(104);
    }
    const read = await adminCall("GET", `/admin/v1/applications/${id}`, { token: viewer.token });
    expect(read.res.status).toBe(200);
    const docs = await adminCall(
      "GET",
      `/admin/v1/applications/${id}/documents/${read.body.result.documents[0].id}`,
      {
        token: viewer.token,
      },
    );
    expect(docs.res.status).toBe(403);
    expect(await storedApplication(id)).toMatchObject({ status: "submitted", change_request_id: null });
  });

  it("a forged or expired Access JWT is refused", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const approver = await admin("approver");
    const forged = await accessToken(approver.email, { key: forgerKey.privateKey });
    const expired = await accessToken(approver.email, {
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const json = { params: { reason: "approve" } };
    const a = await adminCall("POST", `/admin/v1/applications/${id}/approve`, { token: forged, json });
    expect(a.res.status).toBe(401);
    expect(a.body.error.code).toBe(101);
    const b = await adminCall("POST", `/admin/v1/applications/${id}/approve`, { token: expired, json });
    expect(b.res.status).toBe(401);
    expect(b.body.error.code).toBe(102);
    const bare = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      json,
      headers: { "Cf-Access-Authenticated-User-Email": approver.email },
    });
    expect(bare.res.status).toBe(401);
    expect(await storedApplication(id)).toMatchObject({ status: "submitted", change_request_id: null });
  });

  it("a proposal made before a change request cannot approve the resubmitted revision", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const [maker, operator, checker] = [
      await admin("approver"),
      await admin("operator"),
      await admin("approver"),
    ];
    const json = (reason: string) => ({ params: { reason } });
    expect(
      (
        await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
          token: maker.token,
          json: json("looks fine"),
        })
      ).res.status,
    ).toBe(202);
    const proposal = (await storedApplication(id))?.change_request_id as string;
    await adminCall("POST", `/admin/v1/applications/${id}/request-changes`, {
      token: operator.token,
      json: json("one more thing"),
    });
    await who.as("PATCH", `/onboarding/applications/${id}`, {
      params: { checklist: { webhook_urls: ["https://other.acme.example/hooks"] } },
    });
    await who.as("POST", `/onboarding/applications/${id}/submit`);
    // The old proposal, approved directly, applies to nothing.
    const stale = await adminCall("POST", `/admin/v1/approvals/${proposal}/approve`, {
      token: checker.token,
      json: json("fine by me"),
    });
    expect(stale.res.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.error.code).toBe(60);
    expect((await storedApplication(id))?.status).toBe("submitted");
    // On the application, the checker's call is a fresh proposal for the new revision.
    const fresh = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: checker.token,
      json: json("new revision"),
    });
    expect(fresh.res.status).toBe(202);
    const done = await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: maker.token,
      json: json("second"),
    });
    expect(done.res.status).toBe(200);
    expect(done.body.result.status).toBe("approved");
  });

  it("two checkers approving at once: one approval applies, one live partner", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const maker = await admin("approver");
    await adminCall("POST", `/admin/v1/applications/${id}/approve`, {
      token: maker.token,
      json: { params: { reason: "first" } },
    });
    const checkers = await Promise.all([admin("approver"), admin("approver"), admin("admin")]);
    const answers = await Promise.all(
      checkers.map((c) =>
        adminCall("POST", `/admin/v1/applications/${id}/approve`, {
          token: c.token,
          json: { params: { reason: "race" } },
        }),
      ),
    );
    const statuses = answers.map((a) => a.res.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const app = await storedApplication(id);
    const partners = await env.DB.prepare("SELECT COUNT(*) AS n FROM partners WHERE id = ?")
      .bind(app?.partner_id)
      .first<{ n: number }>();
    expect(partners?.n).toBe(1);
    expect((await historyActions(id)).filter((a) => a === "approved")).toHaveLength(1);
  });
});
