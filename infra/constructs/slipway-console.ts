/**
 * The web console in AWS: the built files (console/dist) in a private S3 bucket, read
 * by CloudFront through Origin Access Control, and the API behind the same distribution
 * at `/v1/*`, so the console calls its own origin exactly as it does locally (no CORS,
 * no API URL to configure). Console pages (`/runs/run_…`) are answered with index.html
 * by a viewer-request function rather than by error responses: an error response would
 * also replace the API's own 403 and 404 problem+json answers with index.html.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { CONSOLE_CSP, CONSOLE_FILE_PATH } from '../../console/serving';

export interface SlipwayConsoleProps {
  /** The API the console calls: served by the same distribution at `/v1/*`. */
  readonly api: IHttpApi;
  /** The built console. @default console/dist of this project */
  readonly distDir?: string;
  /** @default PriceClass.PRICE_CLASS_100 */
  readonly priceClass?: PriceClass;
  /** Days CloudFront and S3 access logs are kept. @default 90 */
  readonly logRetentionDays?: number;
}

const DEFAULT_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

/** What the bucket holds when the stack is synthesized before the console is built (a synth must not need a build). */
export const PLACEHOLDER_INDEX =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slipway console</title></head>' +
  '<body><h1>Slipway console</h1><p>The console was not built when this stack was synthesized: run <code>npm run build:console</code> and deploy again.</p></body></html>';

/** The viewer-request function: a path that is not a file of the build is a console page, answered with index.html. */
export function pageRoutesCode(): string {
  return `function handler(event) {
  var request = event.request;
  if (!${CONSOLE_FILE_PATH.toString()}.test(request.uri)) request.uri = '/index.html';
  return request;
}`;
}

/** The wildcard grants BucketDeployment adds to its handler's role (cdk-nag names each one). */
const ACKNOWLEDGED_DEPLOY_GRANTS = [
  'AwsSolutions-IAM5[Action::s3:GetObject*]',
  'AwsSolutions-IAM5[Action::s3:GetBucket*]',
  'AwsSolutions-IAM5[Action::s3:List*]',
  'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
  'AwsSolutions-IAM5[Action::s3:Abort*]',
  // The default synthesizer's asset bucket (bootstrap qualifier hnb659fds).
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
  'AwsSolutions-IAM5[Resource::*]',
];

export class SlipwayConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Whether console/dist was found and deployed (false: the placeholder page). */
  readonly built: boolean;

  constructor(scope: Construct, id: string, props: SlipwayConsoleProps) {
    super(scope, id);
    // S3 access logs delivered under a bucket policy, not through the log bucket's (deprecated) LogDeliveryWrite ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const distDir = props.distDir ?? DEFAULT_DIST;
    this.built = existsSync(path.join(distDir, 'index.html'));

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays ?? 90) }],
    });
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Slipway console: the same security headers as the local server (console/serving.ts).',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONSOLE_CSP, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    const pageRoutes = new CloudFrontFunction(this, 'PageRoutes', {
      code: FunctionCode.fromInline(pageRoutesCode()),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Slipway console: console pages are answered with index.html',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Slipway console and API',
      defaultRootObject: 'index.html',
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: pageRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(Fn.parseDomainName(props.api.apiEndpoint), {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Nothing of the API is cached; with caching disabled, the all-viewer policy forwards the Authorization header too.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    this.acknowledgeDistributionFindings();

    this.deployFiles(distDir);
  }

  /** The console's address (the API is at `/v1` of it too). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  private acknowledgeDistributionFindings(): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The console and API serve Slipway’s users wherever they are; access is by API key, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF for the console: it is static files, and the API behind /v1 keeps its own API Gateway throttling and key checks (a web ACL per deployment is an operator’s choice, at a monthly cost).',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses CloudFront’s default *.cloudfront.net certificate (no custom domain is part of the stack), for which CloudFront allows TLSv1; a custom domain with an ACM certificate would set TLSv1.2_2021.',
    });
  }

  /**
   * Copies the build to the bucket with CDK's BucketDeployment, whose handler (one Lambda
   * function per stack, CDK's own) runs with a role and log group made here: no AWS managed
   * policy, logs kept a month.
   */
  private deployFiles(distDir: string): void {
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'DeployRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const source: ISource = this.built ? Source.asset(distDir) : Source.data('index.html', PLACEHOLDER_INDEX);
    // Hashed bundles first, cached for good and never pruned (a page loaded before a deploy still finds its bundles)…
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['index.html'],
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      role,
      logGroup,
    });
    // …then index.html, revalidated on every load, and dropped from CloudFront's cache.
    const index = new BucketDeployment(this, 'DeployIndex', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['index.html'],
      prune: false,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html'],
      role,
      logGroup,
    });
    index.node.addDependency(assets);
    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    [...ACKNOWLEDGED_DEPLOY_GRANTS, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`].forEach((id) =>
      Validations.of(role).acknowledge({
        id,
        reason:
          'CDK’s BucketDeployment grants these itself: it reads the console’s asset from the CDK asset bucket, writes and deletes any object of the console bucket, and invalidates the distribution (CloudFront invalidations take no resource-level permission).',
      }),
    );
    const handler = Stack.of(this)
      .node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    if (handler)
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'The runtime of CDK’s own BucketDeployment handler is chosen by aws-cdk-lib and upgraded with it.',
      });
  }
}
