import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConsoleHosting, DEPLOYER_CODE, SPA_REWRITE_SOURCE } from '../../lib/constructs/console-hosting.ts';
import { newApp, synthesizeApp } from './support/app.ts';
import { type CfnResource, logicalIdOf, resourcesOf } from './support/template.ts';

let template: Template;

beforeAll(() => {
  template = synthesizeApp().statelessTemplate;
});

const only = (t: Template, type: string): [string, CfnResource] => {
  const entries = Object.entries(resourcesOf(t, type));
  expect(entries, type).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

/** `Fn::Join` / `Ref` / `Fn::GetAtt` as one readable string: `<AWS::Region>`, `<ConsoleApp.AppId>`. */
const flat = (value: unknown): string => flattenCfnReference(value);

type HeaderRule = { pattern: string; headers: Record<string, string> };

/**
 * Reads Amplify's custom-header YAML in the documented shape (list of `pattern` + `headers` of
 * `key`/`value`, single-quoted scalars); any other line fails the test.
 */
function parseCustomHeaders(yaml: string): HeaderRule[] {
  const unquote = (s: string) => {
    expect(s, 'single-quoted scalar').toMatch(/^'.*'$/);
    return s.slice(1, -1).replaceAll("''", "'");
  };
  const lines = yaml.split('\n').filter((l) => l.trim() !== '');
  expect(lines[0]).toBe('customHeaders:');
  const rules: HeaderRule[] = [];
  let key: string | undefined;
  for (const line of lines.slice(1)) {
    const pattern = line.match(/^ {2}- pattern: (.+)$/)?.[1];
    const headerKey = line.match(/^ {6}- key: (.+)$/)?.[1];
    const value = line.match(/^ {8}value: (.+)$/)?.[1];
    if (pattern) rules.push({ pattern: unquote(pattern), headers: {} });
    else if (headerKey) key = unquote(headerKey);
    else if (value && key && rules.length > 0) {
      (rules.at(-1) as HeaderRule).headers[key] = unquote(value);
      key = undefined;
    } else if (line !== '    headers:') throw new Error(`Unexpected custom-header line: ${line}`);
  }
  return rules;
}

describe('the ops console on Amplify Hosting', () => {
  it('is an Amplify WEB app with no repository (manual deployments, no build on Amplify)', () => {
    const [, app] = only(template, 'AWS::Amplify::App');
    expect(app.Properties.Platform).toBe('WEB');
    for (const gitOnly of ['Repository', 'AccessToken', 'OauthToken', 'BuildSpec', 'IAMServiceRole']) {
      expect(app.Properties, gitOnly).not.toHaveProperty(gitOnly);
    }
    expect(app.Properties.CacheConfig).toEqual({ Type: 'AMPLIFY_MANAGED_NO_COOKIES' });
  });

  it('has one branch named after the stage, not built by Amplify', () => {
    const [appId] = only(template, 'AWS::Amplify::App');
    const [, branch] = only(template, 'AWS::Amplify::Branch');
    expect(logicalIdOf(branch.Properties.AppId)).toBe(appId);
    expect(branch.Properties).toMatchObject({
      BranchName: 'dev',
      Stage: 'DEVELOPMENT',
      EnableAutoBuild: false,
      EnablePullRequestPreview: false,
    });
  });

  it('sends CSP (API Gateway and Cognito origins, no framing), HSTS and the other security headers on every path', () => {
    const [, app] = only(template, 'AWS::Amplify::App');
    const rules = parseCustomHeaders(flat(app.Properties.CustomHeaders));
    const all = rules.find((r) => r.pattern === '**')?.headers ?? {};
    const csp = (all['Content-Security-Policy'] ?? '').split(';').map((d) => d.trim());
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(
      "connect-src 'self' https://*.execute-api.<AWS::Region>.amazonaws.com https://cognito-idp.<AWS::Region>.amazonaws.com",
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");

    const hsts = all['Strict-Transport-Security'] ?? '';
    expect(Number(hsts.match(/max-age=(\d+)/)?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(hsts).toContain('includeSubDomains');
    expect(all).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
    });
  });

  it('caches hashed assets for a year and revalidates the entry points', () => {
    const [, app] = only(template, 'AWS::Amplify::App');
    const rules = parseCustomHeaders(flat(app.Properties.CustomHeaders));
    const cacheOf = (pattern: string) => rules.find((r) => r.pattern === pattern)?.headers['Cache-Control'];
    expect(cacheOf('/assets/*')).toBe('public, max-age=31536000, immutable');
    expect(cacheOf('/index.html')).toBe('no-cache');
    expect(cacheOf('/config.json')).toBe('no-cache');
  });

  it('rewrites client-side routes to index.html and leaves files alone', () => {
    const [, app] = only(template, 'AWS::Amplify::App');
    expect(app.Properties.CustomRules).toEqual([
      { Source: SPA_REWRITE_SOURCE, Target: '/index.html', Status: '200' },
    ]);
    // Amplify's `</regex/>` source, applied as Amplify does to the request path.
    const rewrite = new RegExp(SPA_REWRITE_SOURCE.slice(2, -2));
    for (const route of ['/', '/inventory/MUG-01', '/orders/ord_1', '/inventory/MUG.01', '/returns/new']) {
      expect(rewrite.test(route), route).toBe(true);
    }
    for (const file of ['/assets/index-3f2a.js', '/assets/index-3f2a.css', '/config.json', '/favicon.svg']) {
      expect(rewrite.test(file), file).toBe(false);
    }
  });

  it('stages the bundle and a deploy-time config.json, then deploys that prefix to the branch', () => {
    const [appId] = only(template, 'AWS::Amplify::App');
    const [branchId] = only(template, 'AWS::Amplify::Branch');
    const [, staging] = only(template, 'Custom::CDKBucketDeployment');
    // Not pruned: an open tab can still load the chunks of the build it started with.
    expect(staging.Properties).toMatchObject({ DestinationBucketKeyPrefix: 'site/', Prune: false });
    // config.json is written from the stack's values at deploy time (markers), never from synth.
    const markers = JSON.stringify(staging.Properties.SourceMarkers);
    expect(markers).toContain('HttpApi');
    expect(markers).toContain('UserPool');

    const [, deployment] = only(template, 'Custom::AmplifyStaticDeployment');
    const props = deployment.Properties;
    expect(logicalIdOf(props.AppId)).toBe(appId);
    expect(logicalIdOf(props.BranchName)).toBe(branchId);
    expect(flat(props.SourceUrl)).toMatch(/^s3:\/\/<ConsoleSiteBucket\w+>\/site\/$/);
    const config = props.Config as Record<string, unknown>;
    expect(config).toMatchObject({ mode: 'aws', stage: 'dev' });
    expect(flat(config.apiUrl)).toContain('HttpApi');
    expect(Object.keys(config).sort()).toEqual(
      ['apiUrl', 'mode', 'region', 'stage', 'userPoolClientId', 'userPoolId'].sort(),
    );

    // Amplify applies changed headers on the next deployment only, so a header change redeploys.
    const [, app] = only(template, 'AWS::Amplify::App');
    expect(props.CustomHeaders).toEqual(app.Properties.CustomHeaders);

    const deployerId = logicalIdOf(props.ServiceToken) as string;
    const deployer = resourcesOf(template, 'AWS::Lambda::Function')[deployerId];
    expect(deployer?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 900 });
  });

  it('lets only Amplify, for this branch, read the staging bucket', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    const amplifyStatements = policies.flatMap((p) =>
      (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter((s) =>
        JSON.stringify(s.Principal).includes('amplify.amazonaws.com'),
      ),
    );
    expect(amplifyStatements.map((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    for (const statement of amplifyStatements) {
      const equals = (statement.Condition as { StringEquals: Record<string, unknown> }).StringEquals;
      expect(flat(equals['aws:SourceAccount'])).toBe('<AWS::AccountId>');
      const sourceArns = (equals['aws:SourceArn'] as unknown[]).map(flat);
      // The URL-encoded branch ARN the Amplify guide asks for, and the plain one.
      expect(sourceArns).toEqual([
        expect.stringMatching(
          /^arn%3A<AWS::Partition>%3Aamplify%3A.*%3Aapps%2F<ConsoleApp\w+\.AppId>%2Fbranches%2Fdev$/,
        ),
        expect.stringMatching(
          /^arn:<AWS::Partition>:amplify:.*:apps\/<ConsoleApp\w+\.AppId>\/branches\/dev$/,
        ),
      ]);
    }
  });

  it('outputs the branch URL and lets the API answer that origin only', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const url = Object.entries(outputs).find(([id]) => id.startsWith('ConsoleConsoleUrl'))?.[1];
    expect(flat(url?.Value)).toMatch(/^https:\/\/dev\.<ConsoleApp\w+\.DefaultDomain>$/);
    const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
    const cors = api.Properties.CorsConfiguration as { AllowOrigins: unknown[] };
    expect(cors.AllowOrigins.map(flat)).toEqual([flat(url?.Value)]);
  });

  it('no longer serves the console from S3 + CloudFront', () => {
    expect(Object.keys(resourcesOf(template, 'AWS::CloudFront::Distribution'))).toEqual([]);
  });

  it('deploys a PRODUCTION branch for the prod stage', () => {
    const stack = new Stack(newApp(), 'ConsoleOnly');
    new ConsoleHosting(stack, 'Console', {
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/',
      userPoolId: 'eu-west-1_abc',
      userPoolClientId: 'client',
      region: 'eu-west-1',
      stage: 'prod',
    });
    const [, branch] = only(Template.fromStack(stack), 'AWS::Amplify::Branch');
    expect(branch.Properties).toMatchObject({ BranchName: 'prod', Stage: 'PRODUCTION' });
  });
});

describe('the deployment step', () => {
  type Sent = { name: string; input: Record<string, unknown> };

  /** Runs the inline handler with a fake Amplify client whose job goes through `statuses`. */
  async function runDeployer(requestType: string, statuses: string[]) {
    const sent: Sent[] = [];
    const responses: Record<string, unknown>[] = [];
    class Command {
      constructor(readonly input: Record<string, unknown>) {}
    }
    class StartDeploymentCommand extends Command {}
    class GetJobCommand extends Command {}
    const amplifyModule = {
      StartDeploymentCommand,
      GetJobCommand,
      AmplifyClient: class {
        async send(command: Command) {
          sent.push({ name: command.constructor.name, input: command.input });
          if (command instanceof StartDeploymentCommand) return { jobSummary: { jobId: '7' } };
          return { job: { summary: { status: statuses.shift() } } };
        }
      },
    };
    const fetchMock = vi.fn(async (_url: string, init: { body: string }) => {
      responses.push(JSON.parse(init.body) as Record<string, unknown>);
      return { ok: true, status: 200 };
    });
    vi.stubGlobal('fetch', fetchMock);
    // The handler logs each poll and its errors for CloudWatch; keep the test output quiet.
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.useFakeTimers();
    try {
      const module = { exports: {} as { handler?: (event: unknown, context: unknown) => Promise<void> } };
      const load = new Function('require', 'module', 'exports', DEPLOYER_CODE);
      load(
        (name: string) => {
          expect(name).toBe('@aws-sdk/client-amplify');
          return amplifyModule;
        },
        module,
        module.exports,
      );
      const done = module.exports.handler?.(
        {
          RequestType: requestType,
          ResponseURL: 'https://cloudformation-response.example/presigned',
          StackId: 'stack',
          RequestId: 'req',
          LogicalResourceId: 'ConsoleDeployment',
          ResourceProperties: { AppId: 'd1abc', BranchName: 'dev', SourceUrl: 's3://bucket/site/' },
        },
        { getRemainingTimeInMillis: () => 600_000 },
      );
      await vi.runAllTimersAsync();
      await done;
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
      vi.restoreAllMocks();
    }
    return { sent, responses };
  }

  it('deploys the staged prefix and reports success once the Amplify job succeeded', async () => {
    const { sent, responses } = await runDeployer('Create', ['PENDING', 'RUNNING', 'SUCCEED']);
    expect(sent[0]).toEqual({
      name: 'StartDeploymentCommand',
      input: {
        appId: 'd1abc',
        branchName: 'dev',
        sourceUrl: 's3://bucket/site/',
        sourceUrlType: 'BUCKET_PREFIX',
      },
    });
    expect(sent.filter((s) => s.name === 'GetJobCommand')).toHaveLength(3);
    expect(responses).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'd1abc/dev', RequestId: 'req' }),
    ]);
  });

  it('fails the stack operation when the Amplify job fails', async () => {
    const { responses } = await runDeployer('Update', ['RUNNING', 'FAILED']);
    expect(responses).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringContaining('FAILED') }),
    ]);
  });

  it('does nothing on delete: deleting the app removes its deployments', async () => {
    const { sent, responses } = await runDeployer('Delete', []);
    expect(sent).toEqual([]);
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  });
});
