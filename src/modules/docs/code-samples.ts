import { isProductionOnlyPath } from "../onboarding/model";
import { Expr, literal, PYTHON, TYPESCRIPT } from "./code-literals";
import { HTTP_METHODS, type SampleDocument, type SampleRequest, sampleRequest } from "./sample-request";

/**
 * Code samples for every operation of the OpenAPI document, generated from the document itself:
 * curl, TypeScript (the repository's SDK, sdk/typescript) and Python (`requests`). Published on each
 * operation as `x-codeSamples` (the extension Redoc and most renderers read) and shown on /docs.
 * Secrets come from the environment: `$CONSUMER_KEY` / `$CONSUMER_SECRET`, and `$TOKEN` for a
 * bearer token from POST /oauth2/token.
 */
export interface CodeSample {
  lang: "curl" | "TypeScript" | "Python";
  label: string;
  source: string;
}

export const CODE_SAMPLES_EXTENSION = "x-codeSamples";
const TOKEN_PATH = "/oauth2/token";
/**
 * The SDK's typed request() covers the enveloped /v1 operations of these methods (sdk/typescript/src/types.ts)
 * that the sandbox's document has: its types are generated from that one.
 */
const SDK_METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);
const sdkCovers = (r: SampleRequest) =>
  r.path.startsWith("/v1/") &&
  !isProductionOnlyPath(r.path) &&
  SDK_METHODS.has(r.method) &&
  r.answer === "envelope" &&
  r.auth.kind === "bearer" &&
  r.auth.oauth2;

/** Adds `x-codeSamples` to every operation of `doc`, in place. `now` dates the samples' date-times. */
export function addCodeSamples<D extends SampleDocument>(doc: D, now: Date): D {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method] as Record<string, unknown> | undefined;
      if (op) op[CODE_SAMPLES_EXTENSION] = codeSamples(sampleRequest(doc, method, path, now));
    }
  }
  return doc;
}

export function codeSamples(r: SampleRequest): CodeSample[] {
  return [
    { lang: "curl", label: "curl", source: curl(r) },
    { lang: "TypeScript", label: "TypeScript", source: typescript(r) },
    { lang: "Python", label: "Python", source: python(r) },
  ];
}

/** The path with its parameters' values, each encoded as one segment. */
function pathOf(r: SampleRequest): string {
  return r.pathParams.reduce(
    (path, [name, value]) => path.split(`{${name}}`).join(encodeURIComponent(String(value))),
    r.path,
  );
}

function urlOf(r: SampleRequest): string {
  const query = new URLSearchParams(r.query.map(([k, v]) => [k, String(v)])).toString();
  return `${r.baseUrl}${pathOf(r)}${query ? `?${query}` : ""}`;
}

// ------------------------------------------------------------------------------------ curl
const doubleQuoted = (text: string) => `"${text.replace(/[\\"$`]/g, "\\$&")}"`;
const singleQuoted = (text: string) => `'${text.replace(/'/g, `'"'"'`)}'`;

function curl(r: SampleRequest): string {
  const args = [`curl -sS${r.method === "GET" ? "" : ` -X ${r.method}`} ${doubleQuoted(urlOf(r))}`];
  if (r.auth.kind === "basic") args.push('-u "$CONSUMER_KEY:$CONSUMER_SECRET"');
  if (r.auth.kind === "bearer") args.push(`-H "Authorization: Bearer $${r.auth.env}"`);
  for (const [name, value] of r.headers) args.push(`-H ${doubleQuoted(`${name}: ${value}`)}`);
  if (r.idempotencyKey) args.push('-H "Idempotency-Key: $(uuidgen)"');
  const body = r.body;
  if (body?.kind === "json") {
    args.push(
      '-H "Content-Type: application/json"',
      `-d ${singleQuoted(JSON.stringify(body.value, null, 2))}`,
    );
  } else if (body?.kind === "form") {
    for (const [k, v] of body.fields)
      args.push(`-d ${doubleQuoted(new URLSearchParams({ [k]: v }).toString())}`);
  } else if (body?.kind === "binary") {
    args.push(
      `-H ${doubleQuoted(`Content-Type: ${body.contentType}`)}`,
      `--data-binary ${doubleQuoted(`@${body.file}`)}`,
    );
  }
  return args.join(" \\\n  ");
}

// ------------------------------------------------------------------------------ TypeScript
const env = (name: string) => `process.env.${name}`;

function typescript(r: SampleRequest): string {
  if (r.path === TOKEN_PATH && r.auth.kind === "basic") {
    return [
      ...sdkClient(r),
      `// POST ${TOKEN_PATH} with HTTP Basic (client_credentials); cached and renewed before it expires.`,
      "const token = await portico.token();",
      "console.log(token);",
    ].join("\n");
  }
  return (sdkCovers(r) ? sdkCall(r) : fetchCall(r)).join("\n");
}

function sdkClient(r: SampleRequest): string[] {
  return [
    'import { Portico } from "@portico/sdk";',
    "",
    "const portico = new Portico({",
    `  baseUrl: ${JSON.stringify(r.baseUrl)},`,
    `  consumerKey: ${env("CONSUMER_KEY")} ?? "",`,
    `  consumerSecret: ${env("CONSUMER_SECRET")} ?? "",`,
    "});",
    "",
  ];
}

/** `start` + the argument literal + `);`, the literal laid out for where it starts. */
function callWith(start: string, argument: Record<string, unknown>): string {
  if (Object.keys(argument).length === 0) return `${start});`;
  return `${start}, ${literal(argument, TYPESCRIPT, 0, start.length + 2)});`;
}

/** The SDK's typed `request()`: it gets the token, and sends the Idempotency-Key again on each retry. */
function sdkCall(r: SampleRequest): string[] {
  const params: Record<string, unknown> = {};
  if (r.pathParams.length) params.path = Object.fromEntries(r.pathParams);
  if (r.query.length) params.query = Object.fromEntries(r.query);
  if (r.headers.length) params.header = Object.fromEntries(r.headers);
  const options: Record<string, unknown> = {};
  if (Object.keys(params).length) options.params = params;
  if (r.body?.kind === "json") options.body = r.body.value;
  if (r.idempotencyKey) options.idempotencyKey = new Expr("crypto.randomUUID()");
  const start = `const result = await portico.request(${JSON.stringify(r.method)}, ${JSON.stringify(r.path)}`;
  return [...sdkClient(r), callWith(start, options), "console.log(result);"];
}

/** Plain fetch, for what the SDK does not call (the status page, onboarding, terms, the CSV). */
function fetchCall(r: SampleRequest): string[] {
  const body = r.body;
  const headers: Record<string, unknown> = {};
  if (r.auth.kind === "bearer") headers.Authorization = new Expr(`\`Bearer \${${env(r.auth.env)}}\``);
  if (r.auth.kind === "basic") {
    const pair = `\`\${${env("CONSUMER_KEY")}}:\${${env("CONSUMER_SECRET")}}\``;
    headers.Authorization = new Expr(`\`Basic \${btoa(${pair})}\``);
  }
  for (const [name, value] of r.headers) headers[name] = value;
  if (r.idempotencyKey) headers["Idempotency-Key"] = new Expr("crypto.randomUUID()");
  if (body?.kind === "json") headers["Content-Type"] = "application/json";
  if (body?.kind === "binary") headers["Content-Type"] = body.contentType;
  const init: Record<string, unknown> = {};
  if (r.method !== "GET") init.method = r.method;
  if (Object.keys(headers).length) init.headers = headers;
  if (body?.kind === "json") init.body = new Expr(`JSON.stringify(${literal(body.value, TYPESCRIPT, 1)})`);
  if (body?.kind === "form") {
    init.body = new Expr(`new URLSearchParams(${literal(Object.fromEntries(body.fields), TYPESCRIPT, 1)})`);
  }
  if (body?.kind === "binary") init.body = new Expr(`await openAsBlob(${JSON.stringify(body.file)})`);
  const read =
    r.answer === "text" ? ", await response.text()" : r.answer === "none" ? "" : ", await response.json()";
  return [
    ...(body?.kind === "binary" ? ['import { openAsBlob } from "node:fs";', ""] : []),
    callWith(`const response = await fetch(${JSON.stringify(urlOf(r))}`, init),
    `console.log(response.status${read});`,
  ];
}

// ---------------------------------------------------------------------------------- Python
const pyEnv = (name: string) => `os.environ[${JSON.stringify(name)}]`;

function python(r: SampleRequest): string {
  const body = r.body;
  const headers: Record<string, unknown> = {};
  if (r.auth.kind === "bearer") headers.Authorization = new Expr(`f"Bearer {os.environ['${r.auth.env}']}"`);
  for (const [name, value] of r.headers) headers[name] = value;
  if (r.idempotencyKey) headers["Idempotency-Key"] = new Expr("str(uuid.uuid4())");
  if (body?.kind === "binary") headers["Content-Type"] = body.contentType;
  const kwargs: string[] = [];
  const kwarg = (name: string, value: unknown) =>
    kwargs.push(`    ${name}=${literal(value, PYTHON, 1, 5 + name.length)},`);
  if (r.query.length) kwarg("params", Object.fromEntries(r.query));
  if (Object.keys(headers).length) kwarg("headers", headers);
  if (r.auth.kind === "basic")
    kwarg("auth", new Expr(`(${pyEnv("CONSUMER_KEY")}, ${pyEnv("CONSUMER_SECRET")})`));
  if (body?.kind === "json") kwarg("json", body.value);
  if (body?.kind === "form") kwarg("data", Object.fromEntries(body.fields));
  if (body?.kind === "binary") kwarg("data", new Expr(`Path(${JSON.stringify(body.file)}).read_bytes()`));

  const url = JSON.stringify(`${r.baseUrl}${pathOf(r)}`);
  const call = `response = requests.${r.method.toLowerCase()}(`;
  const json = r.answer === "envelope" || r.answer === "json";
  const imports = [
    json ? "import json" : "",
    r.auth.kind === "none" ? "" : "import os",
    r.idempotencyKey ? "import uuid" : "",
    body?.kind === "binary" ? "from pathlib import Path" : "",
  ].filter(Boolean);
  return [
    ...(imports.length ? [...imports, ""] : []),
    "import requests",
    "",
    ...(kwargs.length ? [call, `    ${url},`, ...kwargs, ")"] : [`${call}${url})`]),
    "print(response.status_code)",
    ...(r.answer === "none"
      ? []
      : [`print(${json ? "json.dumps(response.json(), indent=2)" : "response.text"})`]),
  ].join("\n");
}
