import { ExitCode, MaosError, usageError } from "./errors.ts";

const ID_PATTERN = /^[0-9a-f]{12}$/;
const PREFIX_PATTERN = /^[0-9a-f]{4,12}$/;
const AGENT_ID_PATTERN = /^[a-z][a-z0-9_-]{0,40}$/;

/** A new 12-hex-character id from the platform's cryptographic random source. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * Checked before an id touches a path: only lowercase hex, so no `/`, `..`
 * or anything else a shell or a file system could read as structure.
 */
export function assertIdPrefix(value: string, kind: string): string {
  const lower = value.toLowerCase();
  if (!PREFIX_PATTERN.test(lower)) {
    throw usageError(
      `invalid ${kind} id '${value}': expected 4 to 12 hex characters`,
    );
  }
  return lower;
}

/** Agent ids (`developer-001`) also reach paths: agents/<id>.jsonl. */
export function assertAgentId(value: string): string {
  if (!AGENT_ID_PATTERN.test(value)) {
    throw usageError(
      `invalid agent id '${value}': use lowercase letters, digits, '-' or '_'`,
    );
  }
  return value;
}

/**
 * Resolve a unique prefix (4+ characters) against the known ids.
 *
 * @example
 * resolveIdPrefix("ab12", ["ab12cd34ef56", "ff00aa11bb22"], "orchestration"); // "ab12cd34ef56"
 */
export function resolveIdPrefix(
  prefix: string,
  known: readonly string[],
  kind: string,
): string {
  const wanted = assertIdPrefix(prefix, kind);
  const matches = known.filter((id) => id.startsWith(wanted));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new MaosError(
      `${kind} '${prefix}' not found`,
      ExitCode.usage,
      `list them with: maos ${
        kind === "checkpoint" ? "recover list" : "orchestration list"
      }`,
    );
  }
  throw new MaosError(
    `${kind} id '${prefix}' is ambiguous: ${
      matches.sort().slice(0, 10).join(", ")
    }${matches.length > 10 ? ", …" : ""}`,
    ExitCode.usage,
    "give more characters of the id",
  );
}
