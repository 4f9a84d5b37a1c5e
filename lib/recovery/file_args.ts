/**
 * Files named on the command line (export targets, import sources),
 * resolved against the caller's directory and checked before use, so a
 * mistake is a usage error naming the path rather than an errno.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { errnoCode, usageError } from "../../store/errors.ts";

/** Resolve an output file, refusing a folder or a parent that does not exist. */
export function writableTarget(file: string, cwd: string): string {
  const target = path.resolve(cwd, file);
  if (!fs.existsSync(path.dirname(target))) {
    throw usageError(`folder ${path.dirname(target)} does not exist`);
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw usageError(`${target} is a folder`, "give a file name");
  }
  return target;
}

/** The text of an input file; a missing file or a folder is a usage error (exit 2). */
export function readInputText(source: string): string {
  try {
    return fs.readFileSync(source, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") throw usageError(`${source} not found`);
    if (errnoCode(err) === "EISDIR") throw usageError(`${source} is a folder`);
    throw err;
  }
}
