import { type SpawnOptions, spawn } from "node:child_process";

/** Local runs never phone home: no telemetry, no Request.cf download. */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** Runs `wrangler …` from node_modules and resolves with its output; rejects on a non-zero exit. */
export function wrangler(args: string[], opts: SpawnOptions & { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("wrangler", args, { env: OFFLINE_ENV, stdio: ["ignore", "pipe", "pipe"], ...opts });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (!opts.quiet) process.stdout.write(d);
    });
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
      if (!opts.quiet) process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.join(" ")} exited ${code}\n${out}`)),
    );
  });
}

/**
 * Where `npm run dev` keeps the local production Worker's state: apart from the sandbox's
 * (.wrangler/state), as two wrangler dev processes on one state directory lock each other out.
 */
export const LOCAL_PRODUCTION_STATE = ".wrangler/state-production";

export interface D1Target {
  /** An environment of the project's wrangler.toml; none with `config`. */
  env?: "sandbox" | "production";
  /** Another wrangler configuration (a bench Worker's); default the project's wrangler.toml. */
  config?: string;
  /** `--local` (default) or `--remote`. */
  remote?: boolean;
  persistTo?: string;
}

const targetArgs = (t: D1Target) => [
  ...(t.config ? ["-c", t.config] : []),
  ...(t.env ? ["--env", t.env] : []),
  t.remote ? "--remote" : "--local",
  ...(t.persistTo && !t.remote ? ["--persist-to", t.persistTo] : []),
];

export const applyMigrations = (t: D1Target) =>
  wrangler(["d1", "migrations", "apply", "DB", ...targetArgs(t)], { quiet: true });

export const executeSql = (t: D1Target, file: string) =>
  wrangler(["d1", "execute", "DB", "--file", file, "--yes", ...targetArgs(t)], { quiet: true });

export async function querySql(t: D1Target, command: string): Promise<Record<string, unknown>[]> {
  const out = await wrangler(["d1", "execute", "DB", "--command", command, "--json", ...targetArgs(t)], {
    quiet: true,
  });
  const parsed = JSON.parse(out.slice(out.indexOf("["))) as { results: Record<string, unknown>[] }[];
  return parsed[0]?.results ?? [];
}
