import { afterEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "../../src/platform/lib/ttl-cache";

afterEach(() => {
  vi.useRealTimers();
});

describe("TtlCache", () => {
  it("serves an entry for its TTL, then loads it again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(0);
    const cache = new TtlCache<string>();
    let loads = 0;
    const load = async (key: string) => `${key}:${++loads}`;
    expect(await cache.get("a", 1000, load)).toBe("a:1");
    vi.setSystemTime(999);
    expect(await cache.get("a", 1000, load)).toBe("a:1");
    vi.setSystemTime(1000);
    expect(await cache.get("a", 1000, load)).toBe("a:2");
  });

  it("shares one load among concurrent misses", async () => {
    const cache = new TtlCache<number>();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return loads;
    };
    const values = await Promise.all(Array.from({ length: 10 }, () => cache.get("k", 60_000, load)));
    expect(values).toEqual(Array(10).fill(1));
    expect(loads).toBe(1);
  });

  it("keeps no entry for an unknown key when told not to: a key created later is found at once", async () => {
    const cache = new TtlCache<string>({ cacheMisses: false });
    let known: string | undefined;
    const load = async () => known;
    expect(await cache.get("new", 60_000, load)).toBeUndefined();
    known = "created";
    expect(await cache.get("new", 60_000, load)).toBe("created");
  });

  it("forgets a key on invalidate, and drops the oldest past its size", async () => {
    const cache = new TtlCache<string>({ maxEntries: 2 });
    let version = 0;
    const load = async (key: string) => `${key}:${version}`;
    await cache.get("a", 60_000, load);
    version = 1;
    expect(await cache.get("a", 60_000, load)).toBe("a:0");
    cache.invalidate("a");
    expect(await cache.get("a", 60_000, load)).toBe("a:1");
    await cache.get("b", 60_000, load);
    await cache.get("c", 60_000, load); // "a" is the oldest: dropped
    version = 2;
    expect(await cache.get("a", 60_000, load)).toBe("a:2");
  });
});
