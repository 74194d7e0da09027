import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type RespArg, type RespConnection, RespError, type RespValue } from "./resp";

/**
 * A small Upstash Redis REST-compatible bridge to a real Redis, for tests: the protocol as the
 * `@upstash/redis` client speaks it (single command, /pipeline, /multi-exec, path-style commands,
 * bearer auth, `Upstash-Encoding: base64`).
 */
export interface UpstashBridgeOptions {
  redisHost?: string;
  redisPort: number;
  token: string;
  port?: number;
}

export interface UpstashBridge {
  url: string;
  close(): Promise<void>;
}

type Json = string | number | null | Json[];
type Entry = { result: Json } | { error: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PARSE_ERROR = "ERR failed to parse command";
const MAX_BODY_BYTES = 16 * 1024 * 1024;

// All callers share one Redis connection: refuse commands that change its state or block it.
const REFUSED = new Set(
  [
    "MULTI EXEC DISCARD WATCH UNWATCH SELECT AUTH HELLO RESET QUIT CLIENT MONITOR",
    "SUBSCRIBE PSUBSCRIBE SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE",
    "BLPOP BRPOP BLMOVE BLMPOP BRPOPLPUSH BZPOPMIN BZPOPMAX BZMPOP WAIT WAITAOF",
  ]
    .join(" ")
    .split(" "),
);

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

// Shebang flags Redis 7 knows. Upstash accepts more (@upstash/ratelimit's scripts start with
// `#!lua flags=allow-key-locking`), which Redis refuses: drop them before the script reaches Redis.
const REDIS_SCRIPT_FLAGS = new Set([
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
]);

function sha1(value: string): string {
  return createHash("sha1").update(value).digest("hex");
}

function withRedisFlags(script: string): string {
  if (!script.startsWith("#!")) return script;
  const eol = script.indexOf("\n");
  const end = eol === -1 ? script.length : eol;
  const shebang = script
    .slice(0, end)
    .split(" ")
    .map((part) => {
      if (!part.startsWith("flags=")) return part;
      const kept = part.slice("flags=".length).split(",");
      return `flags=${kept.filter((flag) => REDIS_SCRIPT_FLAGS.has(flag)).join(",")}`;
    })
    .join(" ");
  return shebang + script.slice(end);
}

/** A command ready for Redis, and how to turn Redis's reply into what an Upstash client expects. */
interface Prepared {
  args: RespArg[];
  reply(value: RespValue): RespValue;
}

const asIs = (value: RespValue): RespValue => value;

/**
 * Clients address scripts by the SHA1 of the text they sent; when the bridge rewrote the text,
 * Redis knows it by another SHA1. Map one to the other so EVALSHA and SCRIPT LOAD/EXISTS agree.
 */
class ScriptRegistry {
  private readonly redisSha = new Map<string, string>();

  prepare(args: RespArg[]): Prepared {
    const [command = "", first, ...rest] = args;
    const name = String(command).toUpperCase();
    if ((name === "EVAL" || name === "EVAL_RO") && typeof first === "string") {
      return { args: [command, this.register(first), ...rest], reply: asIs };
    }
    if ((name === "EVALSHA" || name === "EVALSHA_RO") && first !== undefined) {
      return { args: [command, this.translate(first), ...rest], reply: asIs };
    }
    const sub = String(first ?? "").toUpperCase();
    const [script] = rest;
    if (name === "SCRIPT" && sub === "LOAD" && typeof script === "string" && first !== undefined) {
      const clientSha = sha1(script);
      return {
        args: [command, first, this.register(script)],
        reply: (value) => (typeof value === "string" ? clientSha : value),
      };
    }
    if (name === "SCRIPT" && sub === "EXISTS" && first !== undefined) {
      return { args: [command, first, ...rest.map((sha) => this.translate(sha))], reply: asIs };
    }
    return { args, reply: asIs };
  }

  private register(script: string): string {
    const rewritten = withRedisFlags(script);
    if (rewritten !== script) this.redisSha.set(sha1(script), sha1(rewritten));
    return rewritten;
  }

  private translate(sha: RespArg): RespArg {
    return this.redisSha.get(String(sha).toLowerCase()) ?? sha;
  }
}

function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? "");
  // Hashing gives equal-length inputs, as timingSafeEqual requires, without leaking the token length.
  return match?.[1] !== undefined && timingSafeEqual(sha256(match[1]), expected);
}

function toCommand(value: unknown): RespArg[] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, PARSE_ERROR);
  const args = value.map((arg: unknown): RespArg => {
    if (typeof arg === "string" || typeof arg === "number") return arg;
    if (typeof arg === "boolean") return String(arg);
    throw new HttpError(400, PARSE_ERROR);
  });
  const name = String(args[0]).toUpperCase();
  if (REFUSED.has(name)) {
    throw new HttpError(400, `ERR command '${name}' is not supported by the REST bridge`);
  }
  return args;
}

function toCommands(value: unknown): RespArg[][] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, PARSE_ERROR);
  return value.map(toCommand);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, PARSE_ERROR);
  }
}

/** `/set/key/value?EX=10` → SET key value EX 10; a POST body is appended as the last argument. */
function pathCommand(url: URL, body: string): RespArg[] {
  const args: RespArg[] = url.pathname
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new HttpError(400, PARSE_ERROR);
      }
    });
  for (const [key, value] of url.searchParams) {
    args.push(key);
    if (value !== "") args.push(value);
  }
  if (body !== "") args.push(body);
  return toCommand(args);
}

function toJson(value: RespValue, base64: boolean): Json {
  if (value instanceof RespError) return value.message;
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64));
  if (typeof value === "string" && base64) return Buffer.from(value, "utf8").toString("base64");
  return value;
}

function toEntry(value: RespValue, base64: boolean): Entry {
  return value instanceof RespError ? { error: value.message } : { result: toJson(value, base64) };
}

function toEntries(commands: Prepared[], replies: RespValue[], base64: boolean): Entry[] {
  return replies.map((reply, i) => toEntry(commands[i]?.reply(reply) ?? reply, base64));
}

async function multiExec(redis: RespConnection, commands: Prepared[], base64: boolean): Promise<Entry[]> {
  // One write: no other caller's command can land between MULTI and EXEC on the shared connection.
  const replies = await redis.commands([["MULTI"], ...commands.map((c) => c.args), ["EXEC"]]);
  const exec = replies.at(-1);
  if (Array.isArray(exec)) return toEntries(commands, exec, base64);
  // Report the command that failed to queue rather than the generic EXECABORT.
  const cause = replies.slice(1, -1).find((reply) => reply instanceof RespError);
  const error = cause ?? exec;
  throw new HttpError(400, error instanceof RespError ? error.message : "ERR transaction aborted");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "ERR request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, payload: Entry | Entry[]): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function startUpstashBridge(opts: UpstashBridgeOptions): Promise<UpstashBridge> {
  const redis = await connect(opts.redisHost ?? "127.0.0.1", opts.redisPort);
  const expectedToken = sha256(opts.token);
  const scripts = new ScriptRegistry();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAuthorized(req.headers.authorization, expectedToken)) {
      req.resume();
      return send(res, 401, { error: "Unauthorized" });
    }
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://bridge.invalid");
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "POST") throw new HttpError(405, "ERR method not allowed");

    if (method === "POST" && (url.pathname === "/pipeline" || url.pathname === "/multi-exec")) {
      const commands = toCommands(parseJson(body)).map((args) => scripts.prepare(args));
      if (url.pathname === "/multi-exec") return send(res, 200, await multiExec(redis, commands, base64));
      const replies = await redis.commands(commands.map((c) => c.args));
      return send(res, 200, toEntries(commands, replies, base64));
    }
    const args =
      url.pathname === "/" && method === "POST" ? toCommand(parseJson(body)) : pathCommand(url, body);
    const command = scripts.prepare(args);
    const entry = toEntry(command.reply(await redis.command(command.args)), base64);
    return send(res, "error" in entry ? 400 : 200, entry);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) return send(res, error.status, { error: error.message });
      send(res, 500, { error: `ERR bridge: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  // Outlive the client's idle pool so a reused keep-alive connection is not closed under a request.
  server.keepAliveTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo; // listen() on a TCP port: never a pipe name or null

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await redis.close();
    },
  };
}
