import { z } from 'zod';
import { knob, switchKnob, textKnob } from '../config/knob.ts';

// S3's own rule for bucket names; an empty name keeps media on disk in the data directory.
const BUCKET = /^(|[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
// A key prefix: no leading slash, no control characters.
const PREFIX = /^(|[^/\p{Cc}][^\p{Cc}]{0,511})$/u;
const URL_OR_EMPTY = /^(|https?:\/\/[^\s/?#]+(\/[^\s?#]*)?)$/;
const PLAIN = /^[^\s\p{Cc}]*$/u;

export const assetsConfig = z.object({
  maxUploadBytes: knob(z.number().int().positive(), {
    description: 'largest accepted media upload, in MiB',
    default: 100 * 1024 * 1024,
    flag: 'max-upload-mb',
    scale: 1024 * 1024,
  }),
  s3Bucket: textKnob(z.string().regex(BUCKET), {
    description: 'keep uploaded media in this S3 (or S3-compatible) bucket instead of the data directory',
    placeholder: 'name',
    default: '',
    accepts: 'an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)',
  }),
  s3Prefix: textKnob(z.string().regex(PREFIX), {
    description: 'key prefix for media in the bucket, e.g. jury/ (a / is added when missing)',
    placeholder: 'prefix',
    default: '',
    accepts: 'a key prefix of at most 512 characters that does not start with /',
  }),
  s3Region: textKnob(z.string().regex(PLAIN), {
    description: "the bucket's region (default: AWS_REGION, else us-east-1)",
    placeholder: 'region',
    default: '',
    accepts: 'a region name such as eu-west-1',
  }),
  s3Endpoint: textKnob(z.string().regex(URL_OR_EMPTY), {
    description: 'URL of an S3-compatible server (MinIO, Ceph, R2, …); default: AWS S3 of the region',
    placeholder: 'url',
    default: '',
    accepts: 'an http:// or https:// URL such as http://127.0.0.1:9000',
  }),
  s3ForcePathStyle: switchKnob({
    description:
      'address the bucket as <endpoint>/<bucket> rather than <bucket>.<endpoint> (most S3-compatible servers)',
    default: false,
  }),
  s3AccessKeyId: textKnob(z.string().regex(PLAIN), {
    description: "the bucket's access key id (default: AWS_ACCESS_KEY_ID, a profile or the machine's role)",
    placeholder: 'id',
    default: '',
    accepts: 'an access key id without spaces',
  }),
  s3SecretAccessKey: textKnob(z.string().regex(PLAIN), {
    description:
      'the secret of --s3-access-key-id; prefer the variable to the flag, which other users see in ps',
    placeholder: 'secret',
    default: '',
    accepts: 'a secret access key without spaces',
    secret: true,
  }),
});

export type AssetsConfig = z.infer<typeof assetsConfig>;
