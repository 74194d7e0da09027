// `npm run receiver`: a local webhook receiver for the demo. Prints every delivery and, given the
// endpoint's secret (WEBHOOK_SECRET=whsec_…), verifies it the way partners do, with the
// `standardwebhooks` package. Answers 200, or 500 for the first FAIL_FIRST deliveries.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const port = Number(process.env.PORT ?? 8788);
const secret = process.env.WEBHOOK_SECRET;
let failFirst = Number(process.env.FAIL_FIRST ?? 0);

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = {
      "webhook-id": String(req.headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
    };
    let verdict = "not verified (set WEBHOOK_SECRET)";
    if (secret) {
      try {
        new Webhook(secret).verify(body, headers);
        verdict = "signature OK";
      } catch (err) {
        verdict = `signature REFUSED: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const event = JSON.parse(body || "{}") as {
      type?: string;
      data?: { object?: { id?: string; status?: string } };
    };
    const status = failFirst > 0 ? 500 : 200;
    if (failFirst > 0) failFirst -= 1;
    console.log(
      `${new Date().toISOString()} ${event.type} ${event.data?.object?.id ?? ""} ${event.data?.object?.status ?? ""} id=${headers["webhook-id"]} → ${status}; ${verdict}`,
    );
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ received: status === 200 }));
  });
}).listen(port, "127.0.0.1", () => console.log(`webhook receiver on http://127.0.0.1:${port}/hooks`));
