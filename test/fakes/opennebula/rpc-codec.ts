/**
 * The fake's side of XML-RPC: reads a methodCall, writes a methodResponse the way
 * oned does (`[true, value, 0]`, or `[false, message, code, objectId, -1 as i8]`
 * since 5.10). Written apart from the connector's codec so both are not wrong together.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type FakeArg = string | number | boolean;

const parser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'param' || name === 'value',
});
const builder = new XMLBuilder({});

function readValue(value: unknown): FakeArg {
  if (typeof value === 'string') return value;
  const [type, text] = Object.entries((value ?? {}) as Record<string, string>)[0] ?? ['string', ''];
  if (type === 'boolean') return text === '1';
  if (type === 'int' || type === 'i4' || type === 'i8') return Number(text);
  return String(text ?? '');
}

/** The method name and scalar arguments of a call, or undefined when the body is not a methodCall. */
export function readMethodCall(body: string): { method: string; args: FakeArg[] } | undefined {
  try {
    const doc = parser.parse(body) as {
      methodCall?: {
        methodName?: string;
        params?: { param?: { value: unknown[] }[] } | '';
      };
    };
    const call = doc.methodCall;
    if (!call?.methodName) return undefined;
    const params = typeof call.params === 'object' ? (call.params.param ?? []) : [];
    return {
      method: call.methodName,
      args: params.map((p) => readValue(p.value[0])),
    };
  } catch {
    return undefined;
  }
}

function envelope(values: Record<string, unknown>[]): string {
  const body = builder.build({
    methodResponse: {
      params: { param: { value: { array: { data: { value: values } } } } },
    },
  });
  return `<?xml version="1.0"?>\n${body}`;
}

/** A success: `[true, value, 0]`; a string value is XML-escaped by the builder, as oned's payloads are. */
export function successResponse(value: string | number): string {
  return envelope([{ boolean: 1 }, typeof value === 'number' ? { i4: value } : { string: value }, { i4: 0 }]);
}

/** A failure with OpenNebula's five values (5.10 and later). */
export function failureResponse(message: string, code: number, objectId = -1): string {
  return envelope([{ boolean: 0 }, { string: message }, { i4: code }, { i4: objectId }, { i8: -1 }]);
}

/** A transport-level fault, as xmlrpc-c sends for an unknown method. */
export function faultResponse(code: number, message: string): string {
  const member = (name: string, value: Record<string, unknown>) => ({
    name,
    value,
  });
  const body = builder.build({
    methodResponse: {
      fault: {
        value: {
          struct: {
            member: [member('faultCode', { int: code }), member('faultString', { string: message })],
          },
        },
      },
    },
  });
  return `<?xml version="1.0"?>\n${body}`;
}
