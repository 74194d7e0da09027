import { describe, expect, it } from "vitest";
import { nextSlice } from "../../src/platform/cron-cursor";
import { db } from "../support/partners";

/** A list the job walks: keys greater than `key`, in order, at most `n`. */
const listOf = (keys: string[]) => async (_db: unknown, key: string, n: number) =>
  keys.filter((k) => k > key).slice(0, n);

describe("a cron job's cursor", () => {
  it("walks the list a slice a run, wraps round and never repeats a key within a run", async () => {
    const job = `test.${crypto.randomUUID()}`;
    const keys = ["a", "b", "c", "d", "e"];
    const runs: string[][] = [];
    for (let i = 0; i < 4; i++) runs.push(await nextSlice(db, job, 2, listOf(keys), Date.now()));
    expect(runs).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "a"],
      ["b", "c"],
    ]);
  });

  it("takes the whole list each run when it is no longer than the limit, new keys included", async () => {
    const job = `test.${crypto.randomUUID()}`;
    const keys = ["a", "b"];
    expect(await nextSlice(db, job, 5, listOf(keys), Date.now())).toEqual(["a", "b"]);
    keys.push("c");
    expect(await nextSlice(db, job, 5, listOf(keys), Date.now())).toEqual(["c", "a", "b"]);
    expect(await nextSlice(db, job, 5, listOf(keys), Date.now())).toEqual(["c", "a", "b"]);
  });

  it("an empty list leaves an empty slice, and each job keeps its own cursor", async () => {
    const one = `test.${crypto.randomUUID()}`;
    const two = `test.${crypto.randomUUID()}`;
    expect(await nextSlice(db, one, 3, listOf([]), Date.now())).toEqual([]);
    expect(await nextSlice(db, one, 1, listOf(["x", "y"]), Date.now())).toEqual(["x"]);
    expect(await nextSlice(db, two, 1, listOf(["x", "y"]), Date.now())).toEqual(["x"]);
    expect(await nextSlice(db, one, 1, listOf(["x", "y"]), Date.now())).toEqual(["y"]);
  });
});
