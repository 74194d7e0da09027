// Platform team: `npm run partner -- <command> [options]`, a thin client of the admin API
// (docs/admin.md): every command is one admin call, so there is one way to change a partner, with
// its roles, its maker-checker and its audit log. Commands and options: scripts/lib/partner-commands.ts.
//   Token: ADMIN_TOKEN (a Cloudflare Access assertion), or locally --email you@bank (npm run admin-token).
//   Base URL: --base (default the local sandbox Worker, http://127.0.0.1:8787; production's is :8789).
import { execFileSync } from "node:child_process";
import { parseCommandLine, partnerCommand, USAGE, UsageError } from "./lib/partner-commands";

const DEFAULT_BASE = "http://127.0.0.1:8787";

const fail = (msg: string, code = 2): never => {
  console.error(msg);
  process.exit(code);
};

const argv = process.argv.slice(2);
let request: ReturnType<typeof partnerCommand>;
let options: Record<string, string>;
try {
  request = partnerCommand(argv);
  options = parseCommandLine(argv).options;
} catch (err) {
  if (err instanceof UsageError) fail(err.message);
  throw err;
}

/** The Access assertion: ADMIN_TOKEN, or the local issuer's for --email (its role granted with npm run admin-token -- --role). */
function token(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const email = options.email ?? process.env.ADMIN_EMAIL;
  if (!email) return fail(`ADMIN_TOKEN or --email is required\n${USAGE}`);
  return execFileSync("npm", ["run", "-s", "admin-token", "--", "--email", email], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

const base = (options.base ?? process.env.PORTICO_ADMIN_BASE ?? DEFAULT_BASE).replace(/\/+$/, "");
const headers: Record<string, string> = { "Cf-Access-Jwt-Assertion": token(), Accept: "application/json" };
if (request.body) headers["Content-Type"] = "application/json";
const res = await fetch(`${base}${request.path}`, {
  method: request.method,
  headers,
  ...(request.body ? { body: JSON.stringify(request.body) } : {}),
}).catch((err: unknown) => fail(`${base}: ${err instanceof Error ? err.message : String(err)}`, 1));
const text = await res.text();
let answer: { result?: unknown; error?: { code: number; reason?: string; message: string } | null };
try {
  answer = JSON.parse(text);
} catch {
  answer = fail(`${request.method} ${request.path}: HTTP ${res.status}, not JSON`, 1);
}
if (answer.error)
  fail(
    `${request.method} ${request.path}: HTTP ${res.status}, code ${answer.error.code}: ${answer.error.message}`,
    1,
  );

const result = answer.result as Record<string, unknown> | undefined;
if (options.json) console.log(JSON.stringify(result, null, 2));
else if (res.status === 202 && result?.object === "change_request") {
  console.log(
    `Proposed: change request ${String(result.id)} waits for a second approver until ${String(result.expires_at)}`,
  );
  console.log(`  A different approver approves it: POST /admin/v1/approvals/${String(result.id)}/approve`);
} else if (result && typeof result.consumer_secret === "string") {
  console.log("New consumer key. Hand it to the partner over a secure channel; the secret is shown once:");
  console.log(`  consumer_key: ${String(result.consumer_key)}\n  consumer_secret: ${result.consumer_secret}`);
} else console.log(JSON.stringify(result, null, 2));
