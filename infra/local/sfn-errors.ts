/**
 * Errors of the local Step Functions API. Each carries the AWS error code the SDK
 * maps to its named exception class (`ExecutionAlreadyExists`, …), so a handler
 * that catches those classes behaves the same locally and in AWS.
 */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException';

/** A client error of the Step Functions API: the server answers it with HTTP 400. */
export class SfnApiError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Fails with `ValidationException` when a required request member is missing, as AWS does. */
export function required(value: string | undefined, member: string): string {
  if (value === undefined || value === '') {
    throw new SfnApiError('ValidationException', `Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}
