/**
 * `upstate serve --watch`: calls `onChange` once the config file's content has changed and then
 * stayed quiet for `debounceMs`. It watches the file's folder, not the file: editors that save by
 * writing a new file and renaming it over the old one (vim, many IDEs) and Kubernetes, which swaps
 * a ConfigMap volume's `..data` symlink, replace the inode a file watch would be bound to. A slow
 * stat poll backs the folder watch up on file systems that send no events (some network and
 * bind mounts). Every event only arms the timer; the content hash decides, so touching the file
 * or events for other files in the folder never reload.
 * @module
 */
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';

export interface ConfigWatcherOptions {
  /** Quiet time after the last event before the file is read (default 500 ms). */
  debounceMs?: number;
  /** Interval of the stat poll (default 2 s). */
  pollMs?: number;
  /** Told when the folder watch fails (the poll carries on). */
  onError?(error: unknown): void;
}

export interface ConfigWatcher {
  close(): void;
}

/** Starts watching `path`; the content at start is the baseline. */
export async function watchConfigFile(path: string, onChange: () => void, options: ConfigWatcherOptions = {}): Promise<ConfigWatcher> {
  const file = resolve(path);
  const debounceMs = options.debounceMs ?? 500;
  let last = await hashOf(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = async () => {
    timer = undefined;
    const now = await hashOf(file);
    // a missing file (mid-rename) is not a change: the rename's own event follows
    if (closed || now === undefined || now === last) return;
    last = now;
    onChange();
  };
  const poke = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void settle(), debounceMs);
    timer.unref();
  };

  let folder: FSWatcher | undefined;
  try {
    folder = watch(dirname(file), { persistent: false }, poke);
    folder.on('error', (error) => options.onError?.(error));
  } catch (error) {
    options.onError?.(error);
  }
  watchFile(file, { persistent: false, interval: options.pollMs ?? 2_000 }, poke);

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      folder?.close();
      unwatchFile(file, poke);
    },
  };
}

async function hashOf(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return undefined;
  }
}
