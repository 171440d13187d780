/**
 * The reference product's ranking job and ranking flow, in TypeScript, against your own Jury server.
 *
 *   npm start                                             # terminal 1: the server
 *   npm run jury -- simulate --truth-file examples/ranking-truth.json --until-idle   # terminal 2: labelers
 *   npx node examples/ranking.ts                          # terminal 3: this script
 *
 * Prints one JSON document: the ranking job's results (each list best first, with scores and intervals), a flow
 * item ranked to its maxResponseThreshold, and a flow item whose time to live (60 s) ran out first.
 */
import { JuryClient } from '@jury/sdk';

const client = new JuryClient();
const audience = await client.audience.getAudienceById('global');

// A ranking job: each inner list is ranked on its own, 30 matchups each.
const definition = await client.job.createRankingJobDefinition({
  name: 'Example Ranking Job',
  instruction: 'Which dessert sounds tastier?',
  dataType: 'text',
  datapoints: [
    ['plain rice', 'chocolate cake', 'apple pie', 'lemon tart'],
    ['dry toast', 'crème brûlée', 'tiramisu'],
  ],
  comparisonBudgetPerRanking: 30,
  randomComparisonsRatio: 0.5,
  contexts: ['Baked desserts', 'Italian and French desserts'],
});
const job = await audience.assignJob(definition);
await job.displayProgressBar();
const jobResults = await job.getResults();

// A ranking flow: each batch is one flow item, ranked with the flow's settings.
const flow = await client.flow.createRankingFlow({
  name: 'Example Ranking Flow',
  instruction: 'Which dessert sounds tastier?',
  maxResponseThreshold: 30,
  minResponseThreshold: 10,
});
await client.flow.preheat();
const item = await flow.createNewFlowBatch(['tiramisu', 'plain rice', 'apple pie'], {
  dataType: 'text',
  context: 'Pick the one you would order',
});
const completed = await item.getResults();

// A flow that asks for more than it can get within its time to live: the item reports what it has.
const patient = await client.flow.createRankingFlow({
  name: 'Example Expiring Flow',
  instruction: 'Which dessert sounds tastier?',
  maxResponseThreshold: 100_000,
});
const expiring = await patient.createNewFlowBatch(['lemon tart', 'dry toast'], {
  dataType: 'text',
  timeToLive: 60,
});
const expired = await expiring.getResults();

console.log(
  JSON.stringify(
    {
      rankingJob: jobResults.rankings.map((r) => ({
        context: r.context,
        totalVotes: r.totalVotes,
        ranking: r.datapoints,
      })),
      flowItem: {
        status: completed.status,
        totalVotes: completed.totalVotes,
        datapoints: completed.datapoints,
      },
      expiredFlowItem: {
        status: expired.status,
        totalVotes: expired.totalVotes,
        datapoints: expired.datapoints,
      },
      matrix: await item.getWinLossMatrix(),
    },
    null,
    2,
  ),
);
