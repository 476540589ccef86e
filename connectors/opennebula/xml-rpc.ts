/**
 * The XML-RPC wire format, built and read with fast-xml-parser: a `methodCall`
 * out, a `methodResponse` (params or fault) in. Only the value types OpenNebula
 * uses are written; every scalar type is read, `<i8>` (an xmlrpc-c extension
 * oned sends as the replication index) included.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** A value as XML-RPC carries it. */
export type RpcValue = string | number | boolean | null | RpcValue[] | { [member: string]: RpcValue };

/** An argument to send: strings, integers (`<i4>`) and booleans are all oned's methods take. */
export type RpcArg = string | number | boolean;

/** What came back: the values of `<params>`, or a transport-level `<fault>`. */
export type RpcReply = { kind: 'params'; values: RpcValue[] } | { kind: 'fault'; code: number; message: string };

const builder = new XMLBuilder({});

// Values keep their text as sent (parseTagValue off): a numeric-looking string stays a string.
// trimValues drops the whitespace between elements; no OpenNebula answer relies on edge spaces.
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  ignoreAttributes: true,
  isArray: (name) => name === 'value' || name === 'param' || name === 'member',
});

function encodeArg(arg: RpcArg): Record<string, string | number> {
  if (typeof arg === 'boolean') return { boolean: arg ? 1 : 0 };
  if (typeof arg === 'number') {
    if (!Number.isInteger(arg)) throw new Error(`XML-RPC argument ${arg} is not an integer`);
    return { i4: arg };
  }
  return { string: arg };
}

/** The request body for `method(...args)`; text is XML-escaped by the builder. */
export function buildMethodCall(method: string, args: RpcArg[]): string {
  const body = builder.build({
    methodCall: {
      methodName: method,
      params: { param: args.map((arg) => ({ value: encodeArg(arg) })) },
    },
  });
  return `<?xml version="1.0"?>\n${body}`;
}

type Node = unknown;

function first(node: Node): Node {
  return Array.isArray(node) ? node[0] : node;
}

/** Turns one parsed `<value>` into a JS value; an untyped value is a string (XML-RPC spec). */
export function decodeValue(node: Node): RpcValue {
  if (node === undefined || node === null || node === '') return '';
  if (typeof node === 'string') return node;
  const [type, content] = Object.entries(node as Record<string, Node>)[0] ?? ['string', ''];
  switch (type) {
    case 'string':
      return typeof content === 'string' ? content : '';
    case 'int':
    case 'i4':
    case 'i8':
    case 'double':
      return Number(content);
    case 'boolean':
      return content === '1' || content === 'true';
    case 'nil':
      return null;
    case 'array': {
      const values = typeof content === 'object' && content !== null ? ((content as { data?: { value?: Node[] } }).data?.value ?? []) : [];
      return (Array.isArray(values) ? values : [values]).map(decodeValue);
    }
    case 'struct': {
      const members = typeof content === 'object' && content !== null ? ((content as { member?: { name: string; value: Node }[] }).member ?? []) : [];
      return Object.fromEntries(members.map((m) => [String(m.name), decodeValue(first(m.value))]));
    }
    default:
      return typeof content === 'string' ? content : '';
  }
}

/**
 * Reads a `methodResponse`.
 * @throws Error when the text is not a methodResponse (a proxy's HTML page, a truncated body).
 */
export function parseMethodResponse(text: string): RpcReply {
  const doc = parser.parse(text) as {
    methodResponse?: {
      params?: { param?: { value: Node }[] };
      fault?: { value: Node };
    };
  };
  const response = doc?.methodResponse;
  if (response === undefined || typeof response !== 'object') throw new Error('the answer is not an XML-RPC methodResponse');
  if (response.fault !== undefined) {
    const fault = decodeValue(first(response.fault.value)) as {
      faultCode?: unknown;
      faultString?: unknown;
    };
    return {
      kind: 'fault',
      code: Number(fault?.faultCode ?? 0),
      message: String(fault?.faultString ?? ''),
    };
  }
  const params = response.params?.param ?? [];
  return {
    kind: 'params',
    values: params.map((p) => decodeValue(first(p.value))),
  };
}
