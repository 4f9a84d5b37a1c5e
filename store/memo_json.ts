/**
 * The same bytes as `JSON.stringify(value, null, 2) + "\n"` (UTF-8), faster
 * for snapshots written again and again: the encoded text of each object
 * inside an array (an agent, a task) is remembered by identity, and so is the
 * text of a whole array (the tasks while only messages arrive). The fold
 * never changes such an object or array in place — it copies the one that
 * changes — so an unchanged task list costs one memory copy to write again.
 */

const encoder = new TextEncoder();
const remembered = new WeakMap<object, { indent: string; bytes: Uint8Array }>();
/** Arrays by identity: their encoded text. */
const arrays = new WeakMap<object, { indent: string; bytes: Uint8Array }>();
/** The output buffer, kept: a fresh one per snapshot cost more than the copy into it. */
let output = new Uint8Array(64 * 1024);

/**
 * The bytes, as a view of a buffer that the next call reuses: write (or
 * copy) them before calling again.
 */
export function toJsonBytesMemo(value: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  const text = { pending: "" };
  render(value, "", chunks, text);
  text.pending += "\n";
  flush(chunks, text);
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  if (size > output.length) {
    output = new Uint8Array(Math.max(size, output.length * 2));
  }
  let at = 0;
  for (const chunk of chunks) {
    output.set(chunk, at);
    at += chunk.length;
  }
  return output.subarray(0, size);
}

/** Small pieces of text gather here and are encoded together. */
interface Pending {
  pending: string;
}

function flush(chunks: Uint8Array[], text: Pending): void {
  if (text.pending) chunks.push(encoder.encode(text.pending));
  text.pending = "";
}

function render(
  value: unknown,
  indent: string,
  chunks: Uint8Array[],
  text: Pending,
): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      text.pending += "[]";
      return;
    }
    flush(chunks, text);
    const known = arrays.get(value);
    if (known?.indent === indent) {
      chunks.push(known.bytes);
      return;
    }
    // Rendered piece by piece (elements are remembered), then kept as one
    // block: writing it again is one copy instead of one per element.
    const first = chunks.length;
    renderArray(value, indent, chunks, text);
    flush(chunks, text);
    const bytes = concat(chunks, first);
    chunks.length = first;
    chunks.push(bytes);
    arrays.set(value, { indent, bytes });
    return;
  }
  if (value !== null && typeof value === "object") {
    const inner = indent + "  ";
    let first = true;
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined || typeof field === "function") continue;
      text.pending += (first ? "{\n" : ",\n") + inner + JSON.stringify(key) +
        ": ";
      first = false;
      render(field, inner, chunks, text);
    }
    text.pending += first ? "{}" : "\n" + indent + "}";
    return;
  }
  text.pending += JSON.stringify(value) ?? "null";
}

function renderArray(
  value: unknown[],
  indent: string,
  chunks: Uint8Array[],
  text: Pending,
): void {
  const inner = indent + "  ";
  text.pending += "[\n" + inner;
  value.forEach((item, i) => {
    if (item !== null && typeof item === "object") {
      flush(chunks, text);
      // The separator (comma, newline, indent) is encoded once per depth.
      if (i > 0) chunks.push(separator(inner));
      chunks.push(element(item, inner));
    } else {
      if (i > 0) text.pending += ",\n" + inner;
      text.pending += JSON.stringify(item) ?? "null";
    }
  });
  text.pending += "\n" + indent + "]";
}

function concat(chunks: Uint8Array[], from: number): Uint8Array {
  let size = 0;
  for (let i = from; i < chunks.length; i++) size += chunks[i].length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (let i = from; i < chunks.length; i++) {
    bytes.set(chunks[i], at);
    at += chunks[i].length;
  }
  return bytes;
}

const separators = new Map<string, Uint8Array>();

function separator(indent: string): Uint8Array {
  let bytes = separators.get(indent);
  if (!bytes) separators.set(indent, bytes = encoder.encode(",\n" + indent));
  return bytes;
}

function element(item: object, indent: string): Uint8Array {
  const known = remembered.get(item);
  if (known?.indent === indent) return known.bytes;
  // Native stringify of the element, re-indented to where it sits.
  const bytes = encoder.encode(
    JSON.stringify(item, null, 2).replaceAll("\n", "\n" + indent),
  );
  remembered.set(item, { indent, bytes });
  return bytes;
}
