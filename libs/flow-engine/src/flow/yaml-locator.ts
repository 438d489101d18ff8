import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A 1-based line and column in a YAML source. */
export interface YamlPosition {
  line: number;
  column: number;
}

/** Finds where a path of a parsed YAML document sits in the source text. */
export class YamlLocator {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Position of the value at `path`, or of the deepest ancestor that exists when the path is
   * missing. With `atKey`, points at the last segment's map key instead of its value.
   */
  locate(path: ReadonlyArray<string | number>, atKey = false): YamlPosition {
    let node: unknown = this.document.contents;
    let position = this.positionOf(node) ?? { line: 1, column: 1 };
    for (const [index, segment] of path.entries()) {
      const isLast = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) return position;
        // `key:` without a value has no value node: the key is the best place to point at.
        if ((isLast && atKey) || pair.value === null) return this.positionOf(pair.key) ?? position;
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) return position;
        node = item;
      } else {
        return position;
      }
      position = this.positionOf(node) ?? position;
    }
    return position;
  }

  private positionOf(node: unknown): YamlPosition | undefined {
    const offset = (node as Node | null)?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}
