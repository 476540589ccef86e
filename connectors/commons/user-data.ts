/**
 * The cloud-init user data every real cloud gets: a POSIX shell script that exports
 * the node's inputs, runs the image recipe, publishes the declared outputs and
 * reports readiness to `PUT /v1/runs/{id}/parameters/<node.index>:<name>` with the
 * run token (SlipStream's `ss-set`), or `failed` with the recipe's exit status. Values are single-quoted, so nothing a user
 * wrote is ever expanded by the shell. `sim` acts the same guest out in the table.
 */
import type { BootData } from '#connectors/contract';

/** A shell word that the shell takes literally. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** Input names become environment variables: only identifiers pass, others are skipped. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The heredoc delimiter the recipe is written with; a recipe containing it is refused. */
const RECIPE_END = 'SLIPWAY_RECIPE_END';

/**
 * Renders the boot script for instance `name` (e.g. `web.2`).
 * @throws Error when the recipe contains the heredoc delimiter line.
 */
export function renderUserData(name: string, boot: BootData): string {
  // Inputs are data: quotes inside a value are meant literally, which SC2089/SC2090 warn about.
  const lines = [
    '#!/bin/sh',
    '# shellcheck disable=SC2089,SC2090',
    '# Slipway boot script: inputs, recipe, outputs, readiness.',
    'set -eu',
    `SLIPWAY_INSTANCE=${shellQuote(name)}`,
  ];
  lines.push(`SLIPWAY_CALLBACK=${shellQuote(boot.callbackUrl ?? '')}`, `SLIPWAY_TOKEN=${shellQuote(boot.token ?? '')}`);
  lines.push('export SLIPWAY_INSTANCE');
  for (const [key, value] of Object.entries(boot.inputs)) {
    if (IDENTIFIER.test(key)) lines.push(`${key}=${shellQuote(value)}`, `export ${key}`);
  }
  lines.push(
    '',
    '# report NAME VALUE: publish one parameter of this instance (no-op without a callback URL).',
    'report() {',
    '  [ -n "$SLIPWAY_CALLBACK" ] || return 0',
    '  body=$(printf \'{"value":"%s"}\' "$(printf \'%s\' "$2" | sed \'s/\\\\/\\\\\\\\/g; s/"/\\\\"/g\')")',
    '  curl -fsS --retry 10 --retry-delay 3 -X PUT \\',
    '    -H "authorization: Bearer $SLIPWAY_TOKEN" -H "content-type: application/json" \\',
    '    --data "$body" "$SLIPWAY_CALLBACK/$SLIPWAY_INSTANCE:$1" >/dev/null',
    '}',
  );
  if (boot.recipe) {
    if (boot.recipe.split('\n').some((line) => line.trim() === RECIPE_END)) throw new Error(`the recipe of ${name} contains the line ${RECIPE_END}`);
    lines.push(
      '',
      'mkdir -p /var/lib/slipway',
      `cat > /var/lib/slipway/recipe.sh <<'${RECIPE_END}'`,
      boot.recipe,
      RECIPE_END,
      '# A failing recipe says so at once (the run or build fails at its next look, not at its deadline).',
      'sh /var/lib/slipway/recipe.sh || { status=$?; report failed "the recipe exited with status $status"; exit "$status"; }',
    );
  }
  lines.push('');
  for (const output of boot.outputs) {
    if (output.name === 'hostname') lines.push('report hostname "$(hostname -I 2>/dev/null | cut -d" " -f1)"');
    else if (output.default !== undefined) lines.push(`report ${shellQuote(output.name)} ${shellQuote(output.default)}`);
  }
  lines.push('report ready true', '');
  return lines.join('\n');
}

/** The same script, base64-encoded as EC2, OpenStack and CloudStack take user data. */
export function renderUserDataBase64(name: string, boot: BootData): string {
  return Buffer.from(renderUserData(name, boot), 'utf8').toString('base64');
}
