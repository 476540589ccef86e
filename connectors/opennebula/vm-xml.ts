/**
 * Reads OpenNebula's VM documents (`<VM>` from one.vm.info, `<VM_POOL>` from the
 * pool calls) into CloudInstances: id, generic and raw state, the first NIC's IP,
 * and Slipway's tag from USER_TEMPLATE. Old (2.x) and current schemas both parse.
 */
import { XMLParser } from 'fast-xml-parser';
import type { CloudInstance } from '#connectors/contract';
import { readTag, TAG_ATTRIBUTES } from '#connectors/commons/tag';
import { opennebulaVmState } from './vm-state';

/** Elements that repeat (a pool of one VM, a VM of one NIC must still be arrays). */
const REPEATED = new Set(['VM', 'NIC', 'DISK', 'IMAGE', 'VMTEMPLATE', 'ZONE']);

// Text stays text (ids like "007" and names like "1e3" must not become numbers); CDATA merges into text.
export const payloadParser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** An element parsed from a payload: nested elements, or text. */
export type XmlNode = { [name: string]: XmlNode | XmlNode[] | string | undefined } | string;

/** The text of a child element ('' when absent or not text). */
export function textOf(node: XmlNode | XmlNode[] | undefined, name: string): string {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return '';
  const child = node[name];
  return typeof child === 'string' ? child : '';
}

/** The child elements named `name` of a node (always an array). */
export function childrenOf(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return [];
  const child = node[name];
  if (child === undefined) return [];
  return Array.isArray(child) ? child : [child];
}

/**
 * Parses a pool payload (`<VM_POOL>…</VM_POOL>`, `<IMAGE_POOL/>`…) into its items.
 * An empty pool (`<VM_POOL/>`) is an empty list, not an error.
 */
export function poolItems(payload: string, pool: string, item: string): XmlNode[] {
  const doc = payloadParser.parse(payload) as Record<string, XmlNode>;
  if (!(pool in doc)) throw new Error(`the answer has no <${pool}> element`);
  return childrenOf(doc[pool], item);
}

/** The IP of the first NIC (IPv4, else IPv6); undefined when the NIC has none yet. */
function firstNicIp(vm: XmlNode): string | undefined {
  const [nic] = childrenOf(childrenOf(vm, 'TEMPLATE')[0], 'NIC');
  const ip = textOf(nic, 'IP') || textOf(nic, 'IP6_GLOBAL') || textOf(nic, 'IP6');
  return ip || undefined;
}

/** One parsed `<VM>` as a CloudInstance. */
export function vmToInstance(vm: XmlNode): CloudInstance {
  const userTemplate = childrenOf(vm, 'USER_TEMPLATE')[0];
  const tag = readTag(
    {
      [TAG_ATTRIBUTES.run]: textOf(userTemplate, TAG_ATTRIBUTES.run),
      [TAG_ATTRIBUTES.node]: textOf(userTemplate, TAG_ATTRIBUTES.node),
      [TAG_ATTRIBUTES.index]: textOf(userTemplate, TAG_ATTRIBUTES.index),
    },
    TAG_ATTRIBUTES,
  );
  const { state, rawState } = opennebulaVmState(Number(textOf(vm, 'STATE')), Number(textOf(vm, 'LCM_STATE')));
  const ip = firstNicIp(vm);
  return {
    cloudId: textOf(vm, 'ID'),
    state,
    rawState,
    ...(tag ? { tag } : {}),
    ...(ip ? { ip } : {}),
  };
}

/**
 * Parses a one.vm.info payload.
 * @throws Error when the payload holds no `<VM>`.
 */
export function parseVm(payload: string): CloudInstance {
  const doc = payloadParser.parse(payload) as Record<string, XmlNode>;
  const [vm] = childrenOf(doc, 'VM');
  if (!vm) throw new Error('the answer has no <VM> element');
  return vmToInstance(vm);
}

/** Parses a pool payload of VMs. */
export function parseVmPool(payload: string): CloudInstance[] {
  return poolItems(payload, 'VM_POOL', 'VM').map(vmToInstance);
}
