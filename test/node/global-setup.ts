import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestProject } from "vitest/node";
import { startAcquirer } from "./acquirer";
import { freePort, listen } from "./ports";
import { connect } from "./resp";
import { startUpstashBridge } from "./upstash-bridge";
import { startWebhookReceiver } from "./webhook-receiver";

const REDIS_START_TIMEOUT_MS = 10_000;

interface RedisTarget {
  host: string;
  port: number;
  stop(): Promise<void>;
}

async function waitForPing(host: string, port: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    try {
      const conn = await connect(host, port);
      try {
        if ((await conn.command(["PING"])) === "PONG") return;
      } finally {
        await conn.close();
      }
    } catch (error) {
      lastError = error;
    }
    await sleep(50);
  }
  throw new Error(`Redis at ${host}:${port} did not answer PING within ${REDIS_START_TIMEOUT_MS} ms`, {
    cause: lastError,
  });
}

function externalRedis(redisUrl: string): RedisTarget {
  const url = new URL(redisUrl);
  if (url.protocol !== "redis:" || url.username || url.password || (url.pathname && url.pathname !== "/")) {
    throw new Error(`REDIS_URL must look like redis://host:port (no auth, no database); got ${redisUrl}`);
  }
  return { host: url.hostname, port: Number(url.port || 6379), stop: async () => {} };
}

async function spawnRedis(): Promise<RedisTarget> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-2000);
  };
  child.stdout?.on("data", keepTail);
  child.stderr?.on("data", keepTail);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === "ENOENT" ? " redis-server is not on PATH: apt-get install -y redis-server" : "";
      reject(new Error(`Could not start redis-server.${hint}`, { cause: error }));
    });
  });
  // Safety net if vitest dies without running the teardown.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await spawned;
    await waitForPing("127.0.0.1", port, child);
  } catch (error) {
    await stop();
    const log = output.trim() ? `\nredis-server output:\n${output.trim()}` : "";
    throw new Error(`${error instanceof Error ? error.message : String(error)}${log}`, { cause: error });
  }
  return { host: "127.0.0.1", port, stop };
}

/** Accepts connections and never answers: for deadline tests. */
async function startBlackhole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {}); // read and discard, so the client's writes never stall
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl ? externalRedis(redisUrl) : await spawnRedis();
  const closers: (() => Promise<void>)[] = [];
  const teardown = async () => {
    await Promise.allSettled(closers.map((close) => close()));
    await redis.stop();
  };
  try {
    if (redisUrl) await waitForPing(redis.host, redis.port);
    const token = randomBytes(24).toString("base64url");
    const bridge = await startUpstashBridge({ redisHost: redis.host, redisPort: redis.port, token });
    closers.push(() => bridge.close());
    const blackhole = await startBlackhole();
    closers.push(() => blackhole.close());
    project.provide("upstashUrl", bridge.url);
    project.provide("upstashToken", token);
    project.provide("blackholeUrl", blackhole.url);
    const receiver = await startWebhookReceiver();
    closers.push(() => receiver.close());
    project.provide("receiverUrl", receiver.url);
    const acquirerSecret = randomBytes(32).toString("hex");
    const acquirer = await startAcquirer(acquirerSecret);
    closers.push(() => acquirer.close());
    project.provide("acquirerUrl", acquirer.url);
    project.provide("acquirerSecret", acquirerSecret);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    upstashUrl: string;
    upstashToken: string;
    blackholeUrl: string;
    receiverUrl: string;
    acquirerUrl: string;
    acquirerSecret: string;
  }
}
