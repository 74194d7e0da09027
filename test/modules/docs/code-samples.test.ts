import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { buildOpenApi } from "../../../src/modules/docs/openapi";
import { SAMPLE_UUID } from "../../../src/modules/docs/sample-value";
import { type CurlCall, commandWords, curlRequest } from "../../support/curl";
import { call } from "../../support/http";

// The code samples of the OpenAPI document (x-codeSamples), read the way a partner's tools read them:
// each curl sample parsed as the request it sends, each body checked against the operation's schema
// and against the TypeScript and Python samples' own. test/browser/code-samples.test.ts runs some.

interface Sample {
  lang: string;
  label: string;
  source: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Op {
  operationId: string;
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  "x-codeSamples"?: Sample[];
}
interface Doc {
  servers: { url: string }[];
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, unknown> };
}

const METHODS = ["get", "post", "put", "patch", "delete"];
const VARS = {
  TOKEN: "tok",
  CONSUMER_KEY: "ck",
  CONSUMER_SECRET: "cs",
  ONBOARDING_SESSION_TOKEN: "session",
  PUBLISHABLE_KEY: "pk",
};

const sandbox = async () => (await call("GET", "/openapi.json")).body as Doc;
const production = () => buildOpenApi(createApp(), "https://portico.example", "production") as unknown as Doc;

function operations(doc: Doc) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] as Op })),
  );
}

function samples(op: Op): { curl: string; ts: string; py: string } {
  const byLang = new Map((op["x-codeSamples"] ?? []).map((s) => [s.lang, s.source]));
  return {
    curl: byLang.get("curl") ?? "",
    ts: byLang.get("TypeScript") ?? "",
    py: byLang.get("Python") ?? "",
  };
}

function sampleOf(doc: Doc, method: string, path: string) {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path} in the document`);
  return samples(op);
}

/** The curl sample as the request it sends; each `$(uuidgen)` a fresh UUID. */
function curlOf(source: string): CurlCall {
  const [command, ...args] = commandWords(source, VARS, { uuidgen: () => crypto.randomUUID() });
  expect(command).toBe("curl");
  return curlRequest(args);
}

/** The first object or array literal after `marker` in `source` (its strings are JSON's). */
function literalAfter(source: string, marker: string): string | undefined {
  const start = source.indexOf(marker);
  if (start < 0) return undefined;
  const from = source.slice(start + marker.length).search(/[{[]/) + start + marker.length;
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === "\\") i++;
    } else if (ch === "{" || ch === "[") depth++;
    else if ((ch === "}" || ch === "]") && --depth === 0) return source.slice(from, i + 1);
  }
  throw new Error(`unbalanced literal after ${marker}`);
}

/** A TypeScript object literal or a Python dict as JSON: keys quoted, Python's words, no trailing commas. */
function asJson(literal: string, words: Record<string, string>): unknown {
  return JSON.parse(
    literal.replace(
      /"(?:[^"\\]|\\.)*"|([A-Za-z_$][\w$]*)(\s*:)?|,(\s*[}\]])/g,
      (match, word: string | undefined, colon: string | undefined, close: string | undefined) => {
        if (close !== undefined) return close;
        if (word === undefined) return match;
        if (colon !== undefined) return JSON.stringify(word) + colon;
        return words[word] ?? match;
      },
    ),
  );
}
const PYTHON_WORDS = { True: "true", False: "false", None: "null" };

function bodyValidator(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi.json", components: doc.components });
  return (schema: unknown, value: unknown) => {
    const rooted = JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/');
    const validate = ajv.compile(JSON.parse(rooted));
    return validate(value) ? [] : validate.errors;
  };
}

/** The document's path template as a pattern of the sample's URL path. */
const pathPattern = (template: string) =>
  new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`);

describe("x-codeSamples", () => {
  it("every operation of the sandbox's and production's documents has curl, TypeScript and Python", async () => {
    for (const doc of [await sandbox(), production()]) {
      const ops = operations(doc);
      expect(ops.length).toBeGreaterThan(50);
      for (const { method, path, op } of ops) {
        const list = op["x-codeSamples"] ?? [];
        expect(
          list.map((s) => [s.lang, s.label]),
          `${method} ${path}`,
        ).toEqual([
          ["curl", "curl"],
          ["TypeScript", "TypeScript"],
          ["Python", "Python"],
        ]);
        for (const s of list)
          expect(s.source.trim().length, `${method} ${path} ${s.lang}`).toBeGreaterThan(20);
      }
    }
  });

  it("the token endpoint: HTTP Basic with the consumer key and secret, a form body, the SDK's token()", async () => {
    const doc = await sandbox();
    const { curl, ts, py } = sampleOf(doc, "post", "/oauth2/token");
    const request = curlOf(curl);
    expect(request.url).toBe(`${doc.servers[0]?.url}/oauth2/token`);
    expect(request.init.method).toBe("POST");
    expect(request.init.headers.Authorization).toBe(`Basic ${btoa("ck:cs")}`);
    expect(request.init.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(request.init.body).toBe("grant_type=client_credentials");
    expect(curl).not.toContain("Idempotency-Key");

    expect(ts).toContain('import { Portico } from "@portico/sdk";');
    expect(ts).toContain("consumerKey: process.env.CONSUMER_KEY");
    expect(ts).toContain("consumerSecret: process.env.CONSUMER_SECRET");
    expect(ts).toContain("const token = await portico.token();");

    expect(py).toContain('auth=(os.environ["CONSUMER_KEY"], os.environ["CONSUMER_SECRET"])');
    expect(py).toContain('data={"grant_type": "client_credentials"}');
    expect(py).not.toContain("Authorization");
  });

  it("a GET with query parameters: the required ones and those the document gives an example or default", async () => {
    const doc = await sandbox();
    const rates = sampleOf(doc, "get", "/v1/fx/rates");
    const request = curlOf(rates.curl);
    expect(request.url).toBe(`${doc.servers[0]?.url}/v1/fx/rates?sell_currency=UZS&buy_currency=USD`);
    expect(request.init).toEqual({
      method: "GET",
      headers: expect.objectContaining({ Authorization: "Bearer tok" }),
    });
    expect(request.init.headers).not.toHaveProperty("Idempotency-Key");
    expect(rates.ts).toContain(
      'await portico.request("GET", "/v1/fx/rates", {\n  params: { query: { sell_currency: "UZS", buy_currency: "USD" } },\n});',
    );
    expect(rates.py).toContain('requests.get(\n    "http://portico.test/v1/fx/rates",\n');
    expect(rates.py).toContain('params={"sell_currency": "UZS", "buy_currency": "USD"}');
    expect(rates.py).toContain('headers={"Authorization": f"Bearer {os.environ[\'TOKEN\']}"}');

    const payments = sampleOf(doc, "get", "/v1/payments");
    expect(curlOf(payments.curl).url).toMatch(/\/v1\/payments\?limit=10$/);
    expect(payments.ts).toContain("params: { query: { limit: 10 } }");
    expect(payments.py).toContain('params={"limit": 10}');
  });

  it("a POST with a fresh Idempotency-Key per run and the envelope { params } built from the examples", async () => {
    const doc = await sandbox();
    const { curl, ts, py } = sampleOf(doc, "post", "/v1/payments");
    const first = curlOf(curl);
    const second = curlOf(curl);
    expect(first.init.method).toBe("POST");
    expect(first.init.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.init.headers["Idempotency-Key"]).not.toBe(first.init.headers["Idempotency-Key"]);
    expect(curl).toContain('-H "Idempotency-Key: $(uuidgen)"');
    expect(first.init.headers["Content-Type"]).toBe("application/json");
    const body = { params: { amount: 150000, currency: "UZS", payment_method_token: "pm_card_visa" } };
    expect(JSON.parse(first.init.body ?? "")).toEqual(body);

    expect(ts).toContain('await portico.request("POST", "/v1/payments", {');
    expect(ts).toContain("idempotencyKey: crypto.randomUUID(),");
    expect(asJson(literalAfter(ts, "body: ") ?? "", {})).toEqual(body);

    expect(py).toContain("import uuid");
    expect(py).toContain('"Idempotency-Key": str(uuid.uuid4()),');
    expect(asJson(literalAfter(py, "json=") ?? "", PYTHON_WORDS)).toEqual(body);
  });

  it("a path parameter, and an optional body left out", async () => {
    const doc = await sandbox();
    const { curl, ts, py } = sampleOf(doc, "post", "/v1/payments/{id}/refunds");
    const request = curlOf(curl);
    expect(request.url).toBe(`${doc.servers[0]?.url}/v1/payments/${SAMPLE_UUID}/refunds`);
    expect(request.init.body).toBeUndefined();
    expect(request.init.headers).not.toHaveProperty("Content-Type");
    expect(ts).toContain(`params: { path: { id: "${SAMPLE_UUID}" } },`);
    expect(ts).not.toContain("body:");
    expect(py).toContain(`"http://portico.test/v1/payments/${SAMPLE_UUID}/refunds",`);
    expect(py).not.toContain("json=");
  });

  it("an Idempotency-Key only where the document requires one (not on PATCH), a required header besides", async () => {
    const doc = await sandbox();
    const patch = sampleOf(doc, "patch", "/v1/webhook_endpoints/{id}");
    expect(curlOf(patch.curl).init.headers).not.toHaveProperty("Idempotency-Key");
    expect(patch.ts).not.toContain("idempotencyKey");
    expect(patch.py).not.toContain("Idempotency-Key");

    const accounts = sampleOf(doc, "get", "/v1/accounts");
    expect(curlOf(accounts.curl).init.headers["Consent-Id"]).toBe(SAMPLE_UUID);
    expect(accounts.ts).toContain(`params: { header: { "Consent-Id": "${SAMPLE_UUID}" } }`);
    expect(accounts.py).toContain(`"Consent-Id": "${SAMPLE_UUID}",`);
  });

  it("the status page and production's onboarding: no SDK, plain fetch with the session token", () => {
    const doc = production();
    const status = sampleOf(doc, "get", "/status");
    expect(status.ts).toBe(
      'const response = await fetch("https://portico.example/status");\nconsole.log(response.status, await response.json());',
    );
    expect(curlOf(status.curl).init.headers).not.toHaveProperty("Authorization");

    const upload = sampleOf(doc, "post", "/onboarding/applications/{id}/documents");
    const request = curlOf(upload.curl);
    expect(request.file).toBe("pci-dss-aoc-2026.pdf");
    expect(request.init.headers).toMatchObject({
      Authorization: "Bearer session",
      "Content-Type": "application/pdf",
    });
    expect(new URL(request.url).searchParams.get("kind")).toBe("pci_dss_attestation");
    expect(upload.ts).toContain('body: await openAsBlob("pci-dss-aoc-2026.pdf"),');
    expect(upload.py).toContain('data=Path("pci-dss-aoc-2026.pdf").read_bytes(),');

    // Production-only /v1 operations are not in the SDK's types (generated from the sandbox's document).
    expect(sampleOf(doc, "post", "/v1/terms/accept").ts).toContain("await fetch(");
  });

  it("each curl sample is one curl command for its operation; each body validates against its schema and is the same in all three", async () => {
    for (const doc of [await sandbox(), production()]) {
      const validate = bodyValidator(doc);
      for (const { method, path, op } of operations(doc)) {
        const what = `${method} ${path}`;
        const { curl, ts, py } = samples(op);
        const request = curlOf(curl);
        const url = new URL(request.url);
        expect(url.origin, what).toBe(doc.servers[0]?.url);
        expect(url.pathname, what).toMatch(pathPattern(path));
        expect(request.init.method, what).toBe(method.toUpperCase());

        const required = (name: string) =>
          (op.parameters ?? []).some((p) => p.in === "header" && p.required && p.name === name);
        expect("Idempotency-Key" in request.init.headers, what).toBe(required("Idempotency-Key"));
        const schemes = Object.keys(op.security?.[0] ?? {});
        const authorization = request.init.headers.Authorization ?? "";
        if (schemes.includes("oauth2")) expect(authorization, what).toBe("Bearer tok");
        else if (schemes.includes("basic")) expect(authorization, what).toMatch(/^Basic /);
        else if (schemes.includes("onboardingSession")) expect(authorization, what).toBe("Bearer session");
        else if (schemes.includes("publishableKey")) expect(authorization, what).toBe("Bearer pk");
        else expect(authorization, what).toBe("");

        const content = op.requestBody?.content ?? {};
        if (!op.requestBody?.required) {
          expect(request.init.body ?? request.file, what).toBeUndefined();
          continue;
        }
        const type = request.init.headers["Content-Type"] ?? "";
        expect(Object.keys(content), what).toContain(type);
        if (type === "application/json") {
          const body = JSON.parse(request.init.body ?? "");
          expect(validate(content[type]?.schema, body), what).toEqual([]);
          expect(asJson(literalAfter(ts, "body: ") ?? "", {}), `${what} TypeScript`).toEqual(body);
          expect(asJson(literalAfter(py, "json=") ?? "", PYTHON_WORDS), `${what} Python`).toEqual(body);
        } else if (type === "application/x-www-form-urlencoded") {
          const fields = Object.fromEntries(new URLSearchParams(request.init.body));
          expect(validate(content[type]?.schema, fields), what).toEqual([]);
          expect(asJson(literalAfter(py, "data=") ?? "", PYTHON_WORDS), `${what} Python`).toEqual(fields);
        } else {
          expect(request.file, what).toBeTruthy();
        }
      }
    }
  });

  it("the validator does refuse a body the schema does not accept", async () => {
    const doc = await sandbox();
    const schema = doc.paths["/v1/payments"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(bodyValidator(doc)(schema, { params: { amount: 150000, currency: "UZS" } })).not.toEqual([]);
    expect(
      bodyValidator(doc)(schema, { amount: 150000, currency: "UZS", payment_method_token: "x" }),
    ).not.toEqual([]);
  });
});
