import { z } from 'zod';
import { knob } from '../config/knob.ts';

export const authConfig = z.object({
  tokenTtlSeconds: knob(z.number().int().positive(), {
    description: 'how long an access token from POST /connect/token is valid, in seconds',
    default: 3600,
  }),
  tokenPurgeSeconds: knob(z.number().int().positive(), {
    description: 'how often expired access tokens are deleted, in seconds',
    default: 3600,
  }),
});
