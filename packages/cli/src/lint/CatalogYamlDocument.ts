import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  Pair,
  parseAllDocuments,
} from 'yaml';

/** 1-based, as editors and GitHub annotations count. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface YamlError {
  message: string;
  position: SourcePosition;
}

/**
 * One document of a catalog file and where each of its parts was written.
 * Paths are followed through aliases, so a problem in an annotations map
 * written once as an anchor still points at a line of the file.
 */
export class CatalogYamlDocument {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  private at(offset: number | undefined): SourcePosition {
    const { line, col } = this.lines.linePos(offset ?? 0);
    return { line, column: col };
  }

  /** Where the document's content starts (past `---` and comments). */
  get start(): SourcePosition {
    return this.at(this.document.contents?.range[0] ?? this.document.range[0]);
  }

  get errors(): YamlError[] {
    return this.document.errors.map(error => ({
      message: error.message,
      position: this.at(error.pos[0]),
    }));
  }

  /**
   * The document as plain data, as the catalog reads it; an alias bomb or a
   * key that cannot become JSON is an error rather than an exception.
   */
  toData(): { data: unknown } | { error: string } {
    try {
      return { data: this.document.toJSON() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private resolved(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.document) : node;
  }

  /** The entry at a map's key or a list's index, as a pair (an item of a list has no key). */
  private entryOf(
    collection: unknown,
    key: string | number,
  ): Pair<unknown, unknown> | undefined {
    const resolved = this.resolved(collection);
    if (isSeq(resolved) && typeof key === 'number') {
      const item = resolved.items[key];
      return item === undefined ? undefined : new Pair(null, item);
    }
    if (!isMap(resolved)) return undefined;
    // the last of equal keys wins, as in the data
    return [...resolved.items]
      .reverse()
      .find(
        pair =>
          String(isScalar(pair.key) ? pair.key.value : pair.key) ===
          String(key),
      );
  }

  /**
   * Where the value at `path` was written (its key with `part: 'key'`); when
   * the path does not exist, the key of the deepest part that does, so a
   * missing annotation points at `annotations:` or else at `metadata:`.
   */
  positionOf(
    path: (string | number)[],
    part: 'key' | 'value' = 'value',
  ): SourcePosition {
    let node: unknown = this.document.contents;
    let found: Pair<unknown, unknown> | undefined;
    for (const key of path) {
      const pair = this.entryOf(node, key);
      if (!pair) {
        return found ? this.keyPosition(found) : this.start;
      }
      found = pair;
      node = pair.value;
    }
    if (!found) return this.start;
    const value = found.value as Node | null;
    return part === 'value' && value?.range
      ? this.at(value.range[0])
      : this.keyPosition(found);
  }

  private keyPosition(pair: Pair<unknown, unknown>): SourcePosition {
    const node = (pair.key ?? pair.value) as Node | null;
    return this.at(node?.range?.[0]);
  }
}

/**
 * Reads every document of a YAML stream the way the catalog does (no merge
 * keys), keeping the positions. A text that is no YAML at all gives documents
 * carrying errors, never an exception.
 */
export function parseCatalogYaml(text: string): CatalogYamlDocument[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter: lines,
    merge: false,
    prettyErrors: false,
  });
  return Array.from(documents, doc => new CatalogYamlDocument(doc, lines));
}
