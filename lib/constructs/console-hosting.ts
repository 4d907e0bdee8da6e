import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  Aspects,
  AssetHashType,
  CfnOutput,
  DockerImage,
  Duration,
  type IAspect,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';
import { REPO_ROOT } from '../paths.ts';

export interface ConsoleHostingProps {
  /** Base URL of the HTTP API (the stateless stack's `ApiUrl`), e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/`. */
  readonly apiUrl: string;
  /** The Cognito user pool the console signs in to. */
  readonly userPoolId: string;
  /** The console's public app client (no secret). */
  readonly userPoolClientId: string;
  /** Region of the user pool (Cognito's endpoint is regional). */
  readonly region: string;
  /**
   * Stage name shown in the console's top bar.
   * @default none
   */
  readonly stage?: string;
  /**
   * The console's folder (Vite project). It is built at synth time, like the functions are bundled:
   * locally, never in Docker.
   * @default `<repository>/console`
   */
  readonly consoleDir?: string;
  /**
   * A custom domain for the console. With it, viewers must use TLS 1.2 (2021 policy); without it
   * the distribution answers on its `*.cloudfront.net` name, whose TLS policy CloudFront fixes.
   * @default none
   */
  readonly domain?: { readonly names: string[]; readonly certificate: acm.ICertificate };
  /**
   * ARN of a WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach.
   * @default none
   */
  readonly webAclArn?: string;
  /** @default PriceClass.PRICE_CLASS_100 (North America and Europe edges) */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * What happens to the site and log buckets when the stack is deleted. Only built files live
   * there (the console is rebuilt from source), so destroying them loses nothing.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Files at the site root that exist as objects; every other path outside /assets/ is a client-side route. */
const ROOT_FILES = ['/index.html', '/config.json', '/favicon.svg'];

/**
 * Viewer-request function: deep links (`/inventory/MUG-01`, `/orders/ord_1?tab=timeline`) get
 * `index.html`, while a missing `/assets/…` file stays a 404 instead of silently turning into HTML.
 * Path shape, not a file extension, decides: SKU codes may contain dots.
 */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.startsWith('/assets/') || ${JSON.stringify(ROOT_FILES)}.indexOf(uri) >= 0) return request;
  request.uri = '/index.html';
  return request;
}`;

/**
 * Hosts the ops console: S3 (private, reached only through CloudFront with origin access
 * control) behind a CloudFront distribution with strict security headers.
 *
 * Why S3 + CloudFront rather than Amplify Hosting: the console is a prebuilt static bundle, and
 * Amplify Hosting deploys such a bundle only through its manual-deployment API (a zip upload
 * driven by a custom resource, no L2 construct in aws-cdk-lib), nor can it take its runtime
 * configuration from other stacks' outputs at deploy time. With S3 + CloudFront everything is
 * first-class CDK: `config.json` is written at deploy time from the stack outputs (tokens), the
 * security headers are a response headers policy, and cdk-nag knows every resource.
 *
 * The console calls the API cross-origin, straight to API Gateway: proxying `/api/*` through
 * CloudFront would put CloudFront's address in the audit trail's source IP. So the HTTP API must
 * allow this origin (`consoleOrigin`) in its CORS configuration, with the `authorization`,
 * `content-type` and `x-correlation-id` headers.
 *
 * No secret reaches the bundle or `config.json`: the app client is public (SRP sign-in), and ids
 * and URLs are not secrets.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<domain>`: what the HTTP API's CORS `allowOrigins` must contain. */
  readonly consoleOrigin: string;
  /** The runtime configuration written to `/config.json`. */
  readonly runtimeConfig: Record<string, string>;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const consoleDir = props.consoleDir ?? path.join(REPO_ROOT, 'console');

    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the console bucket and distribution access logs; logging it to itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });

    // The API allows this distribution's origin (CORS) and so depends on it; naming the API's own
    // host here as well would make a CloudFormation cycle. The CSP therefore allows the region's
    // API Gateway hosts: still only HTTPS API Gateway endpoints, never an arbitrary origin.
    const apiOrigin = `https://*.execute-api.${props.region}.amazonaws.com`;
    const cognitoOrigin = `https://cognito-idp.${props.region}.amazonaws.com`;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Quartermaster console: CSP, HSTS, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // Cloudscape sets inline styles on elements (positions of popovers, chart geometry).
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            `connect-src 'self' ${apiOrigin} ${cognitoOrigin}`,
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            'upgrade-insecure-requests',
          ].join('; '),
        },
        strictTransportSecurity: {
          override: true,
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: cloudfront.HeadersFrameOption.DENY },
        referrerPolicy: { override: true, referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN },
        xssProtection: { override: true, protection: false },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const rewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Client-side routes of the console get index.html',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Quartermaster ops console${props.stage ? ` (${props.stage})` : ''}`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    const acknowledgements = [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Ops staff work from many countries and on the move; access is controlled by Cognito sign-in with MFA, not geography.',
      },
      ...(props.webAclArn
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'The distribution serves only static files; every data call goes to the API with a Cognito JWT. Pass `webAclArn` to attach a WAF web ACL where policy requires one.',
            },
          ]),
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                "Without a custom domain the distribution uses CloudFront's default certificate, whose security policy cannot be set; pass `domain` to enforce TLS 1.2 (2021).",
            },
          ]),
    ];
    Validations.of(this.distribution).acknowledge(...acknowledgements);

    const domain = props.domain?.names[0] ?? this.distribution.distributionDomainName;
    this.consoleOrigin = `https://${domain}`;
    this.runtimeConfig = {
      mode: 'aws',
      apiUrl: props.apiUrl,
      region: props.region,
      userPoolId: props.userPoolId,
      userPoolClientId: props.userPoolClientId,
      ...(props.stage ? { stage: props.stage } : {}),
    };

    // The bundle: built by Vite at synth time (skipped when a test synthesizes without bundling).
    const site = s3deploy.Source.asset(consoleDir, {
      exclude: ['dist', 'node_modules', '*.tsbuildinfo'],
      // Keyed on the built files: the bundle also holds the API's route table from lib/manifest.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-bookworm'),
        local: {
          tryBundle(outputDir: string) {
            const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
            const result = spawnSync(
              process.execPath,
              [
                vite,
                'build',
                '--config',
                path.join(consoleDir, 'vite.config.ts'),
                '--outDir',
                outputDir,
                '--emptyOutDir',
              ],
              { cwd: REPO_ROOT, stdio: 'inherit' },
            );
            if (result.status !== 0)
              throw new Error(`Building the console failed (vite exited ${result.status})`);
            // The local mode's config.json must never reach AWS: the deployment writes its own.
            rmSync(path.join(outputDir, 'config.json'), { force: true });
            return true;
          },
        },
      },
    });
    const config = s3deploy.Source.jsonData('config.json', this.runtimeConfig);

    // Hashed files are immutable; they are never pruned, so a browser still running the previous
    // version can load its remaining chunks after a deploy.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [site],
      exclude: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      memoryLimit: 512,
    });
    // The entry points are revalidated on every load, so a deploy takes effect at the next visit.
    const entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      destinationBucket: this.bucket,
      sources: [site, config],
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json', '/'],
      memoryLimit: 512,
    });
    entry.node.addDependency(assets);

    acknowledgeBucketDeploymentHandler(Stack.of(this));

    new CfnOutput(this, 'ConsoleUrl', { value: this.consoleOrigin, description: 'The ops console' });
  }
}

const HANDLER_PREFIX = 'Custom::CDKBucketDeployment';
const HANDLER_REASON =
  "CDK's BucketDeployment handler (one per stack, runs only during deployments) copies the console from the CDK asset bucket into the site bucket and invalidates the distribution: it needs every object of those two buckets, and CloudFront invalidations have no resource-level permissions.";

/**
 * cdk-nag reports the BucketDeployment handler's grants finding by finding (each wildcard action
 * and resource). They are known only once every deployment of the stack has added its grants, so
 * an aspect acknowledges exactly the findings of that handler's policy, and nothing else.
 */
class AcknowledgeBucketDeploymentGrants implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const stack = Stack.of(node);
    const handler = node.node.scopes.find(
      (s) => s.node.scope === stack && s.node.id.startsWith(HANDLER_PREFIX),
    );
    if (!handler) return;
    const document = stack.resolve(node.policyDocument) as {
      Statement: { Action: string | string[]; Resource: unknown }[];
    };
    const ids = new Set<string>();
    for (const statement of document.Statement) {
      for (const action of [statement.Action].flat()) {
        if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
      }
      for (const resource of [statement.Resource].flat()) {
        const flat = flattenCfnReference(resource);
        if (flat.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${flat}]`);
      }
    }
    Validations.of(handler).acknowledge(...[...ids].map((id) => ({ id, reason: HANDLER_REASON })));
  }
}

const stacksWithAspect = new WeakSet<Stack>();

function acknowledgeBucketDeploymentHandler(stack: Stack): void {
  if (!stacksWithAspect.has(stack)) {
    stacksWithAspect.add(stack);
    Aspects.of(stack).add(new AcknowledgeBucketDeploymentGrants());
  }
  for (const handler of stack.node.children.filter((c) => c.node.id.startsWith(HANDLER_PREFIX))) {
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketDeployment handler writes its own logs with AWSLambdaBasicExecutionRole; it runs only during deployments.",
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of CDK's BucketDeployment handler is set by aws-cdk-lib and moves with its upgrades.",
      },
    );
  }
}
