import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITION } from '../../lib/manifest/table.ts';
import { ROLES } from '../../lib/manifest/types.ts';
import { synthesizeApp } from './support/app.ts';
import { type CfnResource, logicalIdOf, resourcesOf } from './support/template.ts';

let template: Template;

beforeAll(() => {
  template = synthesizeApp().statefulTemplate;
});

const only = (type: string): [string, CfnResource] => {
  const entries = Object.entries(resourcesOf(template, type));
  expect(entries, type).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

describe('the single table', () => {
  it('has the string keys and GSIs of TABLE_DEFINITION', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    const gsiKeys = TABLE_DEFINITION.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(
        [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey, ...gsiKeys].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
      ),
    );
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('streams new and old images, keeps point-in-time recovery and expires items by TTL', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      StreamSpecification: { StreamViewType: TABLE_DEFINITION.streamViewType },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('is encrypted with KMS, protected from deletion and retained with the stack', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      // SSEEnabled without a key id = KMS with the AWS managed key aws/dynamodb.
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('the event bus', () => {
  it('archives every event on the bus for 90 days', () => {
    const [busId, bus] = only('AWS::Events::EventBus');
    expect(bus.Properties.Name).toBe('quartermaster-dev');
    expect(bus.DeletionPolicy).toBe('Retain');
    const [, archive] = only('AWS::Events::Archive');
    expect(archive.Properties).toMatchObject({
      RetentionDays: 90,
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
    });
  });

  it('has no resource policy that could open it to other accounts', () => {
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });
});

describe('the exports bucket', () => {
  const exportsBucket = (): [string, CfnResource] => {
    const entry = Object.entries(resourcesOf(template, 'AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('ExportsBucket'),
    );
    expect(entry).toBeDefined();
    return entry as [string, CfnResource];
  };

  it('is encrypted, versioned, private and retained', () => {
    const [, bucket] = exportsBucket();
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('writes server access logs to a separate private log bucket', () => {
    const [, bucket] = exportsBucket();
    const logBucketId = logicalIdOf(
      (bucket.Properties.LoggingConfiguration as { DestinationBucketName: unknown }).DestinationBucketName,
    );
    const logBucket = resourcesOf(template, 'AWS::S3::Bucket')[logBucketId as string];
    expect(logBucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
    });
    expect(logBucket?.DeletionPolicy).toBe('Retain');
  });

  it('denies every request that does not use TLS, on both buckets', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    const bucketIds = Object.keys(resourcesOf(template, 'AWS::S3::Bucket'));
    for (const bucketId of bucketIds) {
      const statements = policies
        .filter((p) => logicalIdOf(p.Properties.Bucket) === bucketId)
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
      expect(statements, bucketId).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('publishes a read policy without writes and a read-write policy without deletes', () => {
    const policies = Object.entries(resourcesOf(template, 'AWS::IAM::ManagedPolicy'));
    const actionsOf = (prefix: string) =>
      policies
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(
          ([, p]) =>
            (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
        )
        .flatMap((s) => [s.Action].flat());
    expect(actionsOf('ExportsReadPolicy').sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(actionsOf('ExportsReadWritePolicy').sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});

describe('the user pool', () => {
  it('has exactly one group per role', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('requires a strong password and TOTP, with no self sign-up, on the Plus tier, retained', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has a public console client: no secret, SRP and refresh only', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    expect(client.Properties.GenerateSecret).toBe(false);
    expect([...(client.Properties.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.Properties.PreventUserExistenceErrors).toBe('ENABLED');
  });
});

describe('Athena over the finance exports', () => {
  it('has a Glue table per dataset over its export prefix, with dt projected from the key layout', () => {
    const tables = Object.values(resourcesOf(template, 'AWS::Glue::Table')).map(
      (t) => t.Properties.TableInput as Record<string, any>,
    );
    expect(tables.map((t) => t.Name).sort()).toEqual([
      'channel_margin',
      'inventory_valuation',
      'journal_lines',
      'kpis_daily',
      'orders',
      'returns',
      'shipments',
    ]);
    for (const t of tables) {
      expect(t.PartitionKeys, t.Name).toEqual([{ Name: 'dt', Type: 'string' }]);
      expect(t.Parameters, t.Name).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
      });
      expect(JSON.stringify(t.Parameters['storage.location.template']), t.Name).toContain(
        `/exports/${t.Name}/dt=${'$'}{dt}/`,
      );
    }
    const margin = tables.find((t) => t.Name === 'channel_margin') as Record<string, any>;
    expect(margin.StorageDescriptor.Columns).toContainEqual({ Name: 'margin', Type: 'decimal(18,4)' });
    const orders = tables.find((t) => t.Name === 'orders') as Record<string, any>;
    expect(orders.StorageDescriptor.Columns).toContainEqual({ Name: 'placed_at', Type: 'timestamp' });
    expect(orders.StorageDescriptor.Columns).toContainEqual({ Name: 'quantity', Type: 'int' });
    const journal = tables.find((t) => t.Name === 'journal_lines') as Record<string, any>;
    expect(journal.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(journal.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
    });
    expect(JSON.stringify(journal.Parameters['storage.location.template'])).toContain(
      // Athena's placeholder, literally (not a JS template).
      `/exports/journal_lines/dt=${'$'}{dt}/`,
    );
    expect(journal.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      'entry_id',
      'line_no',
      'posted_at',
      'period',
      'account',
      'debit',
      'credit',
      'currency',
      'source_event_id',
      'source_type',
      'reference',
      'sku',
      'location_id',
      'channel_id',
    ]);
    expect(journal.StorageDescriptor.Columns[5]).toEqual({ Name: 'debit', Type: 'decimal(18,4)' });
    expect(journal.StorageDescriptor.SerdeInfo.SerializationLibrary).toContain('ParquetHiveSerDe');
  });
});
