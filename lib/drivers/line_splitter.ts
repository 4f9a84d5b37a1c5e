/**
 * Turn a byte stream into lines: UTF-8 decoded across chunk boundaries, "\n"
 * or "\r\n" endings removed, and a last line without newline still delivered
 * by `end()`.
 */

/** Lines longer than this are cut into pieces rather than buffered without bound. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

/**
 * Split pushed chunks into lines.
 *
 * @example
 * const lines: string[] = [];
 * const s = new LineSplitter((l) => lines.push(l));
 * s.push(new TextEncoder().encode("a\nb"));
 * s.end(); // lines = ["a", "b"]
 */
export class LineSplitter {
  #decoder = new TextDecoder();
  #buffer = "";

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  /** Feed the next chunk; complete lines are delivered at once. */
  push(chunk: Uint8Array): void {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = this.#buffer.indexOf("\n", start)) !== -1) {
      this.#emit(this.#buffer.slice(start, nl));
      start = nl + 1;
    }
    this.#buffer = this.#buffer.slice(start);
    while (this.#buffer.length > this.maxLineChars) {
      this.onLine(this.#buffer.slice(0, this.maxLineChars));
      this.#buffer = this.#buffer.slice(this.maxLineChars);
    }
  }

  /** The stream ended: deliver a last line that had no newline. */
  end(): void {
    this.#buffer += this.#decoder.decode();
    if (this.#buffer.length > 0) this.#emit(this.#buffer);
    this.#buffer = "";
  }

  #emit(line: string): void {
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}
