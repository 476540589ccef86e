/** The XML-RPC codec: methodCall out, methodResponse in. */
import { describe, expect, it } from 'vitest';
import { buildMethodCall, parseMethodResponse } from '#connectors/opennebula/xml-rpc';
import { readMethodCall } from '#test/fakes/opennebula/rpc-codec';
import { failure, fault, fixture, ok } from './support/recorded-oned';

describe('XML-RPC codec', () => {
  it('writes strings, integers and booleans as typed params, escaping text', () => {
    // Act
    const xml = buildMethodCall('one.vm.allocate', ['u:p<&>"', 7, false]);

    // Assess
    expect(xml).toContain('<methodName>one.vm.allocate</methodName>');
    expect(xml).toContain('<string>u:p&lt;&amp;&gt;&quot;</string>');
    expect(xml).toContain('<i4>7</i4>');
    expect(xml).toContain('<boolean>0</boolean>');
    expect(readMethodCall(xml)).toEqual({
      method: 'one.vm.allocate',
      args: ['u:p<&>"', 7, false],
    });
  });

  it('refuses a non-integer number rather than sending a type oned does not take', () => {
    // Act
    const build = () => buildMethodCall('one.vm.info', [1.5]);

    // Assess
    expect(build).toThrow(/not an integer/);
  });

  it('reads a success reply with an escaped payload back to the payload text', () => {
    // Prepare
    const payload = fixture('vm.xml');

    // Act
    const reply = parseMethodResponse(ok(payload).body);

    // Assess
    expect(reply).toEqual({
      kind: 'params',
      values: [[true, payload.trim(), 0]],
    });
  });

  it('reads the five-value failure of OpenNebula 5.10+, its <i8> replication index included', () => {
    // Act
    const reply = parseMethodResponse(
      failure('[one.vm.info] Error getting virtual machine [42].', 0x400, {
        objectId: 42,
      }).body,
    );

    // Assess
    expect(reply).toEqual({
      kind: 'params',
      values: [[false, '[one.vm.info] Error getting virtual machine [42].', 1024, 42, -1]],
    });
  });

  it('reads an untyped <value> as a string, as the XML-RPC spec says', () => {
    // Act
    const reply = parseMethodResponse(
      '<methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value>plain</value></data></array></value></param></params></methodResponse>',
    );

    // Assess
    expect(reply).toEqual({ kind: 'params', values: [[true, 'plain']] });
  });

  it('reads a fault into its code and message', () => {
    // Act
    const reply = parseMethodResponse(fault(-506, "Method 'one.vmpool.infoextended' not defined").body);

    // Assess
    expect(reply).toEqual({
      kind: 'fault',
      code: -506,
      message: "Method 'one.vmpool.infoextended' not defined",
    });
  });

  it('refuses a body that is not a methodResponse (a proxy page)', () => {
    // Act
    const parse = () => parseMethodResponse('<html><body>Bad Gateway</body></html>');

    // Assess
    expect(parse).toThrow(/not an XML-RPC methodResponse/);
  });
});
