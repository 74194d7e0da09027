// The bench's floor for a durable write: per request, the least durable work a payment needs
// (create a new SQLite-backed Durable Object and write one row in it, then insert one row in
// D1), in the same runtime and `wrangler dev` set-up as the gateway. `npm run bench` prints
// POST /v1/payments against it: the bare Worker is the wrong yardstick for a durable write.
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  FLOOR: DurableObjectNamespace<FloorObject>;
  DB: D1Database;
}

/** One object per request, as the gateway makes one payment object per payment. */
export class FloorObject extends DurableObject<FloorEnv> {
  write(id: string, at: string): string {
    this.ctx.storage.kv.put("row", { id, at });
    return id;
  }
}

let tableReady: Promise<unknown> | undefined;

export default {
  async fetch(_request: Request, env: FloorEnv): Promise<Response> {
    tableReady ??= env.DB.prepare(
      "CREATE TABLE IF NOT EXISTS floor_rows (id TEXT PRIMARY KEY, at TEXT NOT NULL)",
    ).run();
    await tableReady;
    const id = crypto.randomUUID();
    const at = new Date().toISOString();
    await env.FLOOR.get(env.FLOOR.idFromName(id)).write(id, at);
    await env.DB.prepare("INSERT INTO floor_rows (id, at) VALUES (?, ?)").bind(id, at).run();
    return Response.json({ ok: true, id });
  },
} satisfies ExportedHandler<FloorEnv>;
