/** `listZones`, `listTemplates`, `listServiceOfferings`: the fixed catalogue, paged. */
import { FAKE_OFFERINGS, FAKE_ZONES, templatesIn } from './catalogue';
import { listReply, pageOf, required, type Command } from './command-kit';

export const lookupCommands: Record<string, Command> = {
  listzones: (input) => listReply('zone', [...FAKE_ZONES], pageOf(input, 'listZones', [...FAKE_ZONES])),
  listtemplates: (input) => {
    required(input, 'listTemplates', 'templatefilter');
    const all = templatesIn(input.params.get('zoneid'));
    return listReply('template', all, pageOf(input, 'listTemplates', all));
  },
  listserviceofferings: (input) => listReply('serviceoffering', [...FAKE_OFFERINGS], pageOf(input, 'listServiceOfferings', [...FAKE_OFFERINGS])),
};
