import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PARAMETERS,
  builtInParameters,
  liveSources,
  parseParameterPath,
  parseSource,
  READY_PARAMETER,
  resolveInputs,
} from '#functions/domain/parameters';

describe('parseSource', () => {
  it('reads a node and an output out of "node:output"', () => {
    // Act
    const source = parseSource('db-main.1:host_name');
    // Assess
    expect(source).toEqual({ node: 'db-main.1', output: 'host_name' });
  });

  it.each(['db', 'db:', ':hostname', 'Db:hostname', '-db:hostname', 'db:host name', 'db:hostname:x', ' db:hostname', 'db:hostname '])(
    'refuses "%s"',
    (mapping) => {
      // Act
      const source = parseSource(mapping);
      // Assess
      expect(source).toBeUndefined();
    },
  );
});

describe('parseParameterPath', () => {
  it('reads node, index and name out of "node.index:name"', () => {
    // Act
    const path = parseParameterPath('web.front.12:db_host');
    // Assess
    expect(path).toEqual({ node: 'web.front', index: 12, name: 'db_host' });
  });

  it.each(['web:db_host', 'web.x:db_host', '.1:db_host', 'web.1:', 'web.1', 'xweb.1:a\nb'])('refuses "%s"', (text) => {
    // Act
    const path = parseParameterPath(text);
    // Assess
    expect(path).toBeUndefined();
  });
});

describe('builtInParameters', () => {
  it("gives a VM's id as instanceid and its address as hostname and ip", () => {
    // Act
    const parameters = builtInParameters({ cloudId: 'vm-1', ip: '10.0.0.5' });
    // Assess
    expect(parameters).toEqual({ instanceid: 'vm-1', hostname: '10.0.0.5', ip: '10.0.0.5' });
    expect(Object.keys(parameters).sort()).toEqual([...BUILT_IN_PARAMETERS].sort());
  });

  it('gives only what the cloud knows', () => {
    // Act
    const parameters = [builtInParameters({ cloudId: 'vm-1' }), builtInParameters({ ip: '10.0.0.5' }), builtInParameters({})];
    // Assess
    expect(parameters).toEqual([{ instanceid: 'vm-1' }, { hostname: '10.0.0.5', ip: '10.0.0.5' }, {}]);
  });

  it('names the readiness parameter "ready"', () => {
    // Assess
    expect(READY_PARAMETER).toBe('ready');
  });
});

describe('resolveInputs', () => {
  it('reads each input from the first instance of its source node, and lists those without a value', () => {
    // Prepare
    const asked: string[] = [];
    const published = (node: string, index: number, name: string) => {
      asked.push(`${node}.${index}:${name}`);
      return node === 'db' && name === 'hostname' ? 'db-1.local' : undefined;
    };
    // Act
    const resolved = resolveInputs({ db_host: 'db:hostname', db_port: 'db:port' }, published);
    // Assess
    expect(resolved).toEqual({ values: { db_host: 'db-1.local' }, missing: ['db_port'] });
    expect(asked).toEqual(['db.1:hostname', 'db.1:port']);
  });

  it('counts a malformed mapping as missing without reading anything', () => {
    // Prepare
    const asked: string[] = [];
    // Act
    const resolved = resolveInputs({ broken: 'no-colon' }, (node) => {
      asked.push(node);
      return 'value';
    });
    // Assess
    expect(resolved).toEqual({ values: {}, missing: ['broken'] });
    expect(asked).toEqual([]);
  });

  it('keeps an empty published value as a value', () => {
    // Act
    const resolved = resolveInputs({ flag: 'db:flag' }, () => '');
    // Assess
    expect(resolved).toEqual({ values: { flag: '' }, missing: [] });
  });
});

describe('resolveInputs of a multi-valued source', () => {
  const values: Record<string, string> = { 'web.1': '10.0.0.1', 'web.3': '10.0.0.3', 'web.4': '10.0.0.4' };
  const published = (node: string, index: number) => values[`${node}.${index}`];

  it("joins every live instance's value with commas, in index order", () => {
    // Act
    const resolved = resolveInputs({ web_hosts: 'web:hostname' }, published, () => [1, 3, 4]);
    // Assess
    expect(resolved).toEqual({ values: { web_hosts: '10.0.0.1,10.0.0.3,10.0.0.4' }, missing: [] });
  });

  it('gives one instance its value as it is, and stays missing until every instance published', () => {
    expect(resolveInputs({ h: 'web:hostname' }, published, () => [3])).toEqual({ values: { h: '10.0.0.3' }, missing: [] });
    expect(resolveInputs({ h: 'web:hostname' }, published, () => [1, 2])).toEqual({ values: {}, missing: ['h'] });
    expect(resolveInputs({ h: 'web:hostname' }, published, () => [])).toEqual({ values: {}, missing: ['h'] });
  });
});

describe('liveSources', () => {
  it('reads the live instances only, in index order', () => {
    // Prepare
    const sources = liveSources([
      { node: 'web', index: 3, phase: 'created', parameters: { hostname: 'c' } },
      { node: 'web', index: 1, phase: 'created', parameters: { hostname: 'a' } },
      { node: 'web', index: 2, phase: 'terminated', parameters: { hostname: 'b' } },
      { node: 'db', index: 1, phase: 'created', parameters: { hostname: 'd' } },
    ]);
    // Act
    const resolved = resolveInputs({ hosts: 'web:hostname', db: 'db:hostname' }, sources.published, sources.indexesOf);
    // Assess
    expect(sources.indexesOf('web')).toEqual([1, 3]);
    expect(sources.published('web', 2, 'hostname')).toBeUndefined();
    expect(resolved.values).toEqual({ hosts: 'a,c', db: 'd' });
  });
});
