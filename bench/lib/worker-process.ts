// `wrangler dev` processes for the bench: started on free ports in their own process group,
// ready when a probe request answers 2xx, and stopped by killing the whole group (wrangler,
// its workerd processes, esbuild), also on Ctrl-C, SIGTERM, errors and plain exit.
//
// `wrangler dev` runs two workerd processes: its dev proxy on the public port, which forwards
// every request over HTTP to a second workerd running the Worker (behind Miniflare's entry
// worker). `directUrl` is that second one's port, found through /proc on Linux, so the bench
// can load the Worker without the dev proxy, which production does not have.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";
import { OFFLINE_ENV } from "../../scripts/lib/wrangler";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WorkerOptions {
  /** Label in messages: "gateway", "bare". */
  label: string;
  /** Working directory of wrangler (the project root). */
  cwd: string;
  /** Extra `wrangler dev` arguments: `-c`, `--env`, `--persist-to`, `--var`, `--env-file`… */
  args: string[];
  /** Path probed until it answers 2xx; default `/`. */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** Mirror wrangler's output to this terminal (BENCH_VERBOSE=1). */
  verbose?: boolean;
  /** The public port; default a free one. A restarted Worker keeps its address this way. */
  port?: number;
}

export interface CpuSample {
  /** CPU seconds (user + system) per process of the group, by a short name. */
  byProcess: Record<string, number>;
  total: number;
}

export class WorkerProcess {
  /** wrangler's public port: its dev proxy in front of the Worker. */
  readonly url: string;
  /** The Worker's own workerd socket, when found: no dev proxy in the path. */
  directUrl: string | undefined;
  /** wrangler dev's inspector proxy (DevTools protocol) for the Worker. */
  inspectorPort = 0;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private exited: Promise<void>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly label: string,
    readonly port: number,
    child: ChildProcess,
    verbose: boolean,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on("exit", (code) => {
        this.exitCode = code;
        resolve();
      });
    });
    let partial = "";
    const onData = (d: Buffer) => {
      if (verbose) process.stderr.write(`[${label}] ${d.toString()}`);
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        this.tail.push(line);
        if (this.tail.length > 200) this.tail.shift();
        for (const listener of this.lineListeners) listener(line);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  }

  /** Process-group id: wrangler runs detached, so its pid leads the group. */
  get pgid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  static async start(opts: WorkerOptions): Promise<WorkerProcess> {
    const [port, inspectorPort] = [opts.port ?? (await freePort()), await freePort()];
    const args = [
      "dev",
      ...opts.args,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--show-interactive-dev-session=false",
    ];
    const child = spawn("wrangler", args, {
      cwd: opts.cwd,
      env: {
        ...OFFLINE_ENV,
        FORCE_COLOR: "0",
        NO_COLOR: "1",
        // wrangler's local tracing: every request's spans streamed to a collector Worker that
        // writes them to SQLite. Tooling cost production does not have; off for both Workers.
        X_LOCAL_OBSERVABILITY: "false",
        X_LOCAL_EXPLORER: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const worker = new WorkerProcess(opts.label, port, child, opts.verbose ?? false);
    worker.inspectorPort = inspectorPort;
    running.add(worker);
    child.on("error", () => undefined); // reported through the exit code and readiness
    try {
      await worker.waitReady(opts.readyPath ?? "/", opts.readyTimeoutMs ?? 120_000);
      worker.directUrl = await worker.findDirectUrl(opts.readyPath ?? "/", [port, inspectorPort]);
    } catch (err) {
      await worker.stop();
      throw err;
    }
    return worker;
  }

  /** Probes the listening sockets of the group's Worker workerd (the one with an inspector). */
  private async findDirectUrl(path: string, exclude: number[]): Promise<string | undefined> {
    for (const pid of this.groupPids()) {
      const argv = readProc(`/proc/${pid}/cmdline`)?.split("\0") ?? [];
      if (!argv[0]?.endsWith("workerd") || !argv.some((a) => a.startsWith("--inspector-addr"))) continue;
      for (const port of listeningPorts(pid).filter((p) => !exclude.includes(p))) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
          await res.arrayBuffer();
          if (res.ok) return `http://127.0.0.1:${port}`;
        } catch {
          // the inspector or the debug port: not HTTP for the Worker
        }
      }
    }
    return undefined;
  }

  private groupPids(): string[] {
    const pgid = this.pgid;
    if (pgid === undefined) return [];
    let entries: string[];
    try {
      entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
    } catch {
      return [];
    }
    return entries.filter((pid) => {
      const stat = readProc(`/proc/${pid}/stat`);
      // Fields after the parenthesised command: state ppid pgrp …
      return stat !== undefined && Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid;
    });
  }

  private async waitReady(path: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `${this.label}: wrangler dev exited (${this.exitCode}) before it was ready\n${this.output()}`,
        );
      }
      try {
        const res = await fetch(this.url + path, { signal: AbortSignal.timeout(2000) });
        const body = await res.text();
        if (res.ok) return;
        last = `HTTP ${res.status}: ${body.slice(0, 500)}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await sleep(250);
    }
    throw new Error(
      `${this.label}: ${this.url}${path} did not answer 2xx within ${timeoutMs / 1000} s (last: ${last})\n${this.output()}`,
    );
  }

  /**
   * The workerd processes now running. wrangler restarts the Worker's workerd when it rebuilds
   * (a source file changed): a different set after a run means the run straddled a restart.
   */
  workerdPids(): string {
    return this.groupPids()
      .filter((pid) => readProc(`/proc/${pid}/cmdline`)?.split("\0")[0]?.endsWith("workerd"))
      .sort()
      .join(",");
  }

  /** The last lines wrangler printed. */
  output(lines = 40): string {
    return this.tail
      .slice(-lines)
      .map((l) => `  | ${l}`)
      .join("\n");
  }

  /** Calls `listener` for each line of output until the returned function is called. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** CPU time used so far by every process of the group (Linux /proc); undefined elsewhere. */
  /** Resident memory (MiB) of the group's Worker workerd: the gateway's process, its objects and local D1. */
  workerRssMiB(): number | undefined {
    for (const pid of this.groupPids()) {
      const cmdline = readProc(`/proc/${pid}/cmdline`);
      if (cmdline === undefined || processName(cmdline) !== "workerd (worker)") continue;
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(readProc(`/proc/${pid}/status`) ?? "");
      if (rss?.[1]) return Number(rss[1]) / 1024;
    }
    return undefined;
  }

  cpu(): CpuSample | undefined {
    if (this.pgid === undefined || !existsSync("/proc/self/stat")) return undefined;
    const byProcess: Record<string, number> = {};
    let total = 0;
    for (const pid of this.groupPids()) {
      const stat = readProc(`/proc/${pid}/stat`);
      const cmdline = readProc(`/proc/${pid}/cmdline`);
      if (stat === undefined || cmdline === undefined) continue; // gone meanwhile
      // After the parenthesised command: state(0) … utime(11) stime(12), in clock ticks.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      const name = processName(cmdline);
      byProcess[name] = (byProcess[name] ?? 0) + seconds;
      total += seconds;
    }
    return { byProcess, total };
  }

  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the group is gone. */
  async stop(graceMs = 5000): Promise<void> {
    const pgid = this.pgid;
    running.delete(this);
    if (pgid === undefined) return;
    signalGroup(pgid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(pgid)) {
      signalGroup(pgid, "SIGKILL");
      while (groupAlive(pgid) && Date.now() < deadline + 2000) await sleep(50);
    }
    await Promise.race([this.exited, sleep(1000)]);
  }

  /** Synchronous last resort for `process.on("exit")`. */
  kill() {
    if (this.pgid !== undefined) signalGroup(this.pgid, "SIGKILL");
    running.delete(this);
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** TCP ports a process listens on: its socket inodes matched against /proc/<pid>/net/tcp. */
function listeningPorts(pid: string): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1]) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const line of (readProc(`/proc/${pid}/net/tcp`) ?? "").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st … inode(9); st 0A = LISTEN
    if (f[3] === "0A" && f[9] && inodes.has(f[9])) ports.push(Number.parseInt(f[1]?.split(":")[1] ?? "", 16));
  }
  return ports.filter((p) => Number.isInteger(p) && p > 0);
}

/** The Worker's workerd is the one with an inspector; the other one is wrangler's dev proxy. */
function processName(cmdline: string): string {
  const argv = cmdline.split("\0");
  const exe = argv[0] ?? "";
  if (exe.endsWith("workerd")) {
    return argv.some((a) => a.startsWith("--inspector-addr")) ? "workerd (worker)" : "workerd (proxy)";
  }
  if (argv.some((a) => a.includes("esbuild"))) return "esbuild";
  return "wrangler (node)";
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const running = new Set<WorkerProcess>();

export const stopAll = () => Promise.all([...running].map((w) => w.stop()));

let installed = false;
let stopping = false;

/** Ctrl-C, SIGTERM and any exit take the started workers down with the bench. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) return; // a terminal's Ctrl-C reaches us twice: from the group and relayed by tsx
      stopping = true;
      console.error(`\n${signal}: stopping the workers…`);
      void stopAll().finally(() =>
        process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1)),
      );
    });
  }
  process.on("exit", () => {
    for (const worker of [...running]) worker.kill();
  });
}
