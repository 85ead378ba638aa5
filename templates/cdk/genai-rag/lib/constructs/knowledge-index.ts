import { Aws, Stack, Validations } from "aws-cdk-lib";
import * as bedrock from "aws-cdk-lib/aws-bedrock";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3vectors from "aws-cdk-lib/aws-s3vectors";
import { Construct } from "constructs";

export interface KnowledgeIndexProps {
  /** short, lower-case name of this index: blue or green */
  readonly color: string;
  /** the app's name, for the knowledge base's name */
  readonly appName: string;
  readonly vectorBucketArn: string;
  readonly documents: s3.IBucket;
  /** only keys under this prefix are documents */
  readonly documentsPrefix: string;
  readonly key: kms.IKey;
  readonly embeddingModelId: string;
  readonly dimensions: number;
  /** chunking: tokens a chunk, and the share that overlaps the next one */
  readonly chunkTokens: number;
  readonly overlapPercentage: number;
}

/**
 * One searchable copy of the documents: an S3 Vectors index, a Bedrock knowledge base that uses it, the
 * S3 data source it ingests from, and the role Bedrock assumes for it, allowed this index, the
 * documents prefix and the embedding model only. The app keeps two (blue and green) so a rebuilt one
 * can be tested while the other answers.
 */
export class KnowledgeIndex extends Construct {
  readonly index: s3vectors.CfnIndex;
  readonly knowledgeBase: bedrock.CfnKnowledgeBase;
  readonly dataSource: bedrock.CfnDataSource;

  constructor(scope: Construct, id: string, props: KnowledgeIndexProps) {
    super(scope, id);
    this.index = new s3vectors.CfnIndex(this, "Index", {
      vectorBucketArn: props.vectorBucketArn,
      indexName: `${props.color}-index`,
      dataType: "float32",
      dimension: props.dimensions,
      distanceMetric: "cosine",
      // Bedrock stores each chunk's text and its own bookkeeping in these keys; filterable metadata is
      // limited to 2 KB a vector, so they must be non-filterable or ingestion fails
      metadataConfiguration: { nonFilterableMetadataKeys: ["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"] },
    });

    const embeddingModelArn = `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}::foundation-model/${props.embeddingModelId}`;
    const policy = new iam.ManagedPolicy(this, "Policy", {
      description: `Knowledge base ${props.color}: read documents, embed them, write the ${props.color} index`,
      statements: [
        new iam.PolicyStatement({ actions: ["bedrock:InvokeModel"], resources: [embeddingModelArn] }),
        new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [props.documents.bucketArn], conditions: { StringLike: { "s3:prefix": [`${props.documentsPrefix}*`] } } }),
        new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [props.documents.arnForObjects(`${props.documentsPrefix}*`)] }),
        new iam.PolicyStatement({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.key.keyArn] }),
        new iam.PolicyStatement({
          actions: ["s3vectors:PutVectors", "s3vectors:GetVectors", "s3vectors:DeleteVectors", "s3vectors:QueryVectors", "s3vectors:ListVectors", "s3vectors:GetIndex"],
          resources: [this.index.attrIndexArn],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stackLogicalId(props.documents)}.Arn>/${props.documentsPrefix}*]`,
      reason: `Documents are added and renamed by their owners, so the knowledge base reads any object under ${props.documentsPrefix} (s3:GetObject only), and nothing outside it.`,
    });
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("bedrock.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:knowledge-base/*` },
        },
      }),
      description: `Bedrock knowledge base ${props.color} of ${props.appName}`,
      managedPolicies: [policy],
    });

    this.knowledgeBase = new bedrock.CfnKnowledgeBase(this, "KnowledgeBase", {
      name: `${props.appName}-${props.color}`,
      description: `${props.appName}: documents index ${props.color}`,
      roleArn: role.roleArn,
      knowledgeBaseConfiguration: {
        type: "VECTOR",
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn,
          embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: props.dimensions, embeddingDataType: "FLOAT32" } },
        },
      },
      storageConfiguration: { type: "S3_VECTORS", s3VectorsConfiguration: { indexArn: this.index.attrIndexArn } },
    });

    this.dataSource = new bedrock.CfnDataSource(this, "DataSource", {
      knowledgeBaseId: this.knowledgeBase.attrKnowledgeBaseId,
      name: "documents",
      description: `Files under ${props.documentsPrefix} with their .metadata.json sidecars`,
      dataSourceConfiguration: {
        type: "S3",
        s3Configuration: { bucketArn: props.documents.bucketArn, inclusionPrefixes: [props.documentsPrefix], bucketOwnerAccountId: Aws.ACCOUNT_ID },
      },
      // chunks and their transient copies during ingestion are encrypted with the app's key
      serverSideEncryptionConfiguration: { kmsKeyArn: props.key.keyArn },
      vectorIngestionConfiguration: {
        chunkingConfiguration: {
          chunkingStrategy: "FIXED_SIZE",
          fixedSizeChunkingConfiguration: { maxTokens: props.chunkTokens, overlapPercentage: props.overlapPercentage },
        },
      },
      // removing the data source removes its vectors, so the index never answers from deleted files
      dataDeletionPolicy: "DELETE",
    });
  }

  get knowledgeBaseArn(): string {
    return this.knowledgeBase.attrKnowledgeBaseArn;
  }
}

/** The logical id cdk-nag prints for a bucket in a policy resource. */
function stackLogicalId(bucket: s3.IBucket): string {
  return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
}
