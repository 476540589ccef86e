/**
 * CDK DefinitionSubstitutions placeholders (`${CreateInstanceFunctionArn}`) in an ASL
 * definition: the local runner substitutes them with its own task resources, and the
 * tests check with it that every placeholder gets a substitution. Free of
 * aws-local-stepfunctions, so reading placeholders never loads the local engine.
 */

/** A JSON object of an ASL definition. */
export type AslObject = Record<string, unknown>;

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z0-9_]+)\}$/;

/**
 * Every `${Variable}` a definition uses, anywhere (keys included, as CDK's `Fn::Sub`
 * substitutes the whole document), sorted and without duplicates.
 */
export function definitionPlaceholders(definition: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') for (const match of value.matchAll(PLACEHOLDER)) found.add(match[1] ?? '');
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isAslObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        visit(key);
        visit(inner);
      }
    }
  };
  visit(definition);
  return [...found].sort();
}

/** The variable of a value that is exactly one placeholder (as a Task `Resource` is), else undefined. */
export function wholePlaceholder(value: unknown): string | undefined {
  return typeof value === 'string' ? WHOLE_PLACEHOLDER.exec(value)?.[1] : undefined;
}

/** Visits every state, including those of Map item processors (or iterators) and Parallel branches. */
export function forEachState(definition: AslObject, visit: (name: string, state: AslObject) => void): void {
  if (!isAslObject(definition.States)) return;
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isAslObject(state)) continue;
    visit(name, state);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && isAslObject(processor)) forEachState(processor, visit);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isAslObject(branch)) forEachState(branch, visit);
    }
  }
}

function isAslObject(value: unknown): value is AslObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
