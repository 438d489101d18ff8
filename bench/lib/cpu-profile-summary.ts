import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** One function's share of the samples of a V8 .cpuprofile. */
export interface ProfileEntry {
  name: string;
  selfPercent: number;
  /** Self plus everything it called (counted once per stack). */
  totalPercent: number;
}

/** The top functions of a V8 CPU profile (`node --cpu-prof`) by self and by total time. */
export function summarizeCpuProfile(
  file: string,
  top = 25,
): { bySelf: ProfileEntry[]; byTotal: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode): string => {
    const file = node.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/main\//, '');
    return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let samples = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    samples += hits;
    self.set(label(node), (self.get(label(node)) ?? 0) + hits);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = label(nodes.get(id)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + hits);
    }
  }
  const rank = (counts: Map<string, number>): ProfileEntry[] =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name]) => ({
        name,
        selfPercent: Math.round(((self.get(name) ?? 0) / samples) * 1000) / 10,
        totalPercent: Math.round(((total.get(name) ?? 0) / samples) * 1000) / 10,
      }));
  return { bySelf: rank(self), byTotal: rank(total) };
}
