// `npm run bench:ledger-sim`: the ledger's write rate at increasing partner counts, simulated.
// A D1 database runs one query at a time, so a database is a single server whose service time
// is what one posting costs; the bench's ledger row measures it (`LEDGER_ENTRY_MS`, default 3.2
// ms: 310 entries/s at saturation on this 2-core machine; production D1 differs, so scale it).
// Partners' traffic follows a Zipf law (a few large partners carry most of it). For each partner
// count and each layout — one database, or the ledger sharded by partner over S databases — the
// simulation draws Poisson arrivals for 60 simulated seconds and prints the busiest database's
// utilisation and the p50/p99 wait before a posting starts. A row at utilisation ≥ 1 cannot keep
// up: its queue grows without bound. Deterministic (a seeded generator), so runs compare.
const ENTRY_MS = Number(process.env.LEDGER_ENTRY_MS ?? 3.2);
/** Postings per second per partner on average (captures, refunds, payouts, fees). */
const PER_PARTNER = Number(process.env.LEDGER_PER_PARTNER_RPS ?? 0.5);
const SECONDS = 60;
const PARTNERS = [10, 100, 1_000, 10_000];
const SHARDS = [1, 4, 16, 64];

/** mulberry32: a small seeded generator, so every run draws the same arrivals. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Each partner's share of the traffic: Zipf with exponent 1. */
function zipfShares(n: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** One database as a FIFO single server with a fixed service time: the waits of its arrivals. */
function serve(arrivals: number[], serviceMs: number): number[] {
  arrivals.sort((a, b) => a - b);
  const waits: number[] = [];
  let free = 0;
  for (const t of arrivals) {
    const start = Math.max(t, free);
    waits.push(start - t);
    free = start + serviceMs;
  }
  return waits;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

function simulate(partners: number, shards: number, random: () => number) {
  const total = partners * PER_PARTNER;
  const shares = zipfShares(partners);
  const perShard: number[][] = Array.from({ length: shards }, () => []);
  shares.forEach((share, i) => {
    const rate = total * share; // postings per second of this partner
    const shard = i % shards; // partners spread over the databases (the largest ones apart)
    for (let t = 0; ; ) {
      t += (-Math.log(1 - random()) / rate) * 1000;
      if (t >= SECONDS * 1000) break;
      perShard[shard]?.push(t);
    }
  });
  let busiest = { load: 0, waits: [] as number[] };
  for (const arrivals of perShard) {
    const load = (arrivals.length * ENTRY_MS) / (SECONDS * 1000);
    if (load >= busiest.load) busiest = { load, waits: serve(arrivals, ENTRY_MS).sort((a, b) => a - b) };
  }
  return { total, largest: total * (shares[0] ?? 0), ...busiest };
}

console.log(
  `Ledger write rate, simulated: ${ENTRY_MS} ms per posting (one query at a time per database), ` +
    `${PER_PARTNER} postings/s per partner on average, Zipf-distributed, ${SECONDS} s of Poisson arrivals\n`,
);
const rows = [
  ["partners", "postings/s", "largest partner/s", "databases", "busiest load", "p50 wait ms", "p99 wait ms"],
];
const random = rng(20261201);
for (const partners of PARTNERS) {
  for (const shards of SHARDS) {
    if (shards > partners) continue;
    const r = simulate(partners, shards, random);
    const overloaded = r.load >= 1;
    rows.push([
      String(partners),
      r.total.toFixed(0),
      r.largest.toFixed(1),
      String(shards),
      r.load.toFixed(2),
      overloaded ? "∞" : pct(r.waits, 0.5).toFixed(1),
      overloaded ? "∞ (cannot keep up)" : pct(r.waits, 0.99).toFixed(1),
    ]);
  }
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
for (const r of rows)
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
console.log(
  "\nOne database holds a ledger up to about 1000 / LEDGER_ENTRY_MS postings/s in total; past that, shard by partner. " +
    "A single partner above that rate needs its own database and, for its hot account, sub-balances (see docs/capacity.md).",
);
