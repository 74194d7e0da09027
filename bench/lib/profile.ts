// BENCH_PROFILE=1: a CPU profile of the gateway's Worker (its isolate runs its Durable Objects
// too) over each measured run, taken through wrangler dev's inspector with the Chrome DevTools
// protocol, as DevTools' own profiler takes it.
// Prints the functions with the most self time per request and writes the .cpuprofile (open it
// in DevTools' Performance panel) to bench/.state/profiles/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One DevTools protocol session on the Worker's inspector. */
class Inspector {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const msg = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiter = msg.id === undefined ? undefined : this.waiting.get(msg.id);
      if (!waiter || msg.id === undefined) return;
      this.waiting.delete(msg.id);
      if (msg.error) waiter.reject(new Error(msg.error.message));
      else waiter.resolve(msg.result);
    });
  }

  /** wrangler dev's inspector proxy, which forwards DevTools to the Worker's workerd. */
  static async connect(inspectorPort: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{
      webSocketDebuggerUrl?: string;
    }>;
    const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    if (!url) throw new Error(`no debuggable Worker on inspector port ${inspectorPort}`);
    // The proxy admits DevTools from localhost origins only; undici's WebSocket takes headers.
    const socket = new WebSocket(url, { headers: { Origin: "http://localhost" } } as unknown as string[]);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error(`inspector ${url} refused the connection`)), {
        once: true,
      });
    });
    return new Inspector(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  close() {
    this.socket.close();
  }
}

export interface ProfileSummary {
  file: string;
  /** Sampled CPU in the Worker's isolate over the run, ms. */
  sampledMs: number;
  /** [where, self µs per request] for the top functions. */
  top: Array<[string, number]>;
}

const where = ({ functionName, url, lineNumber }: ProfileNode["callFrame"]) => {
  const file = url.replace(/^.*\/(\.wrangler\/tmp\/[^/]+\/)?/, "") || "(native)";
  return `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
};

/** Self time per function (by name and place), from the profile's samples. */
export function summarise(profile: CpuProfile, requests: number, top = 25): Array<[string, number]> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    const node = byNode.get(nodeId);
    if (!node) return;
    const key = where(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...self.entries()]
    .filter(([key]) => !key.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => [key, us / Math.max(1, requests)]);
}

/** Starts sampling the Worker's isolate; `stop` ends it and writes the profile. */
export async function startProfile(inspectorPort: number, label: string, outDir: string) {
  const inspector = await Inspector.connect(inspectorPort);
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: 100 });
  await inspector.send("Profiler.start");
  return {
    async stop(requests: number): Promise<ProfileSummary> {
      const { profile } = await inspector.send<{ profile: CpuProfile }>("Profiler.stop");
      inspector.close();
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const idle = new Set(
        profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
      );
      const busyUs = profile.samples.reduce(
        (sum, id, i) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[i] ?? 0)),
        0,
      );
      return { file, sampledMs: busyUs / 1000, top: summarise(profile, requests) };
    },
  };
}

export function printProfile(label: string, summary: ProfileSummary, requests: number) {
  console.log(
    `\n  profile of ${label}: ${summary.sampledMs.toFixed(0)} ms sampled in the Worker's isolate over ${requests} requests ` +
      `(${((summary.sampledMs * 1000) / Math.max(1, requests)).toFixed(0)} µs each); ${summary.file}`,
  );
  for (const [key, us] of summary.top) console.log(`    ${us.toFixed(1).padStart(7)} µs  ${key}`);
}
