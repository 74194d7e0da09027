/**
 * A short per-isolate window that gathers items for one write (the request log's rows, the
 * metering's counts): the first item opens a window for `delayMs`, the items that arrive meanwhile
 * join it, and it is flushed once, when its time is up or when it holds `maxItems`. Every caller
 * gets the window's flush to hold in its `waitUntil`, so the runtime keeps the isolate alive until
 * the window is written. With `delayMs` 0 every item is its own flush.
 *
 * Windows are kept per key (a D1 or Queue binding): a test's other binding has its own, and a
 * binding that is gone takes its window with it.
 */
export function batchWindows<K extends WeakKey, T>(
  flush: (key: K, items: T[]) => Promise<void>,
  maxItems: number,
): (key: K, item: T, delayMs: number) => Promise<void> {
  interface Window {
    items: T[];
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
      items: [],
      close: () => {
        // A closed window takes no more items: the next one opens a new window.
        if (open.get(key) === window) open.delete(key);
        release();
      },
      flushed: closed.then(() => flush(key, window.items)),
    };
    setTimeout(() => window.close(), delayMs);
    return window;
  }

  return function add(key, item, delayMs) {
    if (delayMs === 0) return flush(key, [item]);
    let window = open.get(key);
    if (!window) {
      window = openWindow(key, delayMs);
      open.set(key, window);
    }
    window.items.push(item);
    if (window.items.length >= maxItems) window.close();
    return window.flushed;
  };
}
