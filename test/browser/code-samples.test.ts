import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO } from "./support/partner";

// The code samples of /openapi.json (x-codeSamples) as a partner uses them: copied, given the
// credentials, and run against the gateway. curl for real, Python's too where python3 has
// `requests`, the TypeScript ones through tsx against sdk/typescript; and every TypeScript sample of
// both documents type-checked against the SDK's generated types.

const run = promisify(execFile);
const origin = inject("gatewayUrl");
const SDK = resolve("sdk/typescript/src/index.ts");
const TSX = resolve("node_modules/tsx/dist/cli.mjs");

interface Sample {
  lang: string;
  source: string;
}
interface Doc {
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId: string; "x-codeSamples"?: Sample[] }>>;
}
interface Envelope {
  id: string;
  result: Record<string, unknown> | null;
  error: unknown;
}

/** Whether python3 is here with `requests`: the Python samples run only then (nothing is installed). */
function pythonWithRequests(): boolean {
  try {
    execFileSync("python3", ["-c", "import requests"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const PYTHON = pythonWithRequests();

let doc: Doc;
let dir: string;
/** The samples' environment: the demo partner's credentials, then its token; uuidgen on PATH. */
const env: Record<string, string> = {};

beforeAll(async () => {
  doc = (await (await fetch(`${origin}/openapi.json`)).json()) as Doc;
  dir = mkdtempSync(join(tmpdir(), "portico-samples-"));
  // util-linux's uuidgen is not on every machine (Debian ships it apart): a stand-in where it is missing.
  const uuidgen = join(dir, "uuidgen");
  writeFileSync(uuidgen, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} -p "crypto.randomUUID()"\n`);
  chmodSync(uuidgen, 0o755);
  Object.assign(env, process.env, {
    PATH: `${process.env.PATH ?? ""}${delimiter}${dir}`,
    CONSUMER_KEY: DEMO.consumerKey,
    CONSUMER_SECRET: DEMO.consumerSecret,
  });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The sample of one operation in one language, with the document's server replaced by the gateway's address. */
function sample(method: string, path: string, lang: string): string {
  const found = doc.paths[path]?.[method]?.["x-codeSamples"]?.find((s) => s.lang === lang);
  if (!found) throw new Error(`no ${lang} sample for ${method} ${path}`);
  return found.source.replaceAll(doc.servers[0]?.url ?? origin, origin);
}

/** Runs a curl sample with bash; curl writes the status after the body. */
async function curl(method: string, path: string): Promise<{ status: number; body: unknown }> {
  const { stdout } = await run("bash", ["-c", `${sample(method, path, "curl")} -w '\\n%{http_code}'`], {
    env,
    timeout: 20_000,
  });
  const cut = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) };
}

/** Runs a Python sample: it prints the status, then the body as JSON. */
async function python(method: string, path: string): Promise<{ status: number; body: unknown }> {
  const { stdout } = await run("python3", ["-c", sample(method, path, "Python")], { env, timeout: 20_000 });
  const cut = stdout.indexOf("\n");
  return { status: Number(stdout.slice(0, cut)), body: JSON.parse(stdout.slice(cut + 1)) };
}

/** Runs a TypeScript sample with tsx, `@portico/sdk` being the repository's SDK; its console output. */
async function typescript(method: string, path: string): Promise<string> {
  const file = join(dir, `${doc.paths[path]?.[method]?.operationId}.mts`);
  writeFileSync(file, sample(method, path, "TypeScript").replace('"@portico/sdk"', JSON.stringify(SDK)));
  const { stdout } = await run(process.execPath, [TSX, file], { env, timeout: 60_000 });
  return stdout;
}

function expectEnvelope(answer: { status: number; body: unknown }): Record<string, unknown> {
  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(answer.status).toBeLessThan(300);
  const body = answer.body as Envelope;
  expect(body).toEqual({ id: expect.any(String), result: expect.any(Object), error: null });
  return body.result ?? {};
}

/** The payment the samples create, as the curl, Python and TypeScript samples all send it. */
const PAYMENT = { status: "captured", amount: 150000, currency: "UZS" };

describe("the code samples of /openapi.json, run", () => {
  it("curl: a token with the consumer key and secret, GET /v1/partner with it, two payments with two keys", async () => {
    const token = await curl("post", "/oauth2/token");
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", access_token: expect.stringMatching(/^ey/) });
    env.TOKEN = (token.body as { access_token: string }).access_token;

    const partner = expectEnvelope(await curl("get", "/v1/partner"));
    expect(partner).toMatchObject({ object: "partner", livemode: false });

    const first = expectEnvelope(await curl("post", "/v1/payments"));
    const second = expectEnvelope(await curl("post", "/v1/payments"));
    expect(first).toMatchObject(PAYMENT);
    expect(second).toMatchObject(PAYMENT);
    // Each run makes its own Idempotency-Key ($(uuidgen)): two payments, not one replayed.
    expect(second.id).not.toBe(first.id);
  });

  it.skipIf(!PYTHON)("Python (requests): the same three calls", async () => {
    const token = await python("post", "/oauth2/token");
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", access_token: expect.stringMatching(/^ey/) });
    env.TOKEN = (token.body as { access_token: string }).access_token;
    expect(expectEnvelope(await python("get", "/v1/partner"))).toMatchObject({ object: "partner" });
    expect(expectEnvelope(await python("post", "/v1/payments"))).toMatchObject(PAYMENT);
  });
  if (!PYTHON)
    console.info(
      "code samples: python3 with requests is not on this machine; the Python samples are not run",
    );

  it("TypeScript (the SDK, through tsx): the same three calls", { timeout: 120_000 }, async () => {
    expect(await typescript("post", "/oauth2/token")).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await typescript("get", "/v1/partner")).toContain("object: 'partner'");
    const payment = await typescript("post", "/v1/payments");
    expect(payment).toContain("status: 'captured'");
    expect(payment).toContain("amount: 150000");
  });

  it("every TypeScript sample of the sandbox's and production's documents type-checks against the SDK", {
    timeout: 180_000,
  }, async () => {
    // Production's document comes from the same code (npm run openapi:export -- --production).
    const { stdout } = await run(process.execPath, [TSX, "scripts/openapi-export.ts", "--production"], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const files: string[] = [];
    for (const [name, document] of [
      ["sandbox", doc],
      ["production", JSON.parse(stdout) as Doc],
    ] as const) {
      for (const item of Object.values(document.paths)) {
        for (const op of Object.values(item)) {
          const source = op["x-codeSamples"]?.find((s) => s.lang === "TypeScript")?.source;
          if (!source) throw new Error(`${op.operationId}: no TypeScript sample`);
          const file = join(dir, `${name}-${op.operationId}.ts`);
          // Each sample is a module of its own (top-level await), as in a partner's ESM project.
          writeFileSync(file, `${source}\nexport {};\n`);
          files.push(file);
        }
      }
    }
    expect(files.length).toBeGreaterThan(120);
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts"],
      types: ["node"],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      paths: { "@portico/sdk": [SDK] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(problems).toEqual([]);
  });
});
