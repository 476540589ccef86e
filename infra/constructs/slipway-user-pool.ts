/**
 * The Cognito user pool whose people call Slipway with JWTs instead of API keys,
 * its one app client, and the HTTP API JWT authorizer that checks their tokens.
 * Admins create the pool's users (no self sign-up), each with the Slipway user id
 * as its username, so a token's `username` claim names the Slipway user.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, FeaturePlan, Mfa, StandardThreatProtectionMode, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface SlipwayUserPoolProps {
  /** Shortest password accepted; upper and lower case, digits and symbols are always required. @default 12 */
  readonly passwordMinLength?: number;
  /** How long an access or ID token opens the API. @default Duration.hours(1) */
  readonly tokenValidity?: Duration;
  /** How long a refresh token yields new tokens without a new sign-in. @default Duration.days(30) */
  readonly refreshTokenValidity?: Duration;
}

export class SlipwayUserPool extends Construct {
  readonly userPool: UserPool;
  /** The app client the authorizer accepts tokens of (a public client: SRP sign-in, no secret). */
  readonly client: UserPoolClient;
  /** Accepts `Authorization: Bearer <JWT>` issued by this pool to `client`. */
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: SlipwayUserPoolProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'slipway',
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      // Case-sensitive usernames: the token's `username` claim is the Slipway user id exactly as the admin typed it.
      signInCaseSensitive: true,
      passwordPolicy: {
        minLength: props.passwordMinLength ?? 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier: risk-based adaptive authentication and compromised-credential checks on every sign-in.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional by decision of the trust issue: every user may enrol a TOTP app, and the Plus-tier threat protection (enforced) challenges or blocks sign-ins it rates risky; machines use API keys, not this pool.',
    });
    this.client = this.userPool.addClient('ApiClient', {
      userPoolClientName: 'slipway-api',
      generateSecret: false,
      authFlows: { userSrp: true },
      // No hosted sign-in page (no domain): tokens come from SRP sign-in, so no OAuth callback URLs either.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: props.tokenValidity ?? Duration.hours(1),
      idTokenValidity: props.tokenValidity ?? Duration.hours(1),
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.days(30),
    });
    this.authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
      authorizerName: 'slipway-cognito',
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
