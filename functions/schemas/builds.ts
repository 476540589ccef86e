/** Image builds: the request that starts them, and a build as the API shows it. */
import * as z from 'zod';
import { BUILD_STATES, FINAL_BUILD_STATES, MAX_BUILD_CONNECTORS } from '#functions/domain/builds';

/** The states a build ends in, for clients that follow builds. */
export { FINAL_BUILD_STATES };
import { LIMITS, Name, PageQuery, pageOf } from './common';

export const BuildState = z.enum(BUILD_STATES);

export const StartBuildBody = z
  .strictObject({
    /** One build per connector, each from the parent's native image there. */
    connectors: z
      .array(Name)
      .min(1)
      .max(MAX_BUILD_CONNECTORS)
      .refine((names) => new Set(names).size === names.length, 'each connector once'),
  })
  .meta({ examples: [{ connectors: ['sim-eu'] }] });

export const BuildStep = z.object({ at: z.iso.datetime(), state: BuildState, message: z.string() });

export const Build = z.object({
  id: z.string(),
  owner: z.string(),
  /** The image built (`img_…`) and the version the build started from. */
  image: z.string(),
  imageVersion: z.number().int().min(1),
  connector: z.string(),
  state: BuildState,
  steps: z.array(BuildStep),
  /** The parent's native id the builder VM was made from. */
  sourceImageId: z.string(),
  /** The builder VM, once made. */
  builderCloudId: z.string().optional(),
  /** The native image's name and, once asked for, its id. */
  nativeImageName: z.string(),
  builtImageId: z.string().optional(),
  /** The image version whose `cloudImageIds` hold the built id (Succeeded builds). */
  newImageVersion: z.number().int().min(1).optional(),
  failureReason: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const BuildPage = pageOf(Build);

export const BuildsStarted = z.object({ builds: z.array(Build) });

export const BuildListQuery = PageQuery.extend({ image: z.string().min(1).max(LIMITS.idLength).optional() });
