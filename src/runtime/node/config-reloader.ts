/**
 * Config hot reload for `upstate serve` (SIGHUP, `--watch`): the file is loaded and validated in
 * full by the same loader as at start-up, then handed to the running server. A config that does
 * not load changes nothing: every error is logged with file:line, and `/healthz` and the
 * `upstate_config_reload*` metrics say the last reload failed until one succeeds. Settings that
 * only take effect at start-up (see `restartNeeded`) are logged as needing a restart while the
 * rest of the reload still applies.
 *
 * Reloads run one at a time; triggers that arrive meanwhile (an editor's several writes, a SIGHUP
 * during a watch reload) fold into one more reload after the current one.
 * @module
 */
import { ConfigError, formatIssue } from '../../config/config-error.ts';
import type { UpstateConfig } from '../../config/types.ts';
import type { AppMetrics } from '../../http/metrics.ts';

/** What the reloader logs through (pino-compatible). */
interface ReloadLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ConfigReloaderDeps {
  /** The config file as given on the command line (for log lines). */
  file: string;
  /** The config the process started with. */
  initial: UpstateConfig;
  /** Loads and validates the file (throws `ConfigError` listing every issue). */
  load(): Promise<UpstateConfig>;
  /** Applies a valid config to the running server; throws when it cannot (nothing changed). */
  apply(config: UpstateConfig): Promise<void>;
  /** Settings whose change needs a restart, as `name: was → now` lines (empty: none changed). */
  restartNeeded(running: UpstateConfig, next: UpstateConfig): string[];
  logger: ReloadLogger;
  metrics: Pick<AppMetrics, 'configLoaded' | 'observeConfigReload'>;
  now(): number;
}

/** The last reload as `/healthz` shows it. */
interface ReloadHealth {
  /** `none` until the first reload; `failed` while the previous config still runs. */
  lastReload: 'none' | 'success' | 'failure';
  /** When the running config was loaded (ISO). */
  loadedAt: string;
  lastReloadAt?: string;
  trigger?: string;
  /** Why the last reload failed: `file:line path: message` lines. */
  errors?: string[];
  /** Settings changed in the file that take effect only after a restart. */
  restartNeeded?: string[];
  /** Checks in the running config. */
  checks: number;
}

export interface ConfigReloader {
  /** Reloads now (or right after the reload in progress); resolves with whether it applied. */
  reload(trigger: string): Promise<boolean>;
  /** The `config` field of `/healthz`. */
  health(): ReloadHealth;
}

/** Most error lines kept for `/healthz` (all of them are logged). */
const MAX_HEALTH_ERRORS = 50;

export function createConfigReloader(deps: ConfigReloaderDeps): ConfigReloader {
  const { logger } = deps;
  let running = deps.initial;
  let health: ReloadHealth = { lastReload: 'none', loadedAt: iso(deps.now()), checks: running.checks.length };
  deps.metrics.configLoaded(deps.now());
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<boolean> | undefined;

  function failed(trigger: string, at: number, errors: string[]): false {
    health = { ...health, lastReload: 'failure', lastReloadAt: iso(at), trigger, errors: errors.slice(0, MAX_HEALTH_ERRORS), restartNeeded: undefined };
    deps.metrics.observeConfigReload(false, at);
    logger.error({ trigger, file: deps.file, errors: errors.length }, `config reload failed (${errors.length} error${errors.length === 1 ? '' : 's'}); the previous config keeps running`);
    return false;
  }

  async function attempt(trigger: string): Promise<boolean> {
    const at = deps.now();
    logger.info({ trigger, file: deps.file }, 'config reload: loading');
    let next: UpstateConfig;
    try {
      next = await deps.load();
    } catch (error) {
      const lines = error instanceof ConfigError ? error.issues.map(formatIssue) : [`${deps.file}: ${(error as Error)?.message ?? String(error)}`];
      // one line per error, each with its file:line, so none hides in a long message
      for (const line of lines) logger.error({ trigger, error: line }, `config reload: ${line}`);
      return failed(trigger, at, lines);
    }
    const restart = deps.restartNeeded(running, next);
    try {
      await deps.apply(next);
    } catch (error) {
      const line = `${deps.file}: could not apply: ${(error as Error)?.message ?? String(error)}`;
      logger.error({ trigger, err: error }, `config reload: ${line}`);
      return failed(trigger, at, [line]);
    }
    for (const setting of restart) {
      logger.warn({ trigger, setting }, `config reload: ${setting} needs a restart to take effect; the rest of the new config is applied`);
    }
    const before = new Set(running.checks.map((check) => check.name));
    const after = new Set(next.checks.map((check) => check.name));
    running = next;
    health = {
      lastReload: 'success', loadedAt: iso(at), lastReloadAt: iso(at), trigger, checks: next.checks.length,
      restartNeeded: restart.length ? restart : undefined,
    };
    deps.metrics.observeConfigReload(true, at);
    logger.info(
      {
        trigger,
        checks: next.checks.length,
        added: [...after].filter((name) => !before.has(name)),
        removed: [...before].filter((name) => !after.has(name)),
      },
      'config reloaded',
    );
    return true;
  }

  return {
    reload(trigger) {
      if (queued) return queued;
      const next = tail.then(() => {
        queued = undefined;
        return attempt(trigger);
      });
      queued = next;
      tail = next.catch(() => {});
      return next;
    },
    health: () => health,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
