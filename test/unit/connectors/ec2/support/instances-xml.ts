/**
 * DescribeInstances replies built from the recorded fixture: its reservations cut
 * out one by one, re-tagged or re-stated, and spread over pages. The recording
 * has no Slipway tags and no terminated VM, which a test adds where it needs them.
 */
import type { InstanceTag } from '#connectors/contract';
import { tagPairs } from '#connectors/commons/tag';
import { fixture, type StubReply } from './ec2-stub';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The `<item>` of each reservation in describe_instances.xml, in order (r-fd67fb97, r-88dc1bef). */
export function recordedReservations(): string[] {
  return fixture('describe_instances.xml').match(/<item>\s*<reservationId>[\s\S]*?<\/instancesSet>\s*<\/item>/g) ?? [];
}

/** A DescribeInstances page holding `reservations`, with a NextToken when more pages follow. */
export function describePage(reservations: string[], nextToken?: string): StubReply {
  const next = nextToken ? `<nextToken>${nextToken}</nextToken>` : '';
  return {
    body: `<DescribeInstancesResponse xmlns="${NS}"><requestId>r</requestId><reservationSet>${reservations.join('')}</reservationSet>${next}</DescribeInstancesResponse>`,
  };
}

/** The reservation with Slipway's tags added to its instance's own (the first recorded instance has none). */
export function tagged(reservation: string, tag: InstanceTag): string {
  const items = Object.entries(tagPairs(tag))
    .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
    .join('');
  return reservation.includes('<tagSet/>')
    ? reservation.replace('<tagSet/>', `<tagSet>${items}</tagSet>`)
    : reservation.replace('<tagSet>', `<tagSet>${items}`);
}

/** The reservation with its instance in another state (and optionally another state reason). */
export function inState(reservation: string, code: number, name: string, reasonCode?: string): string {
  const stated = reservation.replace(/<instanceState>[\s\S]*?<\/instanceState>/, `<instanceState><code>${code}</code><name>${name}</name></instanceState>`);
  return reasonCode
    ? stated.replace(/<stateReason>[\s\S]*?<\/stateReason>/, `<stateReason><code>${reasonCode}</code><message>${reasonCode}</message></stateReason>`)
    : stated;
}

/** The reservation without a public address (a VM in a private subnet). */
export function withoutPublicIp(reservation: string): string {
  return reservation.replace(/<ipAddress>[^<]*<\/ipAddress>/, '');
}

/** run_instances_idem.xml with its instance in another state: what a replayed token answers later. */
export function replayedLaunch(code: number, name: string): StubReply {
  const body = fixture('run_instances_idem.xml').replace(
    /<instanceState>[\s\S]*?<\/instanceState>/,
    `<instanceState><code>${code}</code><name>${name}</name></instanceState>`,
  );
  return { body };
}
