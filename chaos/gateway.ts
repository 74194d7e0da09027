// The gateway under fault: `wrangler dev` (sandbox env) on one fixed port with local
// persistence, killed with SIGKILL (the whole process group: wrangler, both workerd processes,
// esbuild — what a machine losing power does to it) and started again on the same port and the
// same state directory. Recovery time is from the kill to the first answer of the restarted one.
import { performance } from "node:perf_hooks";
import { freePort, WorkerProcess } from "../bench/lib/worker-process";

export interface GatewayOptions {
  root: string;
  persistTo: string;
  envFile: string;
  verbose: boolean;
}

export class Gateway {
  private worker: WorkerProcess | undefined;
  private port = 0;
  /** Milliseconds from each kill to the restarted gateway's first answer. */
  readonly recoveries: number[] = [];
  kills = 0;

  constructor(private readonly opts: GatewayOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get up(): boolean {
    return this.worker?.running === true;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.worker = await WorkerProcess.start({
      label: "gateway",
      cwd: this.opts.root,
      port: this.port,
      args: [
        "--env",
        "sandbox",
        "--persist-to",
        this.opts.persistTo,
        "--env-file",
        this.opts.envFile,
        "--var",
        "LOG_LEVEL:warn",
        "--log-level",
        "warn",
        "--test-scheduled",
      ],
      readyPath: "/status",
      verbose: this.opts.verbose,
    });
  }

  /** SIGKILL to the whole group, then a restart; answers the recovery time. */
  async crashAndRestart(): Promise<number> {
    const killedAt = performance.now();
    this.worker?.kill();
    this.kills += 1;
    await this.worker?.stop(0);
    await this.start();
    const recovery = performance.now() - killedAt;
    this.recoveries.push(recovery);
    return recovery;
  }

  /** The cron trigger, as the platform fires it every minute (`--test-scheduled`). */
  async runCron(): Promise<void> {
    const res = await fetch(`${this.url}/__scheduled?cron=*+*+*+*+*`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`the cron trigger answered ${res.status}`);
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
  }

  output(): string {
    return this.worker?.output() ?? "";
  }
}
