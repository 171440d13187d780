/**
 * The reference product's quick example, in TypeScript, against your own Jury server.
 *
 *   npm start                                  # terminal 1: the server (creates ~/.config/jury/credentials.json)
 *   npm run jury -- simulate --until-idle      # terminal 2: simulated labelers (or open http://localhost:8787/label)
 *   npx node examples/quickstart.ts            # terminal 3: this script
 */
import { fileURLToPath } from 'node:url';
import { JuryClient } from '@jury/sdk';

const image = (name: string) => fileURLToPath(new URL(`./images/${name}`, import.meta.url));

const client = new JuryClient();

const audience = await client.audience.getAudienceById('global');

const jobDefinition = await client.job.createCompareJobDefinition({
  name: 'Example Image Prompt Alignment',
  instruction: 'Which image matches the description better?',
  datapoints: [[image('book-a.png'), image('book-b.png')]],
  contexts: ['A small blue book sitting on a large red book.'],
});

await jobDefinition.preview();

const job = await audience.assignJob(jobDefinition);
await job.displayProgressBar();
const results = await job.getResults();
console.log(JSON.stringify(results, null, 2));
