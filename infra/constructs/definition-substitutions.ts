/**
 * Which task functions a state machine definition calls, read from its
 * `${<Name>FunctionArn}` placeholders, so CDK substitutes and grants exactly those.
 */
import { TASK_FUNCTIONS, substitutionVariable, type TaskFunctionName } from '#infra/state-machines/task-functions';

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** The distinct `${...}` variable names in a definition, in order of first use. */
export function placeholdersIn(definition: object): string[] {
  const json = JSON.stringify(definition);
  return [...new Set(Array.from(json.matchAll(PLACEHOLDER), (match) => match[1] ?? ''))];
}

/**
 * The task functions a definition uses.
 * @throws Error naming the placeholder when one is not a known task function's variable.
 */
export function taskFunctionsUsedBy(definition: object): TaskFunctionName[] {
  const byVariable = new Map((Object.keys(TASK_FUNCTIONS) as TaskFunctionName[]).map((name) => [substitutionVariable(name), name]));
  return placeholdersIn(definition).map((variable) => {
    const name = byVariable.get(variable);
    if (name === undefined) throw new Error(`State machine definition uses unknown substitution \${${variable}}`);
    return name;
  });
}
