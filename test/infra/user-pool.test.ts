import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { placeholderTemplate } from './placeholder-stack';

const { template, ofType } = placeholderTemplate();
const [poolId] = ofType('AWS::Cognito::UserPool').map(([id]) => id);
const [clientId] = ofType('AWS::Cognito::UserPoolClient').map(([id]) => id);
const cognitoApiId = ofType('AWS::ApiGatewayV2::Api').find(([, api]) => api.Properties.Name === 'slipway-cognito')?.[0];

describe('the Cognito user pool', () => {
  it('is the only one, with one app client', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });

  it('lets only admins create users, whose case-sensitive username is the Slipway user id and who may sign in by email', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: true },
      AliasAttributes: ['email'],
    });
  });

  it('requires passwords of 12 characters or more with upper and lower case, digits and symbols', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('offers authenticator-app MFA without requiring it, and no SMS', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('is on the Plus plan with threat protection enforced', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('refuses deletion, and survives its removal from the stack', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});

describe('the app client', () => {
  it('is a public client of the pool that signs in with SRP and has no OAuth flows', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });

  it('issues tokens valid for one hour, revocable, and hides whether a user exists', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes', IdToken: 'minutes' }),
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('the JWT authorizer', () => {
  it('belongs to the slipway-cognito API only', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');

    expect(authorizers.map(([, authorizer]) => authorizer.Properties.ApiId)).toEqual([{ Ref: cognitoApiId }]);
  });

  it('accepts a Bearer JWT from the Authorization header, issued by the pool to the app client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] },
      },
    });
  });
});
