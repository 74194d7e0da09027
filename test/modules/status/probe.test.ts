import { describe, expect, it } from "vitest";
import { prefersHtml } from "../../../src/modules/status/accept";
import { type Check, type Finding, overallStatus, runChecks } from "../../../src/modules/status/probe";
import { CircuitBreaker } from "../../../src/platform/upstream";

const check = (name: string, probe: () => Promise<Finding> | Finding, core = false): Check => ({
  name,
  kind: core ? "database" : "durable_object",
  core,
  failed: `${name} did not answer`,
  probe,
});
const ok = (): Finding => ({ status: "ok", detail: "fine" });

describe("status aggregation", () => {
  it("is operational when every check is ok", async () => {
    const result = await runChecks([check("db", ok, true), check("a", ok)], 50);
    expect(result.status).toBe("operational");
    expect(result.components.map((c) => [c.name, c.status])).toEqual([
      ["db", "ok"],
      ["a", "ok"],
    ]);
  });

  it("is down when the core check throws, with its fixed detail and not the error's message", async () => {
    const result = await runChecks(
      [
        check(
          "db",
          async () => {
            throw new Error("password=hunter2");
          },
          true,
        ),
        check("a", ok),
      ],
      50,
    );
    expect(result.status).toBe("down");
    expect(result.components[0]).toMatchObject({ status: "down", detail: "db did not answer" });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  it("is degraded when a non-core check is down or degraded, even one that throws synchronously", async () => {
    const sync = check("sync", () => {
      throw new TypeError("boom");
    });
    expect((await runChecks([check("db", ok, true), sync], 50)).status).toBe("degraded");
    const degraded = check("slow", () => ({ status: "degraded", detail: "slow" }));
    expect((await runChecks([check("db", ok, true), degraded], 50)).status).toBe("degraded");
    expect(overallStatus([{ core: true, status: "degraded" }])).toBe("degraded");
  });

  it("times a hanging check out as down without waiting for it, and runs checks concurrently", async () => {
    const hang = () => new Promise<Finding>(() => {});
    // Hanging checks never settle: the answer arriving at all shows the timeout, not the checks, ended it.
    const result = await runChecks([check("db", hang, true), check("a", hang), check("b", ok)], 100);
    expect(result.status).toBe("down");
    expect(result.components.map((c) => c.status)).toEqual(["down", "down", "ok"]);
    expect(result.components[0]?.detail).toBe("db did not answer within 100 ms");
  });
});

describe("CircuitBreaker.state", () => {
  it("reads closed, open and half-open from the breaker's public API", () => {
    const breaker = new CircuitBreaker(2, 1000);
    const t = 1_800_000_000_000;
    expect(breaker.state(t)).toBe("closed");
    breaker.failure(t);
    expect(breaker.state(t)).toBe("closed");
    breaker.failure(t);
    expect(breaker.state(t + 999)).toBe("open");
    expect(breaker.state(t + 1000)).toBe("half-open");
    breaker.success();
    expect(breaker.state(t + 1000)).toBe("closed");
  });
});

describe("prefersHtml", () => {
  it("picks HTML only when Accept ranks it above JSON", () => {
    const chrome =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8";
    const firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    expect(prefersHtml(chrome)).toBe(true);
    expect(prefersHtml(firefox)).toBe(true);
    expect(prefersHtml("text/*")).toBe(true);
    for (const machine of [
      undefined,
      "",
      "*/*",
      "application/json",
      "application/json, text/html",
      "text/html;q=0.5, application/json",
      "text/html;q=0, */*",
      "text/plain",
      "garbage",
    ]) {
      expect(prefersHtml(machine), String(machine)).toBe(false);
    }
  });
});
