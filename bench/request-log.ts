// `npm run bench:request-log`: what the partners' request log costs (docs/usage.md). Three gateways,
// the same code: the request log off (REQUEST_LOG=off), on with one D1 write per request
// (REQUEST_LOG_BATCH_MS=0), and on as shipped (rows batched per isolate for 100 ms), side by side
// (lib/side-by-side.ts). Then each gateway's request_log row count: none without the log.
//
//   BENCH_DURATION=10 BENCH_WARMUP=3 BENCH_ROUNDS=3 npm run bench:request-log
//   POST /v1/payments runs on BENCH_PAYMENTS_CONNECTIONS (default 1, as in `npm run bench`),
//   GET /v1/partner on BENCH_CONNECTIONS (32).
import { querySql } from "../scripts/lib/wrangler";
import { positiveInt } from "./lib/load";
import { runSideBySide } from "./lib/side-by-side";
import { CARD_PAYMENT } from "./scenarios";

runSideBySide({
  title: "Request log bench",
  state: "request-log",
  sides: {
    "without the log": ["REQUEST_LOG=off"],
    "a write per request": ["REQUEST_LOG_BATCH_MS=0"],
    "batched (default)": [],
  },
  baseline: "the gateway without the log",
  scenarios: [
    {
      name: "POST /v1/payments",
      connections: Math.round(positiveInt("BENCH_PAYMENTS_CONNECTIONS", 1)),
      spec: (token) => ({
        method: "POST",
        path: "/v1/payments",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": "bench-[<id>]",
        },
        body: JSON.stringify({ params: CARD_PAYMENT }),
        idReplacement: true,
      }),
    },
    {
      name: "GET /v1/partner",
      connections: Math.round(positiveInt("BENCH_CONNECTIONS", 32)),
      spec: (token) => ({
        method: "GET",
        path: "/v1/partner",
        headers: { Authorization: `Bearer ${token}` },
      }),
    },
  ],
  check: async (sides) => {
    let broken = false;
    for (const side of sides) {
      const [count] = await querySql(
        { env: "sandbox", persistTo: side.persistTo },
        "SELECT COUNT(*) AS n FROM request_log",
      );
      const rows = Number(count?.n);
      console.log(`  ${side.label}: request_log holds ${rows} rows`);
      if (side.label === "without the log" ? rows !== 0 : !(rows > 0)) broken = true;
    }
    return broken;
  },
});
