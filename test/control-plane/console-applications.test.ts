import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, adminCall } from "../support/admin";
import { consoleCall, csrfOf, flashOf, submit, unescaped } from "../support/console";
import {
  historyActions,
  PDF,
  publishCurrentTerms,
  registrant,
  storedApplication,
  submitted,
} from "./applying";
import { TURNSTILE_PASS, turnstileAnswers } from "./support";

// The console's review queue in production: each page and form an admin API call with the
// person's own Access assertion; forms carry the person's CSRF token from the console's origin.

beforeAll(async () => {
  await turnstileAnswers(TURNSTILE_PASS);
  await publishCurrentTerms();
});

const page = (id: string) => `/console/applications/${id}`;

const livePartner = (id: unknown) =>
  env.DB.prepare("SELECT environment, status FROM partners WHERE id = ?").bind(id).first();

async function documentId(applicationId: string): Promise<string> {
  const r = await adminCall("GET", `/admin/v1/applications/${applicationId}`, {
    token: (await admin("viewer")).token,
  });
  return r.body.result.documents[0].id;
}

describe("the console's application review queue (production)", () => {
  it("lists the queue and shows an application: the company's answers, documents, history", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const { token } = await admin("viewer");
    const queue = await consoleCall("GET", "/console/applications", { token });
    expect(queue.res.status).toBe(200);
    expect(queue.res.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(queue.text).toContain(`href="/console/applications/${id}"`);
    expect(queue.text).toContain(">Applications</a>"); // in production's nav
    const shown = await consoleCall("GET", page(id), { token });
    expect(shown.res.status).toBe(200);
    const text = unescaped(shown.text);
    for (const answer of [
      who.params.company_name,
      "Acme Telecom LLC, UZ-301234567",
      "payments: CBU-PAY-2026-0042",
      "CISO <security@acme.example>, +998901234567",
      "https://hooks.acme.example/portico",
      "203.0.113.0/24, 2001:db8:42::/48",
    ])
      expect(text).toContain(answer);
    expect(text).toContain(`href="/console/applications/${id}/documents/${await documentId(id)}"`);
    expect(text).toMatch(/data-history="submitted"/);
    expect(text).toContain("Propose approval");
    const other = await consoleCall("GET", "/console/applications?status=approved", { token });
    expect(other.text).not.toContain(`/console/applications/${id}"`);
  });

  it("two different approvers approve: the first proposes, the second makes the live partner", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const [maker, checker] = [await admin("approver", "maker"), await admin("approver", "checker")];
    const proposed = await submit(maker.token, page(id), `${page(id)}/approve`, {
      reason: "documents verified",
    });
    expect(proposed.res.status).toBe(200);
    expect(flashOf(proposed.text)).toBe(
      "Approval proposed: a different approver approves it to make the live partner.",
    );
    expect(proposed.text).toContain(`Approval proposed by <strong>${maker.email}</strong>`);
    // The maker sees no approve button, and the API refuses the maker anyway (105).
    expect(proposed.text).not.toContain("Approve: make the live partner");
    const again = await submit(maker.token, page(id), `${page(id)}/approve`, { reason: "approving twice" });
    expect(again.res.status).toBe(403);
    expect(flashOf(again.text)).toMatch(/\(code 105\)$/);
    expect((await storedApplication(id))?.status).toBe("submitted");

    const seen = await consoleCall("GET", page(id), { token: checker.token });
    expect(seen.text).toContain(`Approval proposed by <strong>${maker.email}</strong>`);
    expect(seen.text).toContain("Approve: make the live partner");
    const approved = await submit(checker.token, page(id), `${page(id)}/approve`, {
      reason: "second look: ok",
    });
    expect(approved.res.status).toBe(200);
    const app = await storedApplication(id);
    expect(flashOf(approved.text)).toBe(`Approved: the live partner ${app?.partner_id} exists.`);
    expect(app?.status).toBe("approved");
    expect(await livePartner(app?.partner_id)).toEqual({ environment: "production", status: "active" });
    expect(approved.text).toContain(`href="/console/partners/${app?.partner_id}"`);
  });

  it("a viewer's approve is refused (104) and changes nothing", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const viewer = await admin("viewer");
    const refused = await submit(viewer.token, page(id), `${page(id)}/approve`, {
      reason: "viewer approving",
    });
    expect(refused.res.status).toBe(403);
    expect(flashOf(refused.text)).toMatch(/\(code 104\)$/);
    const app = await storedApplication(id);
    expect(app?.status).toBe("submitted");
    expect(app?.change_request_id).toBeNull();
    expect(await livePartner(app?.partner_id)).toBeNull();
  });

  it("a form without its CSRF token, or from another site, is refused (164) and changes nothing", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const approver = await admin("approver");
    const shown = await consoleCall("GET", page(id), { token: approver.token });
    const form = { reason: "please change", idempotency_key: crypto.randomUUID() };
    const noToken = await consoleCall("POST", `${page(id)}/request-changes`, { token: approver.token, form });
    expect(noToken.res.status).toBe(403);
    expect(noToken.text).toContain("(code 164)");
    const forged = await consoleCall("POST", `${page(id)}/approve`, {
      token: approver.token,
      form: { ...form, csrf: "forged" },
    });
    expect(forged.res.status).toBe(403);
    // Another person's token is not this person's.
    const someoneElse = await consoleCall("GET", page(id), { token: (await admin("approver")).token });
    const stolen = await consoleCall("POST", `${page(id)}/approve`, {
      token: approver.token,
      form: { ...form, csrf: csrfOf(someoneElse.text) },
    });
    expect(stolen.res.status).toBe(403);
    const crossSite = await consoleCall("POST", `${page(id)}/reject`, {
      token: approver.token,
      form: { ...form, csrf: csrfOf(shown.text) },
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossSite.res.status).toBe(403);
    expect(crossSite.text).toContain("(code 164)");
    const app = await storedApplication(id);
    expect(app?.status).toBe("submitted");
    expect(app?.change_request_id).toBeNull();
    expect(await historyActions(id)).not.toContain("changes_requested");
  });

  it("requests changes with a comment the partner reads, and rejects with a reason", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const operator = await admin("operator");
    const changes = await submit(operator.token, page(id), `${page(id)}/request-changes`, {
      reason: "The licence scan is unreadable: upload it again",
    });
    expect(changes.res.status).toBe(200);
    expect(flashOf(changes.text)).toBe("Changes requested: the partner reads your comment.");
    expect(unescaped(changes.text)).toContain("The licence scan is unreadable: upload it again");
    const seen = await who.as("GET", `/onboarding/applications/${id}`);
    expect(seen.body.result.status).toBe("changes_requested");
    expect(seen.body.result.history.at(-1).comment).toBe("The licence scan is unreadable: upload it again");

    const other = await registrant();
    const second = await submitted(other);
    // An operator may not reject (104): that is an approver's.
    const notTheirs = await submit(operator.token, page(second), `${page(second)}/reject`, {
      reason: "not good",
    });
    expect(notTheirs.res.status).toBe(403);
    expect(flashOf(notTheirs.text)).toMatch(/\(code 104\)$/);
    const approver = await admin("approver");
    const tooShort = await submit(approver.token, page(second), `${page(second)}/reject`, { reason: "x" });
    expect(tooShort.res.status).toBe(400);
    expect(flashOf(tooShort.text)).toMatch(/\(code 4\)$/);
    expect((await storedApplication(second))?.status).toBe("submitted");
    const rejected = await submit(approver.token, page(second), `${page(second)}/reject`, {
      reason: "The registration number is not in the register",
    });
    expect(rejected.res.status).toBe(200);
    expect(flashOf(rejected.text)).toBe("Rejected: the partner reads the reason.");
    expect((await storedApplication(second))?.status).toBe("rejected");
    // A decided application shows no decision forms.
    expect(rejected.text).not.toContain(`action="${page(second)}/approve"`);
  });

  it("an operator downloads a document with its bytes; a viewer may not (104)", async () => {
    const who = await registrant();
    const id = await submitted(who);
    const doc = await documentId(id);
    const operator = await admin("operator");
    const download = await consoleCall("GET", `${page(id)}/documents/${doc}`, { token: operator.token });
    expect(download.res.status).toBe(200);
    expect(download.bytes).toEqual(PDF);
    expect(download.res.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.res.headers.get("Content-Disposition")).toBe('attachment; filename="aoc.pdf"');
    expect(download.res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(download.res.headers.get("Cache-Control")).toBe("no-store");
    const viewer = await admin("viewer");
    const refused = await consoleCall("GET", `${page(id)}/documents/${doc}`, { token: viewer.token });
    expect(refused.res.status).toBe(403);
    expect(flashOf(refused.text)).toMatch(/\(code 104\)$/);
    expect(refused.bytes).not.toEqual(PDF);
    const unknown = await consoleCall("GET", `${page(id)}/documents/${crypto.randomUUID()}`, {
      token: operator.token,
    });
    expect(unknown.res.status).toBe(404);
    const audit = await env.DB.prepare(
      "SELECT identity, outcome FROM admin_audit_log WHERE action = 'application.document.read' AND target LIKE ?",
    )
      .bind(`${id}%`)
      .all();
    expect(audit.results).toEqual(
      expect.arrayContaining([
        { identity: operator.email, outcome: 200 },
        { identity: viewer.email, outcome: 403 },
        { identity: operator.email, outcome: 404 },
      ]),
    );
  });

  it("an unknown application is 404; without Access the queue is 401 (100)", async () => {
    const { token } = await admin("viewer");
    const unknown = await consoleCall("GET", page(crypto.randomUUID()), { token });
    expect(unknown.res.status).toBe(404);
    const anonymous = await consoleCall("GET", "/console/applications");
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.text).toContain("(code 100)");
  });
});
