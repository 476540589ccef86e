/**
 * Every Slipway Lambda function: one place for the runtime, architecture, memory,
 * timeout, logs, tracing, Powertools settings and bundling, and the bindings that
 * grant a permission and set the env var that names the resource together.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '#functions/commons/env';
import type { SlipwayTable, TableAccess } from './slipway-table';

/** How a function's code is produced: esbuild, or a stub that lets template tests skip bundling. */
export type CodeMode = 'bundle' | 'inline-placeholder';

export interface SlipwayFunctionProps {
  /** The handler file relative to the project root, exporting `handler` (e.g. `functions/http/runs.ts`). */
  readonly entry: string;
  /**
   * `bundle` bundles `entry` with the local esbuild; `inline-placeholder` deploys a stub that
   * throws, so a template can be synthesized fast and before the handlers exist.
   * @default 'bundle'
   */
  readonly code?: CodeMode;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const PLACEHOLDER_SOURCE = "exports.handler = async () => { throw new Error('Placeholder code: this stack was synthesized without bundling.'); };";

/** ESM bundles still meet the odd `require` in dependencies; give them one. */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export class SlipwayFunction extends NodejsFunction {
  /** The function's own role; no AWS managed policy, only what the bindings grant. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: SlipwayFunctionProps) {
    // Siblings rather than children: they must exist before the function is constructed.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const codeProps =
      props.code === 'inline-placeholder'
        ? { code: Code.fromInline(PLACEHOLDER_SOURCE), handler: 'index.handler' }
        : {
            entry: path.join(PROJECT_ROOT, props.entry),
            handler: 'handler',
            projectRoot: PROJECT_ROOT,
            depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
            bundling: {
              forceDockerBundling: false,
              format: OutputFormat.ESM,
              target: 'node22',
              mainFields: ['module', 'main'],
              banner: REQUIRE_SHIM,
              minify: true,
              sourceMap: true,
              sourcesContent: false,
              // The Node.js 22 runtime ships SDK v3; everything else is bundled.
              externalModules: ['@aws-sdk/*'],
            },
          };
    super(scope, id, {
      ...codeProps,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'slipway',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.executionRole = role;
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; Resource "*" is the only form.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the project pins (package.json engines, the node devDependency) and tests with; a newer one is a deliberate upgrade.',
    });
  }

  /** Grants `access` on the table's items and indexes and sets `SLIPWAY_TABLE` to its name. */
  bindTable(table: SlipwayTable, access: TableAccess): void {
    table.grantData(this, access);
    this.addEnvironment(ENV.table, table.tableName);
  }

  /** Grants encrypt/decrypt with the credential secrets key and sets `SLIPWAY_SECRETS_KEY` to `kms:<key arn>`. */
  bindSecretsKey(key: IKey): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    );
    this.addEnvironment(ENV.secretsKey, `kms:${key.keyArn}`);
  }
}
