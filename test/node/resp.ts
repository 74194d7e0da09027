import { connect as netConnect, type Socket } from "node:net";

/** A Redis error reply: a value, not an exception, so a pipeline can carry one per command. */
export class RespError {
  constructor(readonly message: string) {}
}

export type RespValue = string | number | null | RespError | RespValue[];
export type RespArg = string | number;

interface Pending {
  resolve(value: RespValue): void;
  reject(error: Error): void;
}

interface Parsed {
  value: RespValue;
  next: number;
}

const CRLF = "\r\n";

/** Parses one reply starting at `offset`; undefined when `buf` does not hold all of it yet. */
function parseReply(buf: Buffer, offset: number): Parsed | undefined {
  if (offset >= buf.length) return undefined;
  const lineEnd = buf.indexOf(CRLF, offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buf[offset] ?? 0);
  const line = buf.toString("utf8", offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, next: afterLine };
    case "-":
      return { value: new RespError(line), next: afterLine };
    case ":":
      return { value: Number(line), next: afterLine };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      const end = afterLine + length;
      if (buf.length < end + 2) return undefined;
      return { value: buf.toString("utf8", afterLine, end), next: end + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next);
        if (item === undefined) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte ${JSON.stringify(type)}`);
  }
}

function encodeCommand(args: readonly RespArg[]): string {
  let out = `*${args.length}${CRLF}`;
  for (const arg of args) {
    const s = String(arg);
    out += `$${Buffer.byteLength(s)}${CRLF}${s}${CRLF}`;
  }
  return out;
}

export class RespConnection {
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("Redis connection closed")));
  }

  /** Sends one command; replies resolve in the order commands were written (pipelining). */
  command(args: readonly RespArg[]): Promise<RespValue> {
    return this.write([args]).then((replies) => replies[0] ?? null);
  }

  /** Sends a batch in a single socket write, so e.g. MULTI…EXEC cannot interleave with other callers. */
  commands(batch: readonly (readonly RespArg[])[]): Promise<RespValue[]> {
    return this.write(batch);
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.end();
      // Don't wait forever for the server to close its side.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  private write(batch: readonly (readonly RespArg[])[]): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    const replies = batch.map(
      () => new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(batch.map(encodeCommand).join(""));
    return Promise.all(replies);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      let parsed: Parsed | undefined;
      try {
        parsed = parseReply(this.buffer, offset);
      } catch (error) {
        this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (parsed === undefined) break;
      offset = parsed.next;
      this.pending.shift()?.resolve(parsed.value);
    }
    this.buffer = this.buffer.subarray(offset);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }
}

export function connect(host: string, port: number): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(new RespConnection(socket));
    });
  });
}
