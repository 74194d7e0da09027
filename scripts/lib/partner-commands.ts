// `npm run partner` as requests to the admin API (docs/admin.md): one command, one admin route.
// Pure (no Node API), so the tests send each command's request to the routes themselves.

/** The admin call a command makes: the route's method and path, and its envelope body. */
export interface AdminRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: { params: Record<string, unknown> };
}

export const USAGE = `usage: npm run partner -- <command> [options]   (the admin API; see docs/admin.md)
  list [--query TEXT] [--status active|suspended|offboarded] [--env sandbox|production] [--limit N] [--starting-after ID]
  get <partner-id>
  contract <partner-id> --reason TEXT [--products a,b] [--scopes a,b] [--tier sandbox|standard|enterprise]
           [--rps N|none] [--quota N|none] [--fee-bps N] [--fee-fixed N] [--data-access a,b] [--api-version V]
           [--cors-origins LIST] [--ip-allowlist LIST] [--webhook-domains LIST]      ("" for an empty list)
  origins <partner-id> --cors-origins LIST --reason TEXT                  (a contract change of the origins alone)
  allowlist <partner-id> [--ip-allowlist LIST] [--webhook-domains LIST] --reason TEXT
  suspend <partner-id> --reason TEXT | reactivate <partner-id> --reason TEXT | offboard <partner-id> --reason TEXT
  credentials issue <partner-id> --reason TEXT [--description TEXT] | credentials revoke <partner-id> <credential-id>
Token: ADMIN_TOKEN, or --email you@bank (npm run admin-token, local only). Base URL: --base (default http://127.0.0.1:8787).`;

/** The options every command may take, and those only the CLI itself reads. */
const OPTIONS = new Set([
  "reason",
  "query",
  "status",
  "env",
  "limit",
  "starting-after",
  "products",
  "scopes",
  "tier",
  "rps",
  "quota",
  "fee-bps",
  "fee-fixed",
  "data-access",
  "api-version",
  "cors-origins",
  "ip-allowlist",
  "webhook-domains",
  "description",
  "base",
  "email",
  "json",
]);

const NO_CREATE =
  "partners are no longer created by this script: a company registers (POST /onboarding/register, which makes its sandbox partner) and its production application is approved; locally, npm run dev seeds the demo partner";

export class UsageError extends Error {
  override name = "UsageError";
}

/** `--name value` pairs and positionals; an unknown option or one without a value is a usage error. */
export function parseCommandLine(argv: readonly string[]) {
  const options: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s);
    if (!OPTIONS.has(name)) throw new UsageError(`unknown option --${name}`);
    if (name === "json") {
      options.json = "true";
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return { options, positionals };
}

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const int = (name: string, v: string) => {
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: not an integer: ${v}`);
  return Number(v);
};
const intOrNone = (name: string, v: string) => (v === "none" ? null : int(name, v));

/** The contract members the options name, in the API's names. */
function contractMembers(o: Record<string, string>) {
  const m: Record<string, unknown> = {};
  const set = (name: string, member: string, convert: (v: string) => unknown) => {
    const v = o[name];
    if (v !== undefined) m[member] = convert(v);
  };
  set("products", "products", list);
  set("scopes", "scopes", list);
  set("tier", "tier", (v) => v);
  set("rps", "rate_limit_per_second", (v) => intOrNone("rps", v));
  set("quota", "daily_quota", (v) => intOrNone("quota", v));
  set("fee-bps", "fee_bps", (v) => int("fee-bps", v));
  set("fee-fixed", "fee_fixed_minor", (v) => int("fee-fixed", v));
  set("data-access", "data_access", list);
  set("api-version", "api_version", (v) => v);
  set("cors-origins", "cors_origins", list);
  set("ip-allowlist", "ip_allowlist", list);
  set("webhook-domains", "webhook_domains", list);
  return m;
}

const ID = /^[0-9a-f-]{36}$/i;
function idOf(v: string | undefined, what = "partner id"): string {
  if (!v || !ID.test(v)) throw new UsageError(`${what}: a UUID expected`);
  return v;
}
function reasonOf(o: Record<string, string>): string {
  const r = o.reason;
  if (!r) throw new UsageError("--reason is required: it goes into the audit log");
  return r;
}

/** The admin request of a command line; a usage error names what is wrong. */
export function partnerCommand(argv: readonly string[]): AdminRequest {
  // Before its old options are parsed: whoever runs `create` learns where partners come from now.
  if (argv.find((a) => !a.startsWith("--")) === "create") throw new UsageError(NO_CREATE);
  const { options: o, positionals } = parseCommandLine(argv);
  const [command, first, second, third] = positionals;
  const partner = (id: string | undefined) => `/admin/v1/partners/${idOf(id)}`;
  switch (command) {
    case "list": {
      const q = new URLSearchParams();
      for (const [option, param] of [
        ["query", "query"],
        ["status", "status"],
        ["env", "environment"],
        ["limit", "limit"],
        ["starting-after", "starting_after"],
      ] as const) {
        const v = o[option];
        if (v !== undefined) q.set(param, v);
      }
      const qs = q.toString();
      return { method: "GET", path: `/admin/v1/partners${qs ? `?${qs}` : ""}` };
    }
    case "get":
      return { method: "GET", path: partner(first) };
    case "contract": {
      const change = contractMembers(o);
      if (Object.keys(change).length === 0)
        throw new UsageError("contract: name at least one member to change");
      return {
        method: "PATCH",
        path: `${partner(first)}/contract`,
        body: { params: { ...change, reason: reasonOf(o) } },
      };
    }
    case "origins": {
      if (o["cors-origins"] === undefined) throw new UsageError('--cors-origins is required ("" for none)');
      const params = { cors_origins: list(o["cors-origins"]), reason: reasonOf(o) };
      return { method: "PATCH", path: `${partner(first)}/contract`, body: { params } };
    }
    case "allowlist": {
      const { ip_allowlist, webhook_domains } = contractMembers(o);
      if (ip_allowlist === undefined && webhook_domains === undefined)
        throw new UsageError('--ip-allowlist and/or --webhook-domains is required ("" for none)');
      const params = {
        ...(ip_allowlist === undefined ? {} : { ip_allowlist }),
        ...(webhook_domains === undefined ? {} : { webhook_domains }),
        reason: reasonOf(o),
      };
      return { method: "PATCH", path: `${partner(first)}/contract`, body: { params } };
    }
    case "suspend":
    case "reactivate":
    case "offboard":
      return {
        method: "POST",
        path: `${partner(first)}/${command}`,
        body: { params: { reason: reasonOf(o) } },
      };
    case "credentials":
      if (first === "issue")
        return {
          method: "POST",
          path: `${partner(second)}/credentials`,
          body: {
            params: { reason: reasonOf(o), ...(o.description ? { description: o.description } : {}) },
          },
        };
      if (first === "revoke")
        return { method: "DELETE", path: `${partner(second)}/credentials/${idOf(third, "credential id")}` };
      throw new UsageError(
        "credentials issue <partner-id> | credentials revoke <partner-id> <credential-id>",
      );
    default:
      throw new UsageError(USAGE);
  }
}
