import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  Aspects,
  AssetHashType,
  Aws,
  CfnOutput,
  CustomResource,
  DockerImage,
  Duration,
  Fn,
  type IAspect,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as amplify from 'aws-cdk-lib/aws-amplify';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag.ts';
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
   * Stage name: names the Amplify branch (so the console answers on `https://<stage>.<app>.amplifyapp.com`)
   * and is shown in the console's top bar. `prod` deploys a PRODUCTION branch, any other stage a DEVELOPMENT one.
   * @default 'main'
   */
  readonly stage?: string;
  /**
   * The console's folder (Vite project). It is built at synth time, like the functions are bundled:
   * locally, never in Docker.
   * @default `<repository>/console`
   */
  readonly consoleDir?: string;
  /**
   * What happens to the staging and log buckets when the stack is deleted. Only built files live
   * there (the console is rebuilt from source), so destroying them loses nothing.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Amplify's single-page-application rewrite: a path without a file extension (or with one that is
 * not a static asset's, e.g. a SKU like `MUG.01`) gets `index.html`; a missing `/assets/x.js` stays
 * a 404 instead of silently turning into HTML.
 */
export const SPA_REWRITE_SOURCE =
  '</^[^.]+$|\\.(?!(css|gif|ico|jpg|js|png|txt|svg|woff|woff2|ttf|map|json)$)([^.]+$)/>';

/** Where the bundle is staged in the site bucket; Amplify deploys this prefix. */
const SITE_PREFIX = 'site/';

type HeaderRule = { pattern: string; headers: { key: string; value: string }[] };

/** Amplify's custom-header format (YAML, single-quoted scalars as in the Amplify docs). */
function renderCustomHeaders(rules: HeaderRule[]): string {
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const lines = ['customHeaders:'];
  for (const rule of rules) {
    lines.push(`  - pattern: ${quote(rule.pattern)}`, '    headers:');
    for (const h of rule.headers)
      lines.push(`      - key: ${quote(h.key)}`, `        value: ${quote(h.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The deployment step (inline, so it needs no bundling): starts an Amplify deployment of the staged
 * prefix and waits for the job, so a failed deployment fails the stack instead of passing silently.
 * The AWS SDK v3 Amplify client ships with the Lambda Node.js runtime. Deleting needs no work:
 * deleting the app removes its branches and their deployments.
 */
export const DEPLOYER_CODE = `const { AmplifyClient, StartDeploymentCommand, GetJobCommand } = require('@aws-sdk/client-amplify');
const amplify = new AmplifyClient({});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function respond(event, status, reason, physicalResourceId) {
  const body = JSON.stringify({ Status: status, Reason: reason, PhysicalResourceId: physicalResourceId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error('CloudFormation did not take the response: ' + response.status);
}
exports.handler = async (event, context) => {
  const { AppId: appId, BranchName: branchName, SourceUrl: sourceUrl } = event.ResourceProperties;
  const physicalResourceId = event.PhysicalResourceId || appId + '/' + branchName;
  try {
    if (event.RequestType === 'Delete') return await respond(event, 'SUCCESS', 'Nothing to undo', physicalResourceId);
    const started = await amplify.send(new StartDeploymentCommand({ appId, branchName, sourceUrl, sourceUrlType: 'BUCKET_PREFIX' }));
    const jobId = started.jobSummary.jobId;
    for (;;) {
      const { job } = await amplify.send(new GetJobCommand({ appId, branchName, jobId }));
      const status = job.summary.status;
      console.log(JSON.stringify({ appId, branchName, jobId, status }));
      if (status === 'SUCCEED') return await respond(event, 'SUCCESS', 'Amplify job ' + jobId + ' deployed', appId + '/' + branchName);
      if (status === 'FAILED' || status === 'CANCELLED') throw new Error('Amplify job ' + jobId + ' ended ' + status);
      if (context.getRemainingTimeInMillis() < 30000) throw new Error('Amplify job ' + jobId + ' still ' + status + ' at timeout');
      await sleep(5000);
    }
  } catch (error) {
    console.error(error);
    await respond(event, 'FAILED', String(error && error.message ? error.message : error).slice(0, 400), physicalResourceId);
  }
};
`;

/**
 * Hosts the ops console on Amplify Hosting: an Amplify app with no repository (manual
 * deployments) and one branch per stage, with strict security headers and the SPA rewrite.
 *
 * Deployment: the Vite bundle (built at synth) and `config.json` (API URL and Cognito ids, which
 * are tokens at synth, so written at deploy time by `BucketDeployment`'s `Source.jsonData`) are
 * staged in a private bucket; a small custom resource then calls Amplify `StartDeployment` on that
 * bucket prefix (`BUCKET_PREFIX`) and waits for the job. The `@aws-cdk/aws-amplify-alpha` branch
 * `asset` deploys a zip fixed at synth, which cannot hold the deploy-time `config.json`.
 *
 * The console calls the API cross-origin, straight to API Gateway, so the HTTP API must allow this
 * origin (`consoleOrigin`) in its CORS configuration, with the `authorization`, `content-type` and
 * `x-correlation-id` headers.
 *
 * No secret reaches the bundle or `config.json`: the app client is public (SRP sign-in), and ids
 * and URLs are not secrets.
 */
export class ConsoleHosting extends Construct {
  readonly app: amplify.CfnApp;
  readonly branch: amplify.CfnBranch;
  /** Private staging bucket Amplify deploys from; nobody else reads it. */
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  /** `https://<branch>.<app default domain>`: what the HTTP API's CORS `allowOrigins` must contain. */
  readonly consoleOrigin: string;
  /** The runtime configuration written to `/config.json`. */
  readonly runtimeConfig: Record<string, string>;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const consoleDir = props.consoleDir ?? path.join(REPO_ROOT, 'console');
    const branchName = props.stage ?? 'main';

    // The API allows this app's origin (CORS) and so depends on it; naming the API's own host in
    // the headers as well would make a CloudFormation cycle. The CSP therefore allows the region's
    // API Gateway hosts: still only HTTPS API Gateway endpoints, never an arbitrary origin.
    const apiOrigin = `https://*.execute-api.${props.region}.amazonaws.com`;
    const cognitoOrigin = `https://cognito-idp.${props.region}.amazonaws.com`;
    const contentSecurityPolicy = [
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
    ].join('; ');
    const customHeaders = renderCustomHeaders([
      {
        pattern: '**',
        headers: [
          { key: 'Content-Security-Policy', value: contentSecurityPolicy },
          { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          {
            key: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
          },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
        ],
      },
      // Vite's hashed files never change under a name; the entry points are revalidated on every
      // load, so a deployment takes effect at the next visit.
      {
        pattern: '/assets/*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }],
      },
      { pattern: '/index.html', headers: [{ key: 'Cache-Control', value: 'no-cache' }] },
      { pattern: '/config.json', headers: [{ key: 'Cache-Control', value: 'no-cache' }] },
    ]);

    this.app = new amplify.CfnApp(this, 'App', {
      name: `quartermaster-console-${branchName}`,
      description: 'Quartermaster ops console (static bundle, deployed by CDK)',
      // No repository: the bundle is built by `cdk synth` and deployed manually (StartDeployment).
      platform: 'WEB',
      customHeaders,
      customRules: [{ source: SPA_REWRITE_SOURCE, target: '/index.html', status: '200' }],
      // A static site behind Cognito bearer tokens: no cookie may vary the cache.
      cacheConfig: { type: 'AMPLIFY_MANAGED_NO_COOKIES' },
    });
    this.branch = new amplify.CfnBranch(this, 'Branch', {
      appId: this.app.attrAppId,
      branchName,
      description: `Quartermaster ops console, stage ${branchName}`,
      stage: branchName === 'prod' ? 'PRODUCTION' : 'DEVELOPMENT',
      enableAutoBuild: false,
      enablePullRequestPreview: false,
    });

    this.consoleOrigin = `https://${branchName}.${this.app.attrDefaultDomain}`;
    this.runtimeConfig = {
      mode: 'aws',
      apiUrl: props.apiUrl,
      region: props.region,
      userPoolId: props.userPoolId,
      userPoolClientId: props.userPoolClientId,
      ...(props.stage ? { stage: props.stage } : {}),
    };

    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the console staging bucket access logs; logging it to itself would loop.',
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

    // Amplify reads the staged prefix on behalf of this branch only (the condition form of the
    // Amplify guide "deploy from S3 with the SDKs"; it asks for the URL-encoded branch ARN, the
    // plain ARN is listed too so either form Amplify presents matches).
    const branchArn = `arn:${Aws.PARTITION}:amplify:${Aws.REGION}:${Aws.ACCOUNT_ID}:apps/${this.app.attrAppId}/branches/${branchName}`;
    const encodedBranchArn = Fn.join('', [
      'arn%3A',
      Aws.PARTITION,
      '%3Aamplify%3A',
      Aws.REGION,
      '%3A',
      Aws.ACCOUNT_ID,
      '%3Aapps%2F',
      this.app.attrAppId,
      `%2Fbranches%2F${encodeURIComponent(branchName)}`,
    ]);
    const amplifyOnThisBranch = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': [encodedBranchArn, branchArn] },
    };
    const amplifyPrincipal = new iam.ServicePrincipal('amplify.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AmplifyListsTheSite',
        principals: [amplifyPrincipal],
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: amplifyOnThisBranch,
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AmplifyReadsTheSite',
        principals: [amplifyPrincipal],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${SITE_PREFIX}*`)],
        conditions: amplifyOnThisBranch,
      }),
    );

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
    // Not pruned: hashed chunks of earlier builds stay deployed, so a tab opened before a deploy
    // can still load the screens it has not opened yet (index.html and config.json are replaced).
    const staged = new s3deploy.BucketDeployment(this, 'StageSite', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: SITE_PREFIX,
      sources: [site, s3deploy.Source.jsonData('config.json', this.runtimeConfig)],
      prune: false,
      memoryLimit: 512,
    });
    acknowledgeBucketDeploymentHandler(Stack.of(this));

    const deployerRole = new iam.Role(this, 'DeployerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Starts and watches the Amplify deployment of the ops console',
    });
    const jobs = `${branchArn}/jobs/*`;
    deployerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['amplify:StartDeployment'], resources: [branchArn] }),
    );
    deployerRole.addToPolicy(new iam.PolicyStatement({ actions: ['amplify:GetJob'], resources: [jobs] }));
    // StartDeployment from S3 is authorized against the caller as well as the bucket policy.
    const stagedObjects = this.bucket.arnForObjects(`${SITE_PREFIX}*`);
    deployerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    deployerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [stagedObjects] }),
    );
    acknowledgeWildcardResources(
      deployerRole,
      [jobs, stagedObjects],
      "Amplify job ids are assigned when a deployment starts, so GetJob names this branch's jobs by pattern; the staged bundle's file names change with every build, so reading it names the site prefix of the staging bucket.",
    );
    const deployerLogs = new logs.LogGroup(this, 'DeployerLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployer = new lambda.Function(this, 'Deployer', {
      description: 'Deploys the staged ops console to its Amplify branch (CloudFormation custom resource)',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(DEPLOYER_CODE),
      timeout: Duration.minutes(15),
      memorySize: 256,
      role: deployerRole,
      logGroup: deployerLogs,
    });
    deployerLogs.grantWrite(deployerRole);
    Validations.of(deployer).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x like every function of the system: the deployment step is plain Node 22 with the runtime AWS SDK.',
    });

    const deployment = new CustomResource(this, 'Deployment', {
      serviceToken: deployer.functionArn,
      resourceType: 'Custom::AmplifyStaticDeployment',
      properties: {
        AppId: this.app.attrAppId,
        BranchName: this.branch.attrBranchName,
        SourceUrl: `s3://${this.bucket.bucketName}/${SITE_PREFIX}`,
        // Any change of the bundle, of config.json or of the headers starts a new deployment
        // (Amplify applies changed custom headers only on the next deployment).
        StagedObjects: staged.objectKeys,
        Config: this.runtimeConfig,
        CustomHeaders: customHeaders,
      },
    });
    // Amplify must be allowed to read the prefix before the deployment starts.
    if (this.bucket.policy) deployment.node.addDependency(this.bucket.policy);

    new CfnOutput(this, 'ConsoleUrl', { value: this.consoleOrigin, description: 'The ops console' });
    new CfnOutput(this, 'ConsoleAppId', {
      value: this.app.attrAppId,
      description: 'Amplify app of the console',
    });
  }
}

const HANDLER_PREFIX = 'Custom::CDKBucketDeployment';
const HANDLER_REASON =
  "CDK's BucketDeployment handler (one per stack, runs only during deployments) copies the console from the CDK asset bucket into the staging bucket: it needs every object of those two buckets.";

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
