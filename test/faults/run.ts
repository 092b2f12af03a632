// npm run faults: every fault-injection scenario at full scale, as a table.
import type { Figures, Scale } from './harness.ts';
import { reloadUnderLoad, receiverDown, watchCuts } from './scenarios.ts';

const SCENARIOS: readonly ((scale: Scale) => Promise<Figures>)[] = [receiverDown, watchCuts, reloadUnderLoad];

const scale: Scale = { time: Number(process.env['FAULTS_TIME_SCALE'] ?? 1), events: Number(process.env['FAULTS_EVENT_SCALE'] ?? 1) };
const rows: Figures[] = [];
for (const scenario of SCENARIOS) {
  const figures = await scenario(scale);
  rows.push(figures);
  console.log(JSON.stringify(figures));
}
const header = ['scenario', 'accepted', 'delivered', 'dead-lettered', 'lost', 'duplicated', 'notes'];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.scenario} | ${r.accepted} | ${r.delivered} | ${r.deadLettered} | ${r.lost} | ${r.duplicated} | ${r.notes ?? ''} |`);
process.exitCode = rows.every((r) => r.lost === 0 && r.duplicated === 0) ? 0 : 1;
