import { z } from 'zod';
import { knob, switchKnob } from '../config/knob.ts';

// The crowd-integrity limits (README "Crowd integrity"). Counted per client address (the address
// http/client-info.ts reads, which honours trustedProxyHops; IPv6 by /64), per labeler or per API client, in the
// database so every server process agrees (limits/limiter.ts). 0 switches a limit off.
export const limitsConfig = z.object({
  labelerSessionsPerAddress: knob(z.number().int().min(0), {
    description:
      'new labeler sessions one client address may start per hour (a lab behind one NAT shares it), 0 no limit',
    default: 100,
  }),
  labelerRequestsPerMinute: knob(z.number().int().min(0), {
    description:
      'requests one labeler may make to the labeler API per minute (every route of a session), 0 no limit',
    default: 1200,
  }),
  tokenRequestsPerClient: knob(z.number().int().min(0), {
    description: 'POST /connect/token requests per client id per minute (right or wrong secret), 0 no limit',
    default: 60,
  }),
  tokenRequestsPerAddress: knob(z.number().int().min(0), {
    description: 'POST /connect/token requests per client address per minute, 0 no limit',
    default: 120,
  }),
  leasesPerLabeler: knob(z.number().int().min(1).max(10), {
    description: 'live leases (tasks being answered) one labeler may hold at once',
    default: 1,
  }),
  leasesPerAddress: knob(z.number().int().min(0), {
    description:
      'live leases the labelers of one client address may hold together, so throw-away sessions cannot lock a job, 0 no limit',
    default: 50,
  }),
  answersPerAddressPerDatapoint: knob(z.number().int().min(0), {
    description:
      'answers (responses + live leases) the labelers of one client address may give one datapoint, or one pair of a leaderboard prompt or ranking, 0 no limit',
    default: 2,
  }),
  flaggedWeight: knob(z.number().min(0).max(1), {
    description:
      'weight of the trust score of a flagged (too fast) answer in results and confidence stopping, 1 unflagged',
    default: 0.25,
  }),
  limitLoopback: switchKnob({
    description:
      'apply the limits to clients on this machine too (loopback: jury simulate, scripts, tests are exempt by default)',
    default: false,
  }),
});

export type LimitsConfig = z.infer<typeof limitsConfig>;
