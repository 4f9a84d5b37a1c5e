/**
 * The same bytes as `JSON.stringify(value, null, 2) + "\n"` (UTF-8), faster
 * for snapshots written again and again: the encoded text of each object
 * inside an array (an agent, a task) is remembered by identity, and the fold
 * never changes such an object in place — it copies the one that changes —
 * so an unchanged task costs one memory copy to write again.
 */

const encoder = new TextEncoder();
const remembered = new WeakMap<object, { indent: string; bytes: Uint8Array }>();

export function toJsonBytesMemo(value: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  const text = { pending: "" };
  render(value, "", chunks, text);
  text.pending += "\n";
  flush(chunks, text);
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
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
