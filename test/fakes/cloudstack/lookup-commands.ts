/** `listZones`, `listServiceOfferings`: the fixed catalogue, paged (templates are in image-commands.ts). */
import { FAKE_OFFERINGS, FAKE_ZONES } from './catalogue';
import { listReply, pageOf, type Command } from './command-kit';

export const lookupCommands: Record<string, Command> = {
  listzones: (input) => listReply('zone', [...FAKE_ZONES], pageOf(input, 'listZones', [...FAKE_ZONES])),
  listserviceofferings: (input) => listReply('serviceoffering', [...FAKE_OFFERINGS], pageOf(input, 'listServiceOfferings', [...FAKE_OFFERINGS])),
};
