import { join } from 'node:path';
import { ConfigError } from '../config/config.ts';
import { type BlobStore, createDiskBlobStore } from './blob-store.ts';
import type { AssetsConfig } from './config.ts';

/** The media store the configuration asks for: the bucket when `s3Bucket` is set, else `<dataDir>/blobs`. */
export async function blobStoreFor(
  config: AssetsConfig,
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): Promise<BlobStore> {
  if (!config.s3Bucket) return createDiskBlobStore(dataDir);
  if (Boolean(config.s3AccessKeyId) !== Boolean(config.s3SecretAccessKey))
    throw new ConfigError(
      'Set both --s3-access-key-id and --s3-secret-access-key (or JURY_S3_ACCESS_KEY_ID and JURY_S3_SECRET_ACCESS_KEY), or neither to use the AWS_* variables.',
    );
  // Loaded only for a bucket: the AWS SDK adds a few hundred ms to every start of every `jury` command.
  const { createS3BlobStore } = await import('./s3-blob-store.ts');
  return createS3BlobStore({
    bucket: config.s3Bucket,
    prefix: config.s3Prefix,
    region: config.s3Region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint: config.s3Endpoint || undefined,
    forcePathStyle: config.s3ForcePathStyle,
    credentials: config.s3AccessKeyId
      ? { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey }
      : undefined,
    // Uploads are hashed in the data directory's tmp/ before they go to the bucket.
    tmpDir: join(dataDir, 'tmp'),
  });
}
