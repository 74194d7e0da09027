import type { Result, Router } from "hono/router";

/** Paths remembered per isolate: the static ones a partner calls again and again, and recent ones. */
const MAX_ENTRIES = 512;

/**
 * Remembers the router's answers by method and path. Portico's routes are not all expressible in
 * Hono's RegExpRouter (`/v1/cards/applications/:id` beside `/v1/cards/:id`), so its SmartRouter
 * settles on the TrieRouter, which walks the tree on every request (about 30 µs on the bench's
 * `GET /v1/partner`). A route table never changes once the app serves, so an answer can be kept:
 * Hono only reads a match result. Oldest entries go first past MAX_ENTRIES.
 */
export class CachedRouter<T> implements Router<T> {
  readonly name: string;
  private readonly answers = new Map<string, Result<T>>();

  constructor(private readonly inner: Router<T>) {
    this.name = `cached ${inner.name}`;
  }

  add(method: string, path: string, handler: T): void {
    this.answers.clear();
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    const known = this.answers.get(key);
    if (known) return known;
    const answer = this.inner.match(method, path);
    if (this.answers.size >= MAX_ENTRIES) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(key, answer);
    return answer;
  }

  /** How many answers are kept (for tests). */
  get size() {
    return this.answers.size;
  }
}
