import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionRouteSpec, type RouteSpec, routeKey } from '../manifest/types.ts';
import { toPascal } from '../naming.ts';

export interface QmHttpApiProps {
  readonly stage: string;
  readonly routes: readonly RouteSpec[];
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly userPool: cognito.IUserPool;
  /** The client whose id is the only accepted token audience. */
  readonly consoleClient: cognito.IUserPoolClient;
  /**
   * Steady-state and burst request limits of the stage.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: apigw.ThrottleSettings;
}

/** Routes that exist only in the local runtime (simulators, test hooks) never reach AWS. */
export const isDeployed = (route: RouteSpec): route is FunctionRouteSpec =>
  'fn' in route && !('public' in route.auth && route.auth.public === 'local-only');

/** One JSON line per request: enough to trace a call to its Lambda and its caller. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

/**
 * The HTTP API, built from the manifest's route table. Routes that name roles sit behind the
 * Cognito JWT authorizer (issuer = the user pool, audience = the console client); the handler
 * then checks the `cognito:groups` claim against the route's roles. Health and webhook routes
 * are public (webhooks verify their own signatures); local-only routes are not deployed.
 */
export class QmHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** Route key (`GET /api/skus/{sku}`) → deployed route. */
  readonly routes: ReadonlyMap<string, apigw.HttpRoute>;

  constructor(scope: Construct, id: string, props: QmHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: `Quartermaster ${props.stage}: channel webhooks, health and the ops console API`,
      // The $default stage is created below so that it can carry access logs and throttling.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    // The pool's issuer URL, built from its id so any IUserPool (also an imported one) works.
    const issuer = `https://cognito-idp.${props.userPool.env.region}.amazonaws.com/${props.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [props.consoleClient.userPoolClientId],
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (name: string): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`Route refers to unknown function ${name}`);
        integration = new HttpLambdaIntegration(`${toPascal(name)}Integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    // A route, its integration and its invoke permission live in the stack of the function they
    // call (a context's nested stack): three resources per route would otherwise put the root
    // stack over CloudFormation's 500. The API, its stage and the authorizer stay here.
    const routeScopes = new Map<Stack, Construct>();
    const routeScopeFor = (fn: lambda.IFunction): Construct => {
      const stack = Stack.of(fn);
      let scope = routeScopes.get(stack);
      if (!scope) {
        scope = stack === Stack.of(this) ? this : new Construct(stack, 'HttpRoutes');
        routeScopes.set(stack, scope);
      }
      return scope;
    };

    const routes = new Map<string, apigw.HttpRoute>();
    for (const route of props.routes.filter(isDeployed)) {
      const key = routeKey(route);
      const isPublic = 'public' in route.auth;
      const fn = props.functions.get(route.fn);
      if (!fn) throw new Error(`Route ${key} refers to unknown function ${route.fn}`);
      const deployed = new apigw.HttpRoute(routeScopeFor(fn), `Route ${key.replaceAll('/', '|')}`, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration: integrationFor(route.fn),
        authorizer: isPublic ? new apigw.HttpNoneAuthorizer() : this.authorizer,
      });
      if ('public' in route.auth) {
        Validations.of(deployed).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth.public === 'health'
              ? `${key} is the unauthenticated health check; it returns component status only, no data.`
              : `${key} is a channel webhook; the caller cannot hold a Cognito token, so the handler verifies the channel's HMAC signature instead.`,
        });
      }
      routes.set(key, deployed);
    }
    this.routes = routes;
  }
}
