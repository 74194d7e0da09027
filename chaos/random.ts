// The run's randomness, all from one seed: which flows run, their amounts and outcomes, and the
// moments of the kills. A failing run is replayed with its seed (`npm run chaos -- --seed N`):
// the same operations in the same order per worker and the same kill schedule. What the
// processes interleave under it is the machine's, not the seed's.
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export class Random {
  private readonly gen;

  constructor(readonly seed: number) {
    this.gen = xoroshiro128plus(seed);
  }

  /** An integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An independent stream for one worker (its own sequence whatever the others draw). */
  fork(): Random {
    return new Random(this.int(0, 2 ** 31 - 1));
  }
}
