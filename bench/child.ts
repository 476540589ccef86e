/**
 * One group of figures in a process of its own (a fresh local stack, counters and
 * memory per group): `tsx bench/child.ts <out.json> <ids…>`. Writes the results
 * as JSON to `<out.json>`; run.ts reads and prints them.
 */
import { writeFileSync } from 'node:fs';
import type { FigureResult } from './support/report';
import { GROUPS, type FigureId } from './groups';
import { liveStacks } from './support/bench-stack';

// run.ts's timeout: stop the stacks (and with them DynamoDB Local's process) before leaving.
process.once('SIGTERM', () => {
  void Promise.allSettled([...liveStacks].map((s) => s.stop())).finally(() => process.exit(143));
});

const [out, ...ids] = process.argv.slice(2) as [string, ...FigureId[]];
const group = GROUPS.find((g) => g.ids.some((id) => ids.includes(id)));
if (!out || !group) throw new Error(`usage: tsx bench/child.ts <out.json> <figure ids of one group>; got ${process.argv.slice(2).join(' ')}`);

const results: FigureResult[] = await group.measure(ids);
writeFileSync(out, JSON.stringify(results, null, 2));
// Handles the stack leaves (SDK sockets, timers) must not keep a finished figure alive.
process.exit(0);
