// `npm run bench:metering`: what metering costs on the hot path (docs/metering.md). Two gateways,
// the same code: metering off (METERING=off) and on as shipped (counts gathered per isolate for
// METERING_BATCH_MS, one METERING_QUEUE message per window, added to metered_usage by the queue
// consumer), side by side (lib/side-by-side.ts). Then each gateway's metered calls: none when off.
//
//   BENCH_DURATION=10 BENCH_WARMUP=3 BENCH_ROUNDS=3 npm run bench:metering
//   GET /v1/partner runs on BENCH_CONNECTIONS (32).
import { querySql } from "../scripts/lib/wrangler";
import { positiveInt } from "./lib/load";
import { runSideBySide } from "./lib/side-by-side";

runSideBySide({
  title: "Metering bench",
  state: "metering",
  sides: { "metering off": ["METERING=off"], "metered (default)": [] },
  baseline: "the gateway without metering",
  scenarios: [
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
    // The consumer runs behind the load: give the last windows a moment to be counted.
    await new Promise((r) => setTimeout(r, 3000));
    let broken = false;
    for (const side of sides) {
      const [count] = await querySql(
        { env: "sandbox", persistTo: side.persistTo },
        "SELECT COALESCE(SUM(calls), 0) AS n FROM metered_usage",
      );
      const calls = Number(count?.n);
      console.log(`  ${side.label}: metered_usage holds ${calls} calls`);
      if (side.label === "metering off" ? calls !== 0 : !(calls > 0)) broken = true;
    }
    return broken;
  },
});
