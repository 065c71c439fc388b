import { parseCatalogYaml } from './CatalogYamlDocument';

const TEXT = `# leading comment
kind: Component
metadata:
  name: a
  labels: &shared
    tier: gold
  annotations: *shared
spec:
  targets:
    - ./one.yaml
    - ./two.yaml
---
---
kind: Group
`;

describe('CatalogYamlDocument', () => {
  const [first, empty, second] = parseCatalogYaml(TEXT);

  it('reads every document of the stream, each from its own start', () => {
    expect(parseCatalogYaml(TEXT)).toHaveLength(3);
    expect(first.start).toEqual({ line: 2, column: 1 });
    expect(empty.toData()).toEqual({ data: null });
    expect(second.start).toEqual({ line: 14, column: 1 });
    expect(second.toData()).toEqual({ data: { kind: 'Group' } });
  });

  it('places a value, or its key when asked', () => {
    expect(first.positionOf(['metadata', 'name'])).toEqual({
      line: 4,
      column: 9,
    });
    expect(first.positionOf(['metadata', 'name'], 'key')).toEqual({
      line: 4,
      column: 3,
    });
  });

  it('follows an alias to the map it names', () => {
    expect(first.positionOf(['metadata', 'annotations', 'tier'])).toEqual({
      line: 6,
      column: 11,
    });
  });

  it('places list items by index', () => {
    expect(first.positionOf(['spec', 'targets', 1])).toEqual({
      line: 11,
      column: 7,
    });
  });

  it('places a missing path at the key of its deepest existing part', () => {
    expect(first.positionOf(['metadata', 'annotations', 'nope'])).toEqual({
      line: 7,
      column: 3,
    });
    expect(first.positionOf(['status', 'items'])).toEqual(first.start);
    expect(second.positionOf(['metadata', 'annotations', 'x'])).toEqual(
      second.start,
    );
  });

  it('reports syntax errors with their position instead of throwing', () => {
    const [broken] = parseCatalogYaml('a: 1\nb: [2\nc: 3\n');
    expect(broken.errors).toEqual([
      expect.objectContaining({ position: { line: 3, column: 1 } }),
    ]);
  });

  it('turns an alias bomb into an error rather than an exception', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const name = String.fromCharCode(98 + i);
        return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join('\n');
    const [document] = parseCatalogYaml(bomb);
    expect(document.toData()).toEqual({ error: expect.any(String) });
  });
});
