/**
 * Stamps of snapshot files: triage threads read the files the main thread read, and must find them unchanged. Kept
 * apart from context.ts so that stamping at start-up loads neither node:v8 nor the thread code.
 */
import { statSync } from 'node:fs';

/** What identifies one version of a file. */
export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * Stamps of `paths` when every one is a regular file (a directory's files or stdin are not stamped: those snapshots
 * are sent whole), else undefined.
 */
export function stampFiles(paths: string[]): FileStamp[] | undefined {
  const stamps: FileStamp[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return undefined;
    }
    if (!stats.isFile()) return undefined;
    stamps.push({ path, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino });
  }
  return stamps;
}

/** The first file whose stamp no longer matches (changed, replaced or gone), or undefined when all are as stamped. */
export function changedFile(stamps: FileStamp[]): string | undefined {
  return stamps.find((s) => {
    const now = stampFiles([s.path])?.[0];
    return !now || now.size !== s.size || now.mtimeMs !== s.mtimeMs || now.ino !== s.ino;
  })?.path;
}

