import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

export const MEDIA_KINDS = ['image', 'video', 'audio'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const assetSchema = z
  .object({
    id: z.string().openapi({ example: 'ast_7d1k2m9q0x' }),
    kind: z.enum(MEDIA_KINDS),
    source: z.enum(['upload', 'url']),
    mimeType: z.string().openapi({ example: 'image/png' }),
    sha256: z.string().nullable().openapi({ description: 'Hex digest of the content (uploads only)' }),
    size: z.number().int().nullable(),
    fileName: z.string().nullable(),
    url: z
      .string()
      .openapi({ description: 'Where labelers load it from: a /media/ path for uploads, or the public URL' }),
    createdAt: timestamp,
  })
  .openapi('Asset');

export const uploadAssetQuerySchema = z
  .object({
    fileName: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .openapi({ description: 'Original file name, kept for display' }),
  })
  .strict();

export const uploadAssetRoute = createRoute({
  operationId: 'uploadAsset',
  method: 'post',
  path: '/api/v1/assets',
  tags: ['assets'],
  summary: 'Upload a media file (image, video or audio); identical content is stored once',
  description:
    'Send the raw bytes as the body (`Content-Type: application/octet-stream`). The media type is sniffed from the content, not trusted from the client. Re-uploading identical content returns the existing asset with status 200.',
  security: requesterSecurity,
  request: {
    query: uploadAssetQuerySchema,
    body: {
      content: {
        'application/octet-stream': { schema: z.string().openapi({ type: 'string', format: 'binary' }) },
      },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'Already stored: the existing asset',
      content: { 'application/json': { schema: dataEnvelope(assetSchema) } },
    },
    201: { description: 'Stored', content: { 'application/json': { schema: dataEnvelope(assetSchema) } } },
    ...errorResponses(
      'UNAUTHENTICATED',
      'CSRF_REJECTED',
      'VALIDATION_FAILED',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
    ),
  },
});

export const registerUrlAssetSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .openapi({ example: 'https://example.com/cat.jpg' }),
    kind: z
      .enum(MEDIA_KINDS)
      .optional()
      .openapi({ description: 'Optional: the kind you expect; the content fetched from the URL decides' }),
  })
  .strict()
  .openapi('RegisterUrlAsset');

export const registerUrlAssetRoute = createRoute({
  operationId: 'registerUrlAsset',
  method: 'post',
  path: '/api/v1/assets/url',
  tags: ['assets'],
  summary: 'Register a public URL as an asset (labelers load it from the URL)',
  description:
    'The server fetches the start of the URL once (10 s at most) and checks that it answers (else `URL_UNREACHABLE`), is an image, video or audio file sniffed from its bytes like uploads (else `UNSUPPORTED_MEDIA_TYPE`; `kind`, when given, must match) and is within the upload size limit when its server says its size (else `PAYLOAD_TOO_LARGE`). Registering the same URL again returns the existing asset with status 200 without fetching it.',
  security: requesterSecurity,
  request: { body: { content: { 'application/json': { schema: registerUrlAssetSchema } }, required: true } },
  responses: {
    200: {
      description: 'Already registered',
      content: { 'application/json': { schema: dataEnvelope(assetSchema) } },
    },
    201: {
      description: 'Registered',
      content: { 'application/json': { schema: dataEnvelope(assetSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'URL_UNREACHABLE'),
  },
});

const assetId = idParamSchema('AssetId', 'ast_7d1k2m9q0x');

export const getAssetRoute = createRoute({
  operationId: 'getAsset',
  method: 'get',
  path: '/api/v1/assets/{id}',
  tags: ['assets'],
  summary: "An asset's metadata",
  security: requesterSecurity,
  request: { params: assetId },
  responses: {
    200: { description: 'The asset', content: { 'application/json': { schema: dataEnvelope(assetSchema) } } },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getAssetContentRoute = createRoute({
  operationId: 'getAssetContent',
  method: 'get',
  path: '/api/v1/assets/{id}/content',
  tags: ['assets'],
  summary: "An uploaded asset's bytes (supports Range requests)",
  security: requesterSecurity,
  request: { params: assetId },
  responses: {
    200: {
      description: 'The content',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    206: {
      description: 'Part of the content (Range)',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND', 'RANGE_NOT_SATISFIABLE'),
  },
});

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
});

export const getMediaRoute = createRoute({
  operationId: 'getMedia',
  method: 'get',
  path: '/media/{sha256}',
  tags: ['assets'],
  summary:
    'Uploaded media by content hash, for requesters of an organization that owns it (supports Range requests); labelers get media under references',
  security: requesterSecurity,
  request: {
    params: z.object({
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest')
        .openapi({ param: { name: 'sha256', in: 'path' } }),
    }),
  },
  responses: {
    200: binary('The content'),
    206: binary('Part of the content (Range)'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND', 'RANGE_NOT_SATISFIABLE'),
  },
});

const mediaRefParam = z.object({
  ref: z
    .string()
    .min(40)
    .max(4096)
    .regex(/^[A-Za-z0-9_-]+$/, 'a media reference (base64url)')
    .openapi({ param: { name: 'ref', in: 'path' } }),
});

export const getLabelerMediaRoute = createRoute({
  operationId: 'getLabelerMedia',
  method: 'get',
  path: '/api/v1/labeler/media/{ref}',
  tags: ['labeler'],
  summary:
    "A task's medium under its opaque reference, while the labeler holds the task (supports Range requests)",
  description:
    "References come in the task JSON (`items[].url`, `mediaContext[].url`) and name no file, asset or hash. A task's reference serves only the session of the labeler holding its lease, until the lease ends; a qualification example's only that labeler's session, for an hour; a preview's anyone with the preview link, until the link expires. Anything else is a 404.",
  request: { params: mediaRefParam },
  responses: {
    200: binary("The content (a URL asset's too, fetched through this server: its address stays hidden)"),
    206: binary('Part of the content (Range)'),
    ...errorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'RANGE_NOT_SATISFIABLE', 'URL_UNREACHABLE'),
  },
});

export const mediaReferenceSchema = z
  .object({
    assetId: z.string(),
    /** The item's name as the datapoint gave it (file basename or URL). */
    name: z.string(),
  })
  .openapi('MediaReference');
export type MediaReference = z.infer<typeof mediaReferenceSchema>;

export const resolveMediaReferenceRoute = createRoute({
  operationId: 'resolveMediaReference',
  method: 'get',
  path: '/api/v1/media-references/{ref}',
  tags: ['assets'],
  summary:
    "Which of your assets a labeler's media reference names (e.g. which model made a side of a matchup)",
  security: requesterSecurity,
  request: { params: mediaRefParam },
  responses: {
    200: {
      description: 'The asset and item name',
      content: { 'application/json': { schema: dataEnvelope(mediaReferenceSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export type Asset = z.infer<typeof assetSchema>;
