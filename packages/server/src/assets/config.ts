import { z } from 'zod';
import { knob } from '../config/knob.ts';

export const assetsConfig = z.object({
  maxUploadBytes: knob(z.number().int().positive(), {
    description: 'largest accepted media upload, in MiB',
    default: 100 * 1024 * 1024,
    flag: 'max-upload-mb',
    scale: 1024 * 1024,
  }),
});
