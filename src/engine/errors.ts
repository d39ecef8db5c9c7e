import { MAX_FILE_BYTES } from '../fs.js';

/**
 * A problem that stops a run before any linting: a path that cannot be read,
 * a bad argument, an invalid config file. The CLI prints `message` on one line
 * and exits 2; never a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** "ENOENT: no such file..." → "No such file or directory", for one-line messages. */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'Too many open files';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EROFS':
      return 'Read-only file system';
    case 'EFBIG':
      return `File too large (nginx-lint reads files of up to ${MAX_FILE_BYTES / 2 ** 20} MiB)`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
