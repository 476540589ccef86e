import * as z from 'zod';
import { LIMITS, Name, PageQuery, ProjectPath, ProjectQuery, Ref, ResourceMeta, mapOf, pageOf, safeKey } from './common';

/** A parameter's name: it becomes a key of every instance's `parameters`. */
export const ParamName = safeKey(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" (at most 64)'));

export const MachineDefaultsSchema = z.strictObject({
  instanceType: z.string().min(1).max(64).optional(),
  cpu: z.number().int().min(1).max(256).optional(),
  ramMb: z.number().int().min(128).max(4_194_304).optional(),
  diskGb: z.number().int().min(1).max(65_536).optional(),
});

export const OutputSchema = z.union([ParamName, z.strictObject({ name: ParamName, default: z.string().max(LIMITS.valueLength).optional() })]);

export const ImageInput = z.strictObject({
  name: Name,
  /** The project it lives in (none: the top level); its name is unique there. */
  project: ProjectPath.optional(),
  /** Parent image, by id, path (`base/ubuntu`) or name (this image's project first, then the top level). */
  parent: Ref.optional(),
  cloudImageIds: mapOf(Name, z.string().min(1).max(LIMITS.shortText)).optional(),
  defaults: mapOf(Name, MachineDefaultsSchema).optional(),
  recipe: z.string().max(LIMITS.recipeLength).optional(),
  inputs: z.array(ParamName).max(LIMITS.listItems).optional(),
  outputs: z.array(OutputSchema).max(LIMITS.listItems).optional(),
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

/** `GET /v1/images`: a page, of one project (or all). */
export const ImageListQuery = z.strictObject({ ...PageQuery.shape, ...ProjectQuery.shape });
