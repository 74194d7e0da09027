// Reading a body of unknown size without holding more than a limit of it.

/** Reads at most `limit` bytes of the body as text; undefined when it is longer. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<string | undefined> {
  const bytes = await readBoundedBytes(body, limit);
  return bytes && new TextDecoder().decode(bytes);
}

/** Reads at most `limit` bytes of the body; undefined when it is longer. */
export async function readBoundedBytes(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** Reads the first `limit` bytes of the body and cancels the rest (a partner's answer we only excerpt). */
export async function readPrefix(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) return decode(chunks, size);
    chunks.push(value.subarray(0, limit - size));
    size += Math.min(value.byteLength, limit - size);
  }
  await reader.cancel();
  return decode(chunks, size);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

const decode = (chunks: Uint8Array[], size: number) => new TextDecoder().decode(concat(chunks, size));
