/**
 * Counts Connector method calls (the "cloud calls") by wrapping a kind's `open` at
 * runtime: every step and schedule opens its connector through the registry,
 * which hands out the same kind object this module patches.
 */
import type { Connector, ConnectorKind } from '#connectors/contract';

export interface CloudCall {
  at: number;
  ms: number;
  kind: string;
  /** `<connector>#<credential>`: the account the call went to. */
  account: string;
  method: keyof Connector;
  error?: string;
}

export class ConnectorCounter {
  readonly calls: CloudCall[] = [];
  private readonly restores: (() => void)[] = [];

  /** Wraps `kind.open` so every connector it opens records its calls here. */
  watch(kind: ConnectorKind): this {
    const original = kind.open;
    kind.open = (session, deps) => {
      const connector = original.call(kind, session, deps);
      const account = `${session.config.name}#${session.credentialId}`;
      const wrapped = {} as Record<string, unknown>;
      for (const [method, fn] of Object.entries(connector) as [keyof Connector, (...args: unknown[]) => Promise<unknown>][]) {
        wrapped[method] = async (...args: unknown[]) => {
          const call: CloudCall = { at: Date.now(), ms: 0, kind: kind.kind, account, method };
          this.calls.push(call);
          const started = performance.now();
          try {
            return await fn.apply(connector, args);
          } catch (error) {
            call.error = (error as Error).name;
            throw error;
          } finally {
            call.ms = performance.now() - started;
          }
        };
      }
      return wrapped as unknown as Connector;
    };
    this.restores.push(() => (kind.open = original));
    return this;
  }

  mark(): number {
    return this.calls.length;
  }

  since(mark: number): CloudCall[] {
    return this.calls.slice(mark);
  }

  restore(): void {
    for (const restore of this.restores.splice(0)) restore();
  }
}
