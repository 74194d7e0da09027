// The bench's baseline Worker: Hono and nothing else. Plain `export default { fetch }`, so it
// type-checks under the Node types of tsconfig.node.json as well as in the Workers runtime.
import { Hono } from "hono";

const app = new Hono();
app.on(["GET", "POST"], "*", (c) => c.json({ ok: true }));

export default { fetch: app.fetch };
