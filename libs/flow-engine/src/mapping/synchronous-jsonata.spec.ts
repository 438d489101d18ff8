import jsonata from 'jsonata';
import { LANGUAGE_CASES } from './testing/jsonata-language-cases';
import { shippedFixture, shippedFixtureFiles } from './testing/shipped-mapping-fixtures';
import { MappingEngine } from './mapping-engine';
import {
  AsyncValueNeeded,
  synchronousJsonata,
  synchronousJsonataUnavailableReason,
} from './synchronous-jsonata';

describe('synchronousJsonata', () => {
  it('is available for the installed jsonata (on an upgrade: check the rewrite and list the version as verified)', () => {
    expect(synchronousJsonataUnavailableReason()).toBeUndefined();
    expect(synchronousJsonata()).toBeDefined();
  });

  it('returns the result itself, not a promise', () => {
    const expression = synchronousJsonata()!('$sum(n)');
    expect(expression.evaluate({ n: [1, 2, 3] })).toBe(6);
  });

  it('throws AsyncValueNeeded where a bound function answers with a promise', () => {
    const expression = synchronousJsonata()!('{ "a": 1, "b": $later(n) }');
    expression.registerFunction('later', (n: number) => Promise.resolve(n));
    expect(() => expression.evaluate({ n: 1 })).toThrow(AsyncValueNeeded);
  });

  it.each(LANGUAGE_CASES)(
    'evaluates %s as the original engine does',
    async (_name, source, input) => {
      const original = await outcome(() => jsonata(source).evaluate(input));
      const synchronous = await outcome(async () => synchronousJsonata()!(source).evaluate(input));
      expect(synchronous).toEqual(original);
    },
  );

  it.each(shippedFixtureFiles())(
    'gives the same result as the original engine for every case of %s',
    async (file) => {
      const { fixture, functions } = shippedFixture(file);
      const fast = new MappingEngine(functions).compileFile(fixture.mappingPath);
      const original = new MappingEngine(functions, {}, { synchronousFastPath: false }).compileFile(
        fixture.mappingPath,
      );
      for (const fixtureCase of fixture.cases) {
        const expected = await outcome(() =>
          original.evaluate(fixtureCase.input, fixtureCase.bindings),
        );
        const received = await outcome(() =>
          fast.evaluate(fixtureCase.input, fixtureCase.bindings),
        );
        expect({ case: fixtureCase.name, ...received }).toEqual({
          case: fixtureCase.name,
          ...expected,
        });
      }
    },
  );
});

async function outcome(
  run: () => Promise<unknown>,
): Promise<{ result?: unknown; error?: unknown }> {
  try {
    return { result: JSON.parse(JSON.stringify((await run()) ?? null)) as unknown };
  } catch (error) {
    const details = error as { code?: unknown; message?: unknown; position?: unknown };
    return { error: { code: details.code, message: details.message, position: details.position } };
  }
}
