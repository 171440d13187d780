/**
 * The reference product's Model Ranking Insights example, in TypeScript, with local images, against your own Jury
 * server: a benchmark of three prompts, a leaderboard, three models submitted together, their standings; then a
 * fourth model added later (addModel, uploadMedia, run) is matched against the field and ranked.
 *
 *   npm start                                                          # terminal 1: the server
 *   npm run jury -- simulate --accuracy 1 --strengths-file s.json      # terminal 2: simulated labelers (or /label)
 *   npx node examples/mri.ts                                           # terminal 3: this script
 *
 * with s.json e.g. { "model-a": 1, "model-b": 0, "model-c": -1, "model-d": 2 } (true strengths; without the file
 * the simulator draws them from its --seed).
 */
import { fileURLToPath } from 'node:url';
import { JuryClient, type JuryLeaderboard } from '@jury/sdk';

const image = (name: string) => fileURLToPath(new URL(`./images/mri/${name}.png`, import.meta.url));
const PROMPTS = [
  'A serene mountain landscape at sunset',
  'A futuristic city with flying cars',
  'A portrait of a wise old wizard',
];
const SHORT = ['mountain', 'city', 'wizard'];

const client = new JuryClient();

const benchmark = await client.mri.createNewBenchmark('AI Art Competition', { prompts: PROMPTS });

const leaderboard = await benchmark.createLeaderboard({
  name: 'Realism',
  instruction: 'Which image is more realistic?',
  showPrompt: false,
  levelOfDetail: 300, // comparisons per evaluation run ('debug' 20, 'low' 2,000 … 'very high' 16,000)
});

// benchmark.evaluateModel(name, { media, prompts }) adds and submits one model; here three are added, then
// submitted together, so that one evaluation run matches them against each other.
for (const model of ['model-a', 'model-b', 'model-c'])
  await benchmark.addModel(model, { media: SHORT.map((p) => image(`${model}-${p}`)), prompts: PROMPTS });
await benchmark.run();

async function printStandings(board: JuryLeaderboard, title: string) {
  await board.waitUntilMatched({ timeoutMs: 10 * 60_000 });
  const { standings, warnings } = await board.getStandings();
  console.log(`${title} (${board.votes} votes)`);
  for (const s of standings)
    console.log(
      `  ${s.rank}. ${s.name}  ${s.score.toFixed(0)} [${s.lower.toFixed(0)}, ${s.upper.toFixed(0)}]  ${s.votes} votes`,
    );
  for (const w of warnings) console.log(`  warning: ${w.message}`);
}

await printStandings(leaderboard, 'Standings');

// A fourth model, added without submitting, given more media, then run: it is matched against the field.
const later = await benchmark.addModel('model-d', {
  media: [image('model-d-mountain'), image('model-d-city')],
  prompts: PROMPTS.slice(0, 2),
});
await later.uploadMedia({ media: [image('model-d-wizard')], prompts: [PROMPTS[2]!] });
await later.run();

await printStandings(leaderboard, 'Standings with model-d');
