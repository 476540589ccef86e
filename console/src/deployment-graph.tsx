/**
 * A deployment's nodes as a graph, in inline SVG: a column per dependency level
 * (a node sits right of every node whose outputs it takes), an arrow per input
 * mapping labelled `input ← output`, and, on a run page, each instance's state and address.
 */
import { useId } from 'preact/hooks';
import type { DeploymentNode, Instance } from './types';

export interface Edge {
  from: string;
  to: string;
  input: string;
  output: string;
}

/** The parameter edges of `nodes`: `web.inputs.db_host = "db:hostname"` is db → web. */
export function edgesOf(nodes: DeploymentNode[]): Edge[] {
  const names = new Set(nodes.map((n) => n.name));
  return nodes.flatMap((node) =>
    Object.entries(node.inputs ?? {}).flatMap(([input, source]) => {
      const [from, output] = source.split(':');
      return from && output && names.has(from) ? [{ from, to: node.name, input, output }] : [];
    }),
  );
}

/** Each node's column: 0 for nodes that take nothing, else one more than the deepest node they take from. */
export function levelsOf(nodes: DeploymentNode[], edges: Edge[]): Map<string, number> {
  const level = new Map(nodes.map((n) => [n.name, 0]));
  // The API refuses cyclic deployments; the bound keeps a bad one from looping here anyway.
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const edge of edges) {
      const next = (level.get(edge.from) ?? 0) + 1;
      if (next > (level.get(edge.to) ?? 0)) {
        level.set(edge.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return level;
}

const BOX_WIDTH = 260;
const COLUMN_GAP = 170;
const ROW_GAP = 28;
const HEADER = 44;
const LINE = 18;
const PAD = 16;

/** `text` cut to `max` characters, so it stays inside its box. */
const fit = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function DeploymentGraph(props: { name: string; nodes: DeploymentNode[]; instances?: Instance[]; imageNames?: Map<string, string> }) {
  const { name, nodes, instances } = props;
  const markerId = `arrow-${useId()}`;
  const imageName = (image: string) => props.imageNames?.get(image) ?? image;
  const edges = edgesOf(nodes);
  const levels = levelsOf(nodes, edges);
  const instancesOf = (node: string) => (instances ?? []).filter((i) => i.node === node).sort((a, b) => a.index - b.index);
  const heightOf = (node: DeploymentNode) => HEADER + (instances ? Math.max(instancesOf(node.name).length, 1) * LINE + 8 : 0);

  const boxes = new Map<string, { x: number; y: number; height: number }>();
  const columnHeights: number[] = [];
  for (const node of nodes) {
    const column = levels.get(node.name) ?? 0;
    const y = columnHeights[column] ?? PAD;
    const height = heightOf(node);
    boxes.set(node.name, { x: PAD + column * (BOX_WIDTH + COLUMN_GAP), y, height });
    columnHeights[column] = y + height + ROW_GAP;
  }
  const width = PAD * 2 + (Math.max(...levels.values(), 0) + 1) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP;
  const height = Math.max(...columnHeights.map((h) => h - ROW_GAP), 0) + PAD;
  const summary = edges.length ? edges.map((e) => `${e.from} → ${e.to} (${e.input} ← ${e.output})`).join(', ') : 'no parameter edges';

  return (
    <figure class="graph">
      <svg role="img" aria-label={`Graph of ${name}: ${nodes.length} node(s), ${summary}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
        <defs>
          <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
          </marker>
        </defs>
        {edges.map((edge) => {
          const from = boxes.get(edge.from)!;
          const to = boxes.get(edge.to)!;
          const [x1, y1] = [from.x + BOX_WIDTH, from.y + HEADER / 2];
          const [x2, y2] = [to.x, to.y + HEADER / 2];
          const bend = Math.max((x2 - x1) / 2, 40);
          return (
            <g key={`${edge.from}-${edge.to}-${edge.input}`} class="edge">
              <path d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`} marker-end={`url(#${markerId})`} />
              <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 6} text-anchor="middle">
                {`${edge.input} ← ${edge.output}`}
              </text>
            </g>
          );
        })}
        {nodes.map((node) => {
          const box = boxes.get(node.name)!;
          return (
            <g key={node.name} class="node" transform={`translate(${box.x} ${box.y})`}>
              <rect width={BOX_WIDTH} height={box.height} rx="8" />
              <text x="12" y="20" class="node-name">
                {fit(node.name, 20)}
                <tspan class="node-meta">{`  ${fit(imageName(node.image), 20)} × ${node.multiplicity}`}</tspan>
              </text>
              <text x="12" y="36" class="node-meta">
                {node.connector ? `on ${node.connector}` : 'on the run’s connector'}
                {node.instanceType ? `, ${node.instanceType}` : ''}
              </text>
              {instances
                ? instancesOf(node.name).map((instance, i) => (
                    <text key={instance.name} x="12" y={HEADER + 14 + i * LINE} class={`instance vm-${instance.state}`}>
                      {`${instance.name}  ${instance.state}${instance.ready ? ' ✓' : ''}  ${instance.ip ?? ''}`}
                    </text>
                  ))
                : null}
              {instances && !instancesOf(node.name).length ? (
                <text x="12" y={HEADER + 14} class="node-meta">
                  no instance yet
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
