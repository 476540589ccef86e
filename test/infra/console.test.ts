/** The web console in the template: a private bucket read through OAC, index.html at the root, console pages and the API on one distribution. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { pageRoutesCode, SlipwayConsole } from '#infra/constructs/slipway-console';
import { placeholderTemplate } from './placeholder-stack';

const { template, ofType } = placeholderTemplate();
const [distributionId, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
const config = distribution.Properties.DistributionConfig as {
  DefaultRootObject: string;
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors: Record<string, unknown>[];
  Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[];
  CustomErrorResponses?: unknown;
  Logging?: unknown;
};
const filesBucketId = ofType('AWS::S3::Bucket').find(([, bucket]) => bucket.Properties.LoggingConfiguration !== undefined)![0];

/** The CloudFront Function's handler, run here on a viewer request for `uri`. */
function routedUri(uri: string): string {
  const handler = new Function(`${pageRoutesCode()}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
  return handler({ request: { uri } }).uri;
}

describe('the console bucket', () => {
  it('blocks every kind of public access and refuses requests without TLS', () => {
    for (const [, bucket] of ofType('AWS::S3::Bucket'))
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: filesBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('lets only this distribution read it, as the CloudFront service principal', () => {
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: filesBucketId }))![1];
    const allows = (
      policy.Properties.PolicyDocument as { Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[] }
    ).Statement.filter((statement) => statement.Effect === 'Allow');

    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(distributionId);
  });
});

describe('the console distribution', () => {
  it('reads the bucket through an Origin Access Control that signs every request, not an OAI', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const s3Origin = config.Origins.find((origin) => JSON.stringify(origin.DomainName).includes(filesBucketId))!;
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('answers / with index.html, over HTTPS, with the console’s security headers and logs', () => {
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    expect(config.Logging).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: Match.objectLike({ Override: true }) }) },
    });
  });

  it('sends /v1/* to the API uncached, with every method, and has no error response that would hide the API’s problem answers', () => {
    const api = config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/v1/*')!;
    const apiOrigin = config.Origins.find((origin) => origin.Id === api.TargetOriginId)!;

    expect(api).toMatchObject({ ViewerProtocolPolicy: 'https-only', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('ApiEndpoint');
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('answers console pages with index.html through a viewer-request function, and files of the build as they are', () => {
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);

    expect(routedUri('/')).toBe('/index.html');
    expect(routedUri('/runs/run_01jabc')).toBe('/index.html');
    expect(routedUri('/deployments/dep_01j/versions')).toBe('/index.html');
    expect(routedUri('/assets/index-C86do-zP.js')).toBe('/assets/index-C86do-zP.js');
    expect(routedUri('/favicon.svg')).toBe('/favicon.svg');
  });
});

describe('the console deployment', () => {
  it('copies the build to the bucket and invalidates index.html', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketName: { Ref: filesBucketId }, DistributionPaths: ['/', '/index.html'] });
  });

  it('deploys a placeholder page, rather than failing the synth, when the console is not built', () => {
    const stack = new Stack(new App(), 'ConsoleOnly');
    const api = new HttpApi(stack, 'Api');

    const unbuilt = new SlipwayConsole(stack, 'Console', { api, distDir: mkdtempSync(path.join(tmpdir(), 'slipway-no-console-')) });

    expect(unbuilt.built).toBe(false);
    Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 2);
  });
});
