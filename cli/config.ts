/**
 * Where `slipway` finds the API and its key: `SLIPWAY_URL` / `SLIPWAY_API_KEY`,
 * else the file `slipway login` wrote ($XDG_CONFIG_HOME/slipway/config.json, or
 * ~/.config/slipway/config.json), which only its owner may read (0600 in a 0700 directory).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError, EXIT, UsageError } from './exit-codes';

export interface Config {
  /** The API's base URL, without `/v1`, e.g. `http://127.0.0.1:8080`. */
  url: string;
  apiKey: string;
}

export interface ConfigSource {
  url?: string;
  apiKey?: string;
  /** Where each value came from, for `slipway config`. */
  from: { url?: string; apiKey?: string };
}

/** The config file's path under `env` (XDG first). */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'slipway', 'config.json');
}

/**
 * `http://host:8080`, `http://host:8080/`, `http://host:8080/v1` → `http://host:8080`.
 * @throws UsageError when `url` is not an http(s) URL
 */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`"${url}" is not an http or https URL`);
  return parsed.href.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function readFile(file: string, warn: (line: string) => void): { url?: string; apiKey?: string } {
  if (!existsSync(file)) return {};
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) warn(`warning: ${file} holds an API key and others may read it (mode ${mode.toString(8)}): run chmod 600 ${file}`);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { url?: unknown; apiKey?: unknown };
    return { url: typeof parsed.url === 'string' ? parsed.url : undefined, apiKey: typeof parsed.apiKey === 'string' ? parsed.apiKey : undefined };
  } catch {
    throw new CliError(`${file} is not valid JSON: run slipway login again`, EXIT.usage);
  }
}

/** What is configured, value by value (environment first), without requiring anything. */
export function configSource(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = () => undefined): ConfigSource {
  const file = configFile(env);
  const saved = readFile(file, warn);
  const url = env.SLIPWAY_URL || saved.url;
  const apiKey = env.SLIPWAY_API_KEY || saved.apiKey;
  return {
    url,
    apiKey,
    from: {
      url: env.SLIPWAY_URL ? 'SLIPWAY_URL' : saved.url ? file : undefined,
      apiKey: env.SLIPWAY_API_KEY ? 'SLIPWAY_API_KEY' : saved.apiKey ? file : undefined,
    },
  };
}

/**
 * The URL and key to call the API with.
 * @throws CliError (exit 3) naming what is missing and how to set it
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, warn?: (line: string) => void): Config {
  const source = configSource(env, warn);
  const missing = [!source.url && 'SLIPWAY_URL', !source.apiKey && 'SLIPWAY_API_KEY'].filter(Boolean);
  if (missing.length) {
    throw new CliError(
      `No ${missing.join(' and no ')} set: export ${missing.join(' and ')}, or run slipway login (npm start prints the lines to paste)`,
      EXIT.notFound,
    );
  }
  return { url: normalizeUrl(source.url!), apiKey: source.apiKey! };
}

/** Writes `config` where {@link configFile} says, readable by its owner only; returns the path. */
export function saveConfig(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(dirname(file), 0o700);
  const partial = `${file}.${process.pid}.tmp`;
  // Created 0600 (the umask can only remove bits), then moved over the old file in one step.
  writeFileSync(partial, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  return file;
}

/** Removes the saved config; true when there was one. */
export function removeConfig(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = configFile(env);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
