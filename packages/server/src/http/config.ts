import { z } from 'zod';
import { knob, textKnob } from '../config/knob.ts';

export const httpConfig = z.object({
  maxJsonBytes: knob(z.number().int().positive(), {
    description: 'largest accepted JSON or form body, in KiB',
    default: 1024 * 1024,
    flag: 'max-json-kb',
    scale: 1024,
  }),
  requestTimeoutSeconds: knob(z.number().int().positive(), {
    description: 'seconds a client may take to send a whole request (its headers: at most 10 s)',
    default: 120,
  }),
  trustedProxyHops: knob(z.number().int().min(0).max(10), {
    description:
      'reverse proxies in front of Jury whose X-Forwarded-Proto and X-Forwarded-For are believed (0: none)',
    default: 0,
  }),
  corsOrigins: textKnob(z.string().regex(/^(|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/), {
    description:
      'origins (comma-separated, e.g. https://tools.example.com) whose browsers may call /api/v1 with a bearer token; empty: none',
    default: '',
    placeholder: 'origins',
    accepts: 'a comma-separated list of http(s) origins',
  }),
});
