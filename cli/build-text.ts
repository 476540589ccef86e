/** Image builds as tables, detail views and progress lines. */
import type { BuildStepT, BuildT } from './api-types';
import { fields, table, type Column } from './render';

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** A build with its image's name where the caller's images name it. */
export type NamedBuild = BuildT & { imageName?: string };

export const BUILD_COLUMNS: Column<NamedBuild>[] = [
  { header: 'id', value: (b) => b.id },
  { header: 'image', value: (b) => `${b.imageName ?? b.image} v${b.imageVersion}` },
  { header: 'connector', value: (b) => b.connector },
  { header: 'state', value: (b) => b.state },
  { header: 'built image', value: (b) => b.builtImageId },
  { header: 'new version', value: (b) => b.newImageVersion },
  { header: 'created', value: (b) => when(b.createdAt) },
];

/** A build: its fields, then its steps. */
export function showBuild(build: NamedBuild): string {
  const head = fields([
    ['build', build.id],
    ['state', build.state],
    ...(build.failureReason ? [['reason', build.failureReason] as const] : []),
    ['image', `${build.imageName ?? build.image} v${build.imageVersion}`],
    ['connector', build.connector],
    ['source image', build.sourceImageId],
    ['builder', build.builderCloudId],
    ['native name', build.nativeImageName],
    ['built image', build.builtImageId],
    ['new version', build.newImageVersion],
    ['created', build.createdAt],
    ['updated', build.updatedAt],
  ]);
  const steps = table(build.steps, [
    { header: 'at', value: (s) => when(s.at) },
    { header: 'state', value: (s) => s.state },
    { header: 'message', value: (s) => s.message },
  ]);
  return `${head}\n\n${build.steps.length ? steps : 'No steps yet.'}`;
}

/** One step as a progress line: `HH:MM:SS <build id> <connector> <state>  <message>`. */
export const stepLine = (build: BuildT, step: BuildStepT): string =>
  `${step.at.slice(11, 19)} ${build.id} ${build.connector} ${step.state.padEnd(12)}  ${step.message}`;
