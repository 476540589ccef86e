/** asl-validator ships no type declarations; this is the part Slipway's tests use. */
declare module 'asl-validator' {
  export interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  export interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }
  export interface AslValidatorOptions {
    /** @default true */
    checkPaths?: boolean;
    /** @default true */
    checkArn?: boolean;
  }
  export default function aslValidator(definition: object, options?: AslValidatorOptions): AslValidationResult;
}
