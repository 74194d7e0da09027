/**
 * A short per-isolate window that gathers items for one write (the request log's rows, the
 * metering's counts): the first item opens a window for `delayMs`, the items that arrive meanwhile
 * join it, and it is flushed once, when its time is up or when it is full. The flush runs in the
 * request that opened the window (its timer) or in the one that filled it: those two get the
 * window's flush to hold in their `waitUntil`, so the runtime keeps the isolate alive until the
 * window is written. Every other caller gets a settled promise: its item is in the window, and its
 * request need not stay open for the write (hundreds of requests held half a second each cost
 * the isolate more than the write). With `delayMs` 0 every item is its own flush.
 *
 * A window folds its items into what its flush writes (`open`, then `add` per item, answering
 * whether the window is now full): a list of rows, or counts summed as they arrive.
 *
 * Windows are kept per key (a D1 or Queue binding): a test's other binding has its own, and a
 * binding that is gone takes its window with it.
 */
/** What a caller that neither opened nor filled its window holds: nothing to wait for. */
const JOINED: Promise<void> = Promise.resolve();

export function foldWindows<K extends WeakKey, T, A>(spec: {
  open: () => A;
  add: (acc: A, item: T) => boolean;
  flush: (key: K, acc: A) => Promise<void>;
}): (key: K, item: T, delayMs: number) => Promise<void> {
  interface Window {
    acc: A;
    flushed: Promise<void>;
    close: () => void;
  }
  const open = new WeakMap<K, Window>();

  function openWindow(key: K, delayMs: number): Window {
    let release = () => {};
    const closed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const window: Window = {
      acc: spec.open(),
      close: () => {
        // A closed window takes no more items: the next one opens a new window.
        if (open.get(key) === window) open.delete(key);
        release();
      },
      flushed: closed.then(() => spec.flush(key, window.acc)),
    };
    setTimeout(() => window.close(), delayMs);
    return window;
  }

  return function add(key, item, delayMs) {
    if (delayMs === 0) {
      const acc = spec.open();
      spec.add(acc, item);
      return spec.flush(key, acc);
    }
    let window = open.get(key);
    let holds = false;
    if (!window) {
      window = openWindow(key, delayMs);
      open.set(key, window);
      holds = true;
    }
    if (spec.add(window.acc, item)) {
      window.close();
      holds = true;
    }
    return holds ? window.flushed : JOINED;
  };
}

/** A window of a list of items, full at `maxItems`. */
export function batchWindows<K extends WeakKey, T>(
  flush: (key: K, items: T[]) => Promise<void>,
  maxItems: number,
): (key: K, item: T, delayMs: number) => Promise<void> {
  return foldWindows<K, T, T[]>({
    open: () => [],
    add: (items, item) => items.push(item) >= maxItems,
    flush,
  });
}
