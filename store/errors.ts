/** Exit codes of DESIGN.md §5. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  locked: 3,
  corrupt: 4,
  /** Paused because spending reached the budget. */
  budget: 5,
  paused: 130,
} as const;

export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/**
 * The one error a person sees: a message that names the thing (file, line,
 * id), an optional hint, and the exit code. Only main.ts turns it into stderr.
 *
 * @example
 * throw new MaosError("orchestration 'abcd' not found", ExitCode.usage, "run: maos orchestration list");
 */
export class MaosError extends Error {
  constructor(
    message: string,
    readonly code: ExitCodeValue = ExitCode.failed,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "MaosError";
  }
}

export function usageError(message: string, hint?: string): MaosError {
  return new MaosError(message, ExitCode.usage, hint);
}

export function corruptError(message: string, hint?: string): MaosError {
  return new MaosError(
    message,
    ExitCode.corrupt,
    hint ?? "nothing was changed; run: maos doctor",
  );
}

/** Node's errno code of an error, if any ("ENOENT", "ENOSPC" …). */
export function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  // Some runtimes' node:fs errors carry only the OS message ("… (os error 28)").
  const message = err instanceof Error ? err.message : "";
  return OS_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

const OS_MESSAGES: [RegExp, string][] = [
  [/No space left on device|os error 28\b/, "ENOSPC"],
  [/Read-only file system|os error 30\b/, "EROFS"],
  [/Permission denied|os error 13\b/, "EACCES"],
  [/Operation not permitted|os error 1\b/, "EPERM"],
  [/No such file or directory|os error 2\b/, "ENOENT"],
  [/File exists|os error 17\b/, "EEXIST"],
];

/** Turn disk errors a user can cause (full disk, read-only dir) into one clear line. */
export function diskError(err: unknown, path: string): Error {
  const code = errnoCode(err);
  if (code === "ENOSPC") {
    return new MaosError(
      `disk full while writing ${path}`,
      ExitCode.failed,
      "free some space; everything saved before this point is intact",
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new MaosError(
      `cannot write ${path}: permission denied (${code})`,
      ExitCode.failed,
      "check that the .maos directory is writable",
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** The message of an error, or the thing thrown as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
