import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { EXPORT_TABLES } from '../functions/finance/api.ts';
import { TABLE_DEFINITION } from './manifest/table.ts';
import { ROLES } from './manifest/types.ts';
import { acknowledgeWildcardResources } from './nag.ts';
import { toPascal } from './naming.ts';

export interface QmStatefulStackProps extends StackProps {
  /** Stage name (`dev`, `prod`, ...), part of the bus and user pool names. */
  readonly stage: string;
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** The bus archive's replay window; claim-checked event payloads in S3 are kept as long. */
const EVENT_PAYLOAD_RETENTION_DAYS = 90;

/**
 * Everything that holds data or identity: the single table, the erp bus and its archive, the
 * exports bucket (and its access-log bucket) and the user pool. All of it is retained when the
 * stack is deleted, so the stateless stack can be torn down and redeployed freely; it receives
 * these resources as typed props.
 */
export class QmStatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly busArchive: events.Archive;
  readonly exportsBucket: s3.Bucket;
  /**
   * Managed policies for the exports bucket: `R` = list + get objects, `RW` = also put objects.
   * Published here, next to the bucket, so the object wildcard is reviewed where the bucket is
   * defined; the stateless stack attaches them to the roles whose spec asks for the bucket.
   */
  readonly exportsBucketAccess: Readonly<Record<'R' | 'RW', iam.ManagedPolicy>>;
  readonly accessLogsBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  /** The ops console's public client (SRP sign-in, refresh tokens, no secret). */
  readonly consoleClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: QmStatefulStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_DEFINITION.partitionKey),
      sortKey: stringKey(TABLE_DEFINITION.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType[TABLE_DEFINITION.streamViewType],
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // KMS with the AWS managed key: encrypted at rest and visible in CloudTrail, with no key
      // policy to keep in step with the stateless stack's roles.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of TABLE_DEFINITION.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: stringKey(gsi.partitionKey),
        sortKey: stringKey(gsi.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `quartermaster-${props.stage}`,
      description: `Quartermaster ${props.stage}: every qm.* domain event and partner/3PL event`,
    });
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.busArchive = this.bus.archive('Archive', {
      description: 'Every event on the bus, kept 90 days for replay',
      // The conventional "match everything" pattern: every event carries the account id.
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(EVENT_PAYLOAD_RETENTION_DAYS),
    });
    this.busArchive.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log destination of the exports bucket; logging it to itself would loop.',
    });

    this.exportsBucket = new s3.Bucket(this, 'ExportsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'exports-bucket/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        // Claim-checked event payloads: kept as long as the bus archive can replay their events.
        { prefix: 'events/', expiration: Duration.days(EVENT_PAYLOAD_RETENTION_DAYS) },
        // Raw bodies of intake exceptions over 256 KB: a year, like the exceptions' own review window.
        { prefix: 'intake-exceptions/', expiration: Duration.days(365) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.exportsBucketAccess = {
      R: this.bucketAccessPolicy(
        'ExportsReadPolicy',
        this.exportsBucket,
        ['s3:GetObject'],
        'Read Quartermaster exports',
      ),
      RW: this.bucketAccessPolicy(
        'ExportsReadWritePolicy',
        this.exportsBucket,
        // No delete: the bucket is versioned and exports are write-once.
        ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        'Read and write Quartermaster exports',
      ),
    };

    this.exportTables(props.stage);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `quartermaster-${props.stage}`,
      // Staff accounts are created by an admin; nobody signs themselves up to an ERP.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Staff move stock and post to the ledger: TOTP is required (no SMS, nothing to provision).
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: compromised-credential and risky sign-in detection, enforced.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      this.userPool.addGroup(`${toPascal(role)}Group`, {
        groupName: role,
        description: `Quartermaster role ${role}; the API reads it from the cognito:groups claim`,
      });
    }
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'ops-console',
      // A browser app cannot keep a secret; SRP never sends the password, refresh is always allowed.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /**
   * Athena reads the finance exports through a Glue database with one table per dataset. Each
   * table projects its `dt` partitions from the key layout (`exports/<dataset>/dt=YYYY-MM-DD/`),
   * so a new day is queryable the moment its files land, without a crawler or MSCK REPAIR.
   */
  private exportTables(stage: string) {
    const databaseName = `quartermaster_${stage.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
    const database = new glue.CfnDatabase(this, 'ExportsDatabase', {
      catalogId: this.account,
      databaseInput: { name: databaseName, description: 'Quartermaster finance exports (Parquet)' },
    });
    for (const [dataset, columns] of Object.entries(EXPORT_TABLES)) {
      const location = `s3://${this.exportsBucket.bucketName}/exports/${dataset}/`;
      const table = new glue.CfnTable(this, `ExportsTable${toPascal(dataset)}`, {
        catalogId: this.account,
        databaseName,
        tableInput: {
          name: dataset,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [{ name: 'dt', type: 'string' }],
          parameters: {
            classification: 'parquet',
            'projection.enabled': 'true',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.dt.range': '2024-01-01,NOW',
            'projection.dt.interval': '1',
            'projection.dt.interval.unit': 'DAYS',
            'storage.location.template': `${location}dt=\${dt}/`,
          },
          storageDescriptor: {
            columns,
            location,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
          },
        },
      });
      table.node.addDependency(database);
    }
  }

  private bucketAccessPolicy(id: string, bucket: s3.IBucket, objectActions: string[], description: string) {
    const objects = bucket.arnForObjects('*');
    const policy = new iam.ManagedPolicy(this, id, {
      description,
      statements: [
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
        new iam.PolicyStatement({ actions: objectActions, resources: [objects] }),
      ],
    });
    acknowledgeWildcardResources(
      policy,
      [objects],
      'Exports are keyed exports/<dataset>/dt=<date>/...; a reader or writer of exports needs every object of this one bucket.',
    );
    return policy;
  }
}
