import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
} from 'yaml';
import { MappingFixtureError } from './mapping-fixture-error';
import {
  type FxRateRow,
  FxRateTableError,
  type MappingFunctionTables,
  TableMappingFunctions,
} from './table-mapping-functions';

/** One case of a mapping test file. */
export interface MappingFixtureCase {
  name: string;
  input: unknown;
  bindings?: Record<string, unknown>;
  /** Deep-equal expectation, or a substring the error message must contain. */
  expect: { result: unknown } | { errorContaining: string };
}

/** A mapping test file, checked: the mapping it tests, its function tables and its cases. */
export interface MappingFixtureFile {
  file: string;
  mappingPath: string;
  tables?: MappingFunctionTables;
  cases: MappingFixtureCase[];
}

type PathSegment = string | number;

const TOP_KEYS = ['mapping', 'functions', 'cases'];
const FUNCTION_KEYS = ['lookups', 'rates'];
const RATE_KEYS = ['from', 'to', 'rate', 'validFrom', 'validTo'];
const CASE_KEYS = ['name', 'input', 'bindings', 'expected', 'expectError'];

/** Reads and checks a mapping test file; anything wrong is a MappingFixtureError naming file, YAML path and line. */
export function readMappingFixtureFile(file: string): MappingFixtureFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MappingFixtureError(
      file,
      '',
      0,
      0,
      `cannot read the test file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return new FixtureReader(file, text).read();
}

class FixtureReader {
  private readonly lineCounter = new LineCounter();
  private readonly document: Document;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.lineCounter });
  }

  read(): MappingFixtureFile {
    const [syntaxError] = this.document.errors;
    if (syntaxError !== undefined) {
      const position = syntaxError.linePos?.[0] ?? { line: 1, col: 1 };
      const reason =
        syntaxError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ??
        syntaxError.code;
      throw new MappingFixtureError(
        this.file,
        '',
        position.line,
        position.col,
        `invalid YAML: ${reason}`,
      );
    }
    const root = this.map(this.document.contents, []);
    this.onlyKeys(root, [], TOP_KEYS);
    const tables = this.tables(root);
    return {
      file: this.file,
      mappingPath: this.mappingPath(root),
      ...(tables === undefined ? {} : { tables }),
      cases: this.cases(root),
    };
  }

  private mappingPath(root: YAMLMap): string {
    const written = root.get('mapping', true) as Node | undefined;
    if (written !== undefined) {
      const mappingPath = resolve(dirname(this.file), this.text(written, ['mapping']));
      if (!existsSync(mappingPath))
        this.fail(written, ['mapping'], `no such mapping file: ${mappingPath}`);
      return mappingPath;
    }
    const name = basename(this.file);
    if (!/\.test\.ya?ml$/.test(name)) {
      this.fail(
        root,
        [],
        `cannot tell which mapping ${name} tests: name it <entity>.test.yaml or set "mapping:"`,
      );
    }
    const mappingPath = resolve(dirname(this.file), name.replace(/\.test\.ya?ml$/, '.jsonata'));
    if (!existsSync(mappingPath)) {
      this.fail(
        root,
        [],
        `no ${basename(mappingPath)} beside this test file: add it, or name the mapping with "mapping:"`,
      );
    }
    return mappingPath;
  }

  private tables(root: YAMLMap): MappingFunctionTables | undefined {
    const node = root.get('functions', true) as Node | undefined;
    if (node === undefined) return undefined;
    const functions = this.map(node, ['functions']);
    this.onlyKeys(functions, ['functions'], FUNCTION_KEYS);
    const tables: MappingFunctionTables = {};

    const lookupsNode = functions.get('lookups', true) as Node | undefined;
    if (lookupsNode !== undefined) {
      const path = ['functions', 'lookups'];
      tables.lookups = {};
      for (const namespacePair of this.map(lookupsNode, path).items) {
        const namespace = this.keyText(namespacePair.key, path);
        const entries: Record<string, string> = {};
        for (const entry of this.map(namespacePair.value, [...path, namespace]).items) {
          const id = this.keyText(entry.key, [...path, namespace]);
          entries[id] = this.text(entry.value, [...path, namespace, id]);
        }
        tables.lookups[namespace] = entries;
      }
    }

    const ratesNode = functions.get('rates', true) as Node | undefined;
    if (ratesNode !== undefined) {
      const path = ['functions', 'rates'];
      if (!isSeq(ratesNode))
        this.fail(ratesNode, path, 'must be a list of { from, to, rate, validFrom?, validTo? }');
      tables.rates = ratesNode.items.map((item, index) => this.rate(item, [...path, index]));
      try {
        // Building the table is what checks its rows; here it also tells which row and field to point at.
        new TableMappingFunctions(tables);
      } catch (error) {
        if (!(error instanceof FxRateTableError)) throw error;
        const rowPath = [...path, error.row];
        const problem = error.message.slice(error.message.indexOf(': ') + 2);
        this.fail(
          this.nodeAt([...rowPath, error.field]) ?? this.nodeAt(rowPath),
          [...rowPath, error.field],
          problem,
        );
      }
    }
    return tables;
  }

  private rate(node: unknown, path: PathSegment[]): FxRateRow {
    const row = this.map(node, path);
    this.onlyKeys(row, path, RATE_KEYS);
    const field = (name: string, required: boolean): string | undefined => {
      const value = row.get(name, true) as Node | undefined;
      if (value === undefined) {
        if (required) this.fail(row, path, `"${name}" is missing`);
        return undefined;
      }
      // A rate written as a plain number keeps its exact text: 1.10 stays "1.10", never a binary float.
      if (isScalar(value) && typeof value.value === 'number' && typeof value.source === 'string')
        return value.source;
      return this.text(value, [...path, name]);
    };
    const from = field('from', true) as string;
    const to = field('to', true) as string;
    const rate = field('rate', true) as string;
    const validFrom = field('validFrom', false);
    const validTo = field('validTo', false);
    return {
      from,
      to,
      rate,
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validTo === undefined ? {} : { validTo }),
    };
  }

  private cases(root: YAMLMap): MappingFixtureCase[] {
    const node = root.get('cases', true) as Node | undefined;
    if (node === undefined)
      this.fail(
        root,
        [],
        '"cases" is missing: list at least one case with name, input and expected or expectError',
      );
    if (!isSeq(node) || node.items.length === 0)
      this.fail(node, ['cases'], 'must be a non-empty list of cases');
    const names = new Set<string>();
    return node.items.map((item, index) => {
      const path: PathSegment[] = ['cases', index];
      const entry = this.map(item, path);
      this.onlyKeys(entry, path, CASE_KEYS);
      const nameNode = entry.get('name', true) as Node | undefined;
      if (nameNode === undefined) this.fail(entry, path, '"name" is missing');
      const name = this.text(nameNode, [...path, 'name']);
      if (name.trim() === '') this.fail(nameNode, [...path, 'name'], 'must not be empty');
      if (names.has(name))
        this.fail(nameNode, [...path, 'name'], `another case is already named "${name}"`);
      names.add(name);

      if (!entry.has('input'))
        this.fail(
          entry,
          path,
          '"input" is missing (write "input: null" for a mapping that reads no input)',
        );
      const input = this.value(entry.get('input', true));

      const bindingsNode = entry.get('bindings', true) as Node | undefined;
      const bindings =
        bindingsNode === undefined
          ? undefined
          : (this.value(this.map(bindingsNode, [...path, 'bindings'])) as Record<string, unknown>);

      const hasExpected = entry.has('expected');
      const errorNode = entry.get('expectError', true) as Node | undefined;
      if (hasExpected === (errorNode !== undefined)) {
        this.fail(
          entry,
          path,
          hasExpected
            ? 'has both "expected" and "expectError": keep one'
            : 'needs "expected" (the output) or "expectError" (part of the error message)',
        );
      }
      let expectation: MappingFixtureCase['expect'];
      if (errorNode !== undefined) {
        const errorContaining = this.text(errorNode, [...path, 'expectError']);
        if (errorContaining === '')
          this.fail(
            errorNode,
            [...path, 'expectError'],
            'must not be empty: every error message contains ""',
          );
        expectation = { errorContaining };
      } else {
        expectation = { result: this.value(entry.get('expected', true)) };
      }
      return { name, input, ...(bindings === undefined ? {} : { bindings }), expect: expectation };
    });
  }

  private value(node: unknown): unknown {
    // `key:` with nothing after it has no node at all: that is YAML's null.
    if (node === null || node === undefined) return null;
    return (node as Node).toJS(this.document) as unknown;
  }

  private map(node: unknown, path: PathSegment[]): YAMLMap {
    if (!isMap(node))
      this.fail(node, path, `must be a mapping (key: value), got ${this.kindOf(node)}`);
    return node;
  }

  private text(node: unknown, path: PathSegment[]): string {
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.fail(
        node,
        path,
        `must be a string, got ${this.kindOf(node)}${isScalar(node) && node.value !== null ? ' (quote it)' : ''}`,
      );
    }
    return node.value;
  }

  private keyText(node: unknown, path: PathSegment[]): string {
    if (!isScalar(node) || !(typeof node.value === 'string' || typeof node.value === 'number')) {
      this.fail(node, path, `keys must be plain strings or numbers, got ${this.kindOf(node)}`);
    }
    return String(node.value);
  }

  private onlyKeys(map: YAMLMap, path: PathSegment[], allowed: string[]): void {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (allowed.includes(key)) continue;
      const nearest = closest(key, allowed);
      const hint =
        distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3))
          ? `did you mean "${nearest}"? `
          : '';
      this.fail(
        pair.key,
        [...path, key],
        `unknown key: ${hint}expected one of ${allowed.join(', ')}`,
      );
    }
  }

  private nodeAt(path: PathSegment[]): Node | undefined {
    const node: unknown = this.document.getIn(path, true);
    return node !== null && typeof node === 'object' ? (node as Node) : undefined;
  }

  private kindOf(node: unknown): string {
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (isScalar(node))
      return node.value === null ? 'nothing' : `${typeof node.value} ${JSON.stringify(node.value)}`;
    return 'nothing';
  }

  private fail(node: unknown, path: PathSegment[], problem: string): never {
    const offset = (node as Node | null | undefined)?.range?.[0];
    const { line, col } =
      offset === undefined ? { line: 1, col: 1 } : this.lineCounter.linePos(offset);
    throw new MappingFixtureError(this.file, formatPath(path), line, col, problem);
  }
}

/** `cases[1].expected`, `functions.lookups.payoneer-payee`. */
function formatPath(path: PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}
