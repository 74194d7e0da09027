import { describe, expect, it } from "vitest";
import acquirerHttp from "../../../docs/acquirer-http.md?raw";
import adminPage from "../../../docs/admin.md?raw";
import authentication from "../../../docs/authentication.md?raw";
import billing from "../../../docs/billing.md?raw";
import capacity from "../../../docs/capacity.md?raw";
import clientAuthentication from "../../../docs/client-authentication.md?raw";
import consentAuthorisation from "../../../docs/consent-authorisation.md?raw";
import contract from "../../../docs/contract.md?raw";
import cron from "../../../docs/cron.md?raw";
import disputes from "../../../docs/disputes.md?raw";
import errors from "../../../docs/errors.md?raw";
import fapi from "../../../docs/fapi.md?raw";
import idempotency from "../../../docs/idempotency.md?raw";
import invoices from "../../../docs/invoices.md?raw";
import ledger from "../../../docs/ledger.md?raw";
import metering from "../../../docs/metering.md?raw";
import oauthTokens from "../../../docs/oauth-tokens.md?raw";
import onboarding from "../../../docs/onboarding.md?raw";
import operations from "../../../docs/operations.md?raw";
import orchestration from "../../../docs/orchestration.md?raw";
import paymentMethods from "../../../docs/payment-methods.md?raw";
import payments from "../../../docs/payments.md?raw";
import portal from "../../../docs/portal.md?raw";
import products from "../../../docs/products.md?raw";
import index from "../../../docs/README.md?raw";
import reconciliation from "../../../docs/reconciliation.md?raw";
import recovery from "../../../docs/recovery.md?raw";
import reliability from "../../../docs/reliability.md?raw";
import risk from "../../../docs/risk.md?raw";
import sdk from "../../../docs/sdk.md?raw";
import security from "../../../docs/security.md?raw";
import senderConstrainedTokens from "../../../docs/sender-constrained-tokens.md?raw";
import sla from "../../../docs/sla.md?raw";
import usage from "../../../docs/usage.md?raw";
import versions from "../../../docs/versions.md?raw";
import webhooks from "../../../docs/webhooks.md?raw";
import { catalogue } from "../../../src/platform/errors";

// The docs are bundled in at build time (`?raw`): workerd cannot read the repository at run time.
// Every page under docs/, by its path in the repository. A new page must be added here.
const PAGES: Record<string, string> = {
  "docs/README.md": index,
  "docs/reconciliation.md": reconciliation,
  "docs/contract.md": contract,
  "docs/errors.md": errors,
  "docs/authentication.md": authentication,
  "docs/idempotency.md": idempotency,
  "docs/payments.md": payments,
  "docs/ledger.md": ledger,
  "docs/webhooks.md": webhooks,
  "docs/products.md": products,
  "docs/onboarding.md": onboarding,
  "docs/capacity.md": capacity,
  "docs/security.md": security,
  "docs/recovery.md": recovery,
  "docs/reliability.md": reliability,
  "docs/cron.md": cron,
  "docs/versions.md": versions,
  "docs/admin.md": adminPage,
  "docs/sdk.md": sdk,
  "docs/portal.md": portal,
  "docs/usage.md": usage,
  "docs/metering.md": metering,
  "docs/billing.md": billing,
  "docs/sla.md": sla,
  "docs/invoices.md": invoices,
  "docs/disputes.md": disputes,
  "docs/operations.md": operations,
  "docs/risk.md": risk,
  "docs/payment-methods.md": paymentMethods,
  "docs/orchestration.md": orchestration,
  "docs/acquirer-http.md": acquirerHttp,
  "docs/consent-authorisation.md": consentAuthorisation,
  "docs/oauth-tokens.md": oauthTokens,
  "docs/client-authentication.md": clientAuthentication,
  "docs/fapi.md": fapi,
  "docs/sender-constrained-tokens.md": senderConstrainedTokens,
};

const CATALOGUE_HEADER = "| code | HTTP | reason | meaning |";

interface Row {
  code: number;
  status: number;
  reason: string;
}

/** The rows of the catalogue table in errors.md: from its header to the first line that is not a table row. */
function catalogueRows(text: string): Row[] {
  const lines = text.split("\n").map((l) => l.trim());
  const start = lines.indexOf(CATALOGUE_HEADER);
  expect(start, `errors.md has no table headed ${CATALOGUE_HEADER}`).toBeGreaterThanOrEqual(0);
  expect(lines[start + 1]).toMatch(/^\|(\s*-+\s*\|){4}$/);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .slice(1, line.endsWith("|") ? -1 : undefined)
      .split("|")
      .map((c) => c.trim());
    expect(cells, `a catalogue row has four cells: ${line}`).toHaveLength(4);
    const [code = "", status = "", reason = "", meaning = ""] = cells;
    expect(code, line).toMatch(/^\d+$/);
    expect(status, line).toMatch(/^\d{3}$/);
    expect(reason, line).toMatch(/^`[a-z0-9_]+`$/);
    expect(meaning.length, `row ${code} explains its meaning`).toBeGreaterThan(10);
    rows.push({ code: Number(code), status: Number(status), reason: reason.slice(1, -1) });
  }
  return rows;
}

/** Markdown link targets (`[text](target)`), without their `#fragment`. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** The anchors a page's headings make. */
const anchorsOf = (text: string) =>
  new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? "")));

/** A relative link from a page, resolved to a path from the repository root; undefined when it leaves it. */
function resolveFrom(page: string, target: string): string | undefined {
  const parts = page.split("/").slice(0, -1);
  for (const segment of target.split("#")[0]?.split("/") ?? []) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join("/");
}

describe("docs/errors.md: the error catalogue", () => {
  const rows = catalogueRows(errors);
  const entries = catalogue();

  it("has exactly one row per catalogue entry, in code order", () => {
    expect(rows.map((r) => r.code)).toEqual(entries.map((e) => e.code));
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    expect([...rows].sort((a, b) => a.code - b.code)).toEqual(rows);
  });

  it("gives every code the catalogue's HTTP status and reason", () => {
    expect(rows).toEqual(entries.map(({ code, status, reason }) => ({ code, status, reason })));
  });

  it("lists the bank's codes 1–5 and 1000–1011", () => {
    const codes = new Set(rows.map((r) => r.code));
    for (const code of [1, 2, 3, 4, 5, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1011]) {
      expect(codes.has(code), `code ${code}`).toBe(true);
    }
  });

  it("is the only table headed like the catalogue", () => {
    expect(errors.split(CATALOGUE_HEADER)).toHaveLength(2);
  });
});

describe("docs/: the repository stands on its own", () => {
  it.each(Object.entries(PAGES))("%s names nothing outside the repository", (_page, text) => {
    expect(text.length).toBeGreaterThan(0);
    for (const outside of ["../shared", "/work/", "SPEC.md", "shared/reference"]) {
      expect(text, `mentions ${outside}`).not.toContain(outside);
    }
  });

  it.each(Object.entries(PAGES))("%s links only inside the repository", (page, text) => {
    for (const target of linkTargets(text)) {
      expect(target, `${page}: ${target} is a link to the web`).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      expect(target, `${page}: ${target} is an absolute path`).not.toMatch(/^\//);
      const resolved = target.startsWith("#") ? page : resolveFrom(page, target);
      expect(resolved, `${page}: ${target} leaves the repository`).toBeDefined();
      if (!resolved?.startsWith("docs/")) continue;
      const linked = PAGES[resolved];
      expect(linked, `${page}: ${target} is not a docs page`).toBeDefined();
      const fragment = target.split("#")[1];
      if (fragment !== undefined && linked !== undefined) {
        expect(anchorsOf(linked).has(fragment), `${page}: no heading for ${target}`).toBe(true);
      }
    }
  });

  it("indexes every page in docs/README.md", () => {
    const linked = new Set(linkTargets(index).map((t) => resolveFrom("docs/README.md", t)));
    for (const page of Object.keys(PAGES)) {
      if (page !== "docs/README.md") expect(linked.has(page), `${page} is indexed`).toBe(true);
    }
  });
});
