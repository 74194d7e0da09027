import type { OpenAPIHono } from "@hono/zod-openapi";
import { ALL_SCOPES } from "../../platform/catalog";
import { catalogue } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { isProductionOnlyPath } from "../onboarding/model";
import { addCodeSamples } from "./code-samples";
import { SANDBOX_VALUES } from "./sandbox-values";

export const OPENAPI_INFO = {
  title: "Portico API",
  version: "1.0.0",
  contact: {
    name: "Portico partner support",
    url: "https://portico.example/support",
    email: "partners@portico.example",
  },
  description:
    "The bank's partner API. Every /v1 call uses the bank's envelope: requests `{ id, params }`, responses `{ id, result, error }`. Amounts are integers in the currency's minor unit.",
};

function securitySchemes(origin: string) {
  return {
    oauth2: {
      type: "oauth2" as const,
      description: "Bearer JWT from POST /oauth2/token.",
      flows: {
        clientCredentials: {
          tokenUrl: `${origin}/oauth2/token`,
          scopes: Object.fromEntries(ALL_SCOPES.map((s) => [s, s])),
        },
        password: {
          tokenUrl: `${origin}/oauth2/token`,
          scopes: Object.fromEntries(ALL_SCOPES.map((s) => [s, s])),
        },
      },
    },
    basic: { type: "http" as const, scheme: "basic", description: "consumer_key:consumer_secret" },
    publishableKey: {
      type: "http" as const,
      scheme: "bearer",
      description: "A publishable key (pk_test_… / pk_live_…): public, for POST /v1/tokens only.",
    },
    onboardingSession: {
      type: "http" as const,
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "Production only: the registrant's session token from POST /onboarding/session.",
    },
  };
}

/**
 * The OpenAPI 3.1 document, generated from the zod schemas that validate requests: the document partners get,
 * with code samples for each operation (`x-codeSamples`). Production's lists only what production serves: the sandbox's
 * own operations (`/v1/sandbox/…`, 404 there) and their tag are left out.
 */
export function buildOpenApi(
  app: OpenAPIHono<AppEnv>,
  origin: string,
  environment: "sandbox" | "production" = "sandbox",
) {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: OPENAPI_INFO,
    servers: [{ url: origin }],
    tags: [
      { name: "OAuth 2.0", description: "Tokens and keys." },
      { name: "Status", description: "Is the gateway up: each component checked for real." },
      { name: "Partner", description: "Your own profile and credentials." },
      { name: "Payments", description: "Card, A2A and QR payments; sandbox values in /docs#sandbox-values." },
      {
        name: "Risk",
        description:
          "Rules, lists and scoring before every authorization; the review queue of held payments.",
      },
      {
        name: "Payment methods",
        description:
          "Card tokens from the browser with a publishable key: the card never reaches your servers.",
      },
      { name: "Customers", description: "Customers and their saved cards, kept with their consent." },
      { name: "Ledger", description: "Your balance and journal entries in the double-entry ledger." },
      { name: "Payouts", description: "Payouts from your available balance to bank accounts." },
      {
        name: "Sandbox",
        description: "The sandbox's buttons for asynchronous outcomes; absent in production.",
      },
      {
        name: "Webhooks",
        description:
          "Signed deliveries (Standard Webhooks): at-least-once and unordered; dedupe on webhook-id, verify webhook-signature.",
      },
      { name: "Events", description: "The event log behind webhooks, with every delivery attempt." },
      {
        name: "Usage",
        description:
          "Your request log (bodies in the sandbox, redacted) and your usage per day and product against your plan's limits.",
      },
      {
        name: "Invoices",
        description:
          "The invoices a billing period's close issues, the credit notes that correct them, their PDFs, and the sandbox's test clock.",
      },
      {
        name: "Cards",
        description:
          "Order cards, attach existing ones by SMS code, block them. Only first 6 + last 4 digits ever.",
      },
      {
        name: "Lending",
        description: "Micro-credit: scoring, offers, acceptance and disbursement to your balance.",
      },
      { name: "FX", description: "Rates, 30-second quotes and conversions of your balance." },
      { name: "KYC", description: "Verify an account holder: match, partial or no match, never the data." },
      {
        name: "Onboarding",
        description:
          "Production only: register a company (its sandbox partner at once), verify its email, sign in, apply for production with the compliance checklist and documents, and make live credentials once approved.",
      },
      {
        name: "Terms",
        description: "Production only: the terms of service, and accepting one exact version.",
      },
      {
        name: "Accounts",
        description:
          "Open banking AIS: consents, then accounts, balances and transactions with a Consent-Id header.",
      },
    ],
  });
  doc.components = { ...doc.components, securitySchemes: securitySchemes(origin) };
  if (environment === "production") {
    doc.paths = Object.fromEntries(
      Object.entries(doc.paths ?? {}).filter(([path]) => !path.startsWith(SANDBOX_PATHS)),
    );
    doc.tags = doc.tags?.filter((tag) => tag.name !== "Sandbox");
  } else {
    // The control plane's operations are production's alone (404 in the sandbox).
    doc.paths = Object.fromEntries(
      Object.entries(doc.paths ?? {}).filter(([path]) => !isProductionOnlyPath(path)),
    );
    doc.tags = doc.tags?.filter((tag) => tag.name !== "Onboarding" && tag.name !== "Terms");
  }
  pruneUnreferencedSchemas(doc);
  addCodeSamples(doc, new Date());
  return { ...doc, "x-error-catalogue": catalogue(), "x-sandbox-values": SANDBOX_VALUES };
}

/**
 * Drops the component schemas no operation left in the document references (directly or through
 * other schemas): those of the other environment's own operations.
 */
function pruneUnreferencedSchemas(doc: {
  paths?: unknown;
  components?: { schemas?: Record<string, unknown> };
}) {
  const schemas = doc.components?.schemas;
  if (!schemas) return;
  const refs = (value: unknown) =>
    [...JSON.stringify(value ?? null).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? "");
  const used = new Set<string>();
  const queue = refs(doc.paths);
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (used.has(name)) continue;
    used.add(name);
    queue.push(...refs(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

const SANDBOX_PATHS = "/v1/sandbox/";

export function registerOpenApiRoute(app: OpenAPIHono<AppEnv>) {
  app.get("/openapi.json", (c) =>
    c.json(buildOpenApi(app, new URL(c.req.url).origin, c.get("services").config.ENVIRONMENT)),
  );
}
