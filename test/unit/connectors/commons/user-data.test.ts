import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BootData } from '#connectors/contract';
import { renderUserData, renderUserDataBase64, shellQuote } from '#connectors/commons/user-data';

const boot: BootData = {
  recipe: 'apt-get install -y mysql-server\necho "it\'s $HOME"',
  outputs: [{ name: 'hostname' }, { name: 'port', default: '3306' }],
  inputs: { db_host: "10.0.0.1'; rm -rf / #", 'not an identifier': 'x' },
  callbackUrl: 'https://api.example/v1/runs/run_1/parameters',
  token: 'run_secret',
  readiness: 'callback',
};

/** Runs `sh` on a script with `curl` replaced by a recorder, and returns what it recorded. */
function runWithFakeCurl(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-userdata-'));
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\nprintf "%s\\n" "$*" >> "$CURL_LOG"\n', { mode: 0o755 });
  const log = join(dir, 'curl.log');
  writeFileSync(log, '');
  const withoutRecipe = script.replace(/mkdir -p \/var\/lib\/slipway[\s\S]*?sh \/var\/lib\/slipway\/recipe.sh\n/, '');
  execFileSync('sh', ['-c', withoutRecipe], { env: { PATH: `${dir}:/usr/bin:/bin`, CURL_LOG: log } });
  return execFileSync('cat', [log]).toString();
}

describe('renderUserData', () => {
  it('passes shellcheck', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'slipway-shellcheck-'));
    const file = join(dir, 'user-data.sh');
    writeFileSync(file, renderUserData('web.2', boot));

    // Act
    const run = () => execFileSync('shellcheck', ['--shell=sh', file], { encoding: 'utf8' });

    // Assess
    expect(run).not.toThrow();
  });

  it('exports inputs literally, so a value cannot inject shell code', () => {
    // Act
    const script = renderUserData('web.2', { ...boot, recipe: undefined });

    // Assess
    expect(script).toContain(`db_host=${shellQuote("10.0.0.1'; rm -rf / #")}`);
    expect(script).not.toContain('not an identifier');
    const value = execFileSync('sh', ['-c', `${script.split('report() {')[0]}\nprintf %s "$db_host"`], { env: { PATH: '/usr/bin:/bin' } }).toString();
    expect(value).toBe("10.0.0.1'; rm -rf / #");
  });

  it('publishes declared outputs and readiness to the parameters API with the run token', () => {
    // Act
    const calls = runWithFakeCurl(renderUserData('web.2', boot));

    // Assess
    expect(calls).toContain('authorization: Bearer run_secret');
    expect(calls).toContain('https://api.example/v1/runs/run_1/parameters/web.2:port');
    expect(calls).toContain('{"value":"3306"}');
    expect(calls).toContain('https://api.example/v1/runs/run_1/parameters/web.2:hostname');
    expect(calls.trim().split('\n').at(-1)).toContain('web.2:ready');
  });

  it('reports a failing recipe as failed with its exit status, and publishes nothing else after it', () => {
    // Prepare: the whole script, recipe included, with /var/lib/slipway moved under a temporary directory
    const dir = mkdtempSync(join(tmpdir(), 'slipway-recipe-'));
    writeFileSync(join(dir, 'curl'), '#!/bin/sh\nprintf "%s\\n" "$*" >> "$CURL_LOG"\n', { mode: 0o755 });
    const log = join(dir, 'curl.log');
    writeFileSync(log, '');
    const script = renderUserData('db.1', { ...boot, recipe: 'echo installing\nexit 7' }).replaceAll('/var/lib/slipway', join(dir, 'lib'));
    // Act
    const run = () => execFileSync('sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, CURL_LOG: log }, stdio: 'pipe' });
    // Assess
    expect(run).toThrow(expect.objectContaining({ status: 7 }));
    const calls = execFileSync('cat', [log]).toString().trim().split('\n');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('https://api.example/v1/runs/run_1/parameters/db.1:failed');
    expect(calls[0]).toContain('{"value":"the recipe exited with status 7"}');
  });

  it('writes the recipe verbatim through a quoted heredoc', () => {
    // Act
    const script = renderUserData('db.1', boot);

    // Assess
    expect(script).toContain("<<'SLIPWAY_RECIPE_END'\napt-get install -y mysql-server\necho \"it's $HOME\"\nSLIPWAY_RECIPE_END");
  });

  it('refuses a recipe that would end the heredoc early', () => {
    // Act
    const render = () => renderUserData('db.1', { ...boot, recipe: 'echo hi\nSLIPWAY_RECIPE_END\nrm -rf /' });

    // Assess
    expect(render).toThrow(/SLIPWAY_RECIPE_END/);
  });

  it('base64-encodes the same script for clouds that take user data encoded', () => {
    // Act
    const encoded = renderUserDataBase64('db.1', boot);

    // Assess
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(renderUserData('db.1', boot));
  });
});
