import { parseArgs } from 'node:util';
import { startFakeUpstream } from './server';

// Manual runs and benches: tsx test/fake-upstream/cli.ts --port 9999 --delay 0
const { values } = parseArgs({
  options: { port: { type: 'string', default: '9999' }, delay: { type: 'string', default: '0' } },
});
const fake = await startFakeUpstream({ port: Number(values.port), delayMs: Number(values.delay) });
console.log(`fake upstream on ${fake.url} (OpenAI and Anthropic base URL ${fake.openaiBaseURL})`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
