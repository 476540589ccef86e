import { z } from 'zod';
import { Name, ResourceMeta, pageOf } from './common';

const ParamName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" (at most 64)');

export const MachineDefaultsSchema = z.strictObject({
  instanceType: z.string().min(1).max(64).optional(),
  cpu: z.number().int().min(1).max(256).optional(),
  ramMb: z.number().int().min(128).max(4_194_304).optional(),
  diskGb: z.number().int().min(1).max(65_536).optional(),
});

export const OutputSchema = z.union([ParamName, z.strictObject({ name: ParamName, default: z.string().max(4096).optional() })]);

export const ImageInput = z.strictObject({
  name: Name,
  /** Parent image, by name or id. */
  parent: z.string().min(1).max(128).optional(),
  cloudImageIds: z.record(Name, z.string().min(1).max(255)).optional(),
  defaults: z.record(Name, MachineDefaultsSchema).optional(),
  recipe: z.string().max(16_384).optional(),
  inputs: z.array(ParamName).max(50).optional(),
  outputs: z.array(OutputSchema).max(50).optional(),
  readiness: z.enum(['callback', 'running']).optional(),
});
export type ImageInputT = z.infer<typeof ImageInput>;

/** The request body of POST /v1/images, with an example for the document. */
export const CreateImageBody = ImageInput.meta({
  examples: [{ name: 'mysql', parent: 'ubuntu', recipe: 'apt-get install -y mysql-server', outputs: ['hostname', { name: 'port', default: '3306' }] }],
});

export const ImageUpdate = ImageInput.extend({ version: z.number().int().min(1) });

export const Image = ResourceMeta.extend(ImageInput.shape).extend({ parent: z.string().optional() });

export const ImagePage = pageOf(Image);
