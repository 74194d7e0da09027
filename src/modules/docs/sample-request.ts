import { type Schema, SchemaSampler } from "./sample-value";

/**
 * One operation of the OpenAPI document as the request its code samples send: the URL with its
 * path and query values, the credentials it needs, whether it takes an Idempotency-Key, and its
 * body. The three languages render this one description (code-samples.ts).
 */
export interface SampleRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The document's path template: `/v1/payments/{id}`. */
  path: string;
  baseUrl: string;
  pathParams: [string, unknown][];
  query: [string, unknown][];
  /** Header parameters the operation requires (`Consent-Id`), besides the credentials and the key. */
  headers: [string, string][];
  auth: SampleAuth;
  /** The operation requires an `Idempotency-Key`: a fresh one per request, kept for its retries. */
  idempotencyKey: boolean;
  body: SampleBody | undefined;
  /** What a success answers: the envelope `{ id, result, error }`, other JSON, text, or nothing. */
  answer: "envelope" | "json" | "text" | "none";
}

export type SampleAuth =
  | { kind: "none" }
  /** HTTP Basic with the consumer key and secret (the token endpoint). */
  | { kind: "basic" }
  /** A bearer token, from the environment variable `env`; `oauth2`: one from POST /oauth2/token. */
  | { kind: "bearer"; env: string; oauth2: boolean };

export type SampleBody =
  | { kind: "json"; value: unknown }
  | { kind: "form"; fields: [string, string][] }
  | { kind: "binary"; contentType: string; file: string };

/** The parts of the document the samples read, loosely typed: it is the document as served. */
export interface SampleDocument {
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  paths?: Record<string, object>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export interface Operation {
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}

interface SecurityScheme {
  type?: string;
  scheme?: string;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

const IDEMPOTENCY_KEY = "idempotency-key";
const FILE_EXTENSIONS: Record<string, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
};

export function sampleRequest(
  doc: SampleDocument,
  method: (typeof HTTP_METHODS)[number],
  path: string,
  now: Date,
): SampleRequest {
  const op = ((doc.paths?.[path] as Record<string, unknown> | undefined)?.[method] ?? {}) as Operation;
  const sampler = new SchemaSampler((doc.components?.schemas ?? {}) as Record<string, Schema>, now);
  const params = op.parameters ?? [];
  const sampleOf = (p: Parameter) => (p.example !== undefined ? p.example : sampler.value(p.schema));
  const shown = (p: Parameter) =>
    p.required ||
    p.example !== undefined ||
    sampler.exampleOf(p.schema) !== undefined ||
    p.schema?.default !== undefined;
  const query = params
    .filter((p) => p.in === "query" && shown(p))
    .map((p): [string, unknown] => [p.name, sampleOf(p)]);
  return {
    method: method.toUpperCase() as SampleRequest["method"],
    path,
    baseUrl: (doc.servers?.[0]?.url ?? "").replace(/\/+$/, ""),
    pathParams: params.filter((p) => p.in === "path").map((p) => [p.name, sampleOf(p)]),
    query,
    headers: params
      // Required headers, and optional ones the parameter itself gives an example for (Consent-Id).
      .filter(
        (p) =>
          p.in === "header" &&
          (p.required || p.example !== undefined) &&
          p.name.toLowerCase() !== IDEMPOTENCY_KEY,
      )
      .map((p) => [p.name, String(sampleOf(p))]),
    auth: authOf(doc, op),
    idempotencyKey: params.some(
      (p) => p.in === "header" && p.required && p.name.toLowerCase() === IDEMPOTENCY_KEY,
    ),
    body: bodyOf(op, sampler, query),
    answer: answerOf(op, sampler),
  };
}

function authOf(doc: SampleDocument, op: Operation): SampleAuth {
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  const requirement = (op.security ?? doc.security ?? [])[0] ?? {};
  for (const name of Object.keys(requirement)) {
    const scheme = schemes[name] ?? {};
    if (scheme.type === "oauth2") return { kind: "bearer", env: "TOKEN", oauth2: true };
    if (scheme.type === "http" && scheme.scheme === "basic") return { kind: "basic" };
    if (scheme.type === "http" && scheme.scheme === "bearer")
      return { kind: "bearer", env: envName(name), oauth2: false };
  }
  return { kind: "none" };
}

/** `onboardingSession` → `ONBOARDING_SESSION_TOKEN`; `publishableKey` → `PUBLISHABLE_KEY`. */
const envName = (scheme: string) =>
  `${scheme.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}${/(token|key)$/i.test(scheme) ? "" : "_TOKEN"}`;

/** The body a sample sends: none when the operation's is optional (the minimal request goes without). */
function bodyOf(op: Operation, sampler: SchemaSampler, query: [string, unknown][]): SampleBody | undefined {
  const body = op.requestBody;
  const content = body?.content ?? {};
  if (!body?.required) return undefined;
  const form = content["application/x-www-form-urlencoded"];
  if (form) {
    const fields = Object.entries((sampler.value(form.schema) ?? {}) as Record<string, unknown>);
    return { kind: "form", fields: fields.map(([k, v]) => [k, String(v)]) };
  }
  const json = content["application/json"];
  if (json) return { kind: "json", value: sampler.value(json.schema) };
  const contentType = Object.keys(content)[0];
  if (!contentType) return undefined;
  const filename = query.find(([name]) => name === "filename")?.[1];
  const file = typeof filename === "string" ? filename : `document.${FILE_EXTENSIONS[contentType] ?? "bin"}`;
  return { kind: "binary", contentType, file };
}

function answerOf(op: Operation, sampler: SchemaSampler): SampleRequest["answer"] {
  const success = Object.entries(op.responses ?? {}).find(([status]) => status.startsWith("2"))?.[1];
  const content = success?.content ?? {};
  const json = content["application/json"];
  if (json) return sampler.resolve(json.schema).properties?.result ? "envelope" : "json";
  return Object.keys(content).length ? "text" : "none";
}
