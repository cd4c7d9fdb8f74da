import { bareContactsLoop, runtimeContactsRead, startSandboxProcess } from './hubspot-reads.js';
import { alternatingPairs, measured, median, type Measured } from './support.js';

/**
 * `npm run bench:read [-- --records N]`: records per second reading N (default 100,000) HubSpot
 * contacts from the sandbox through the connector runtime (auth, requester, classify, paginator,
 * selector, cursor), next to a bare loop that fetches and JSON.parses the same pages from the same
 * sandbox in the same run, with peak resident memory of each phase. Goal: ≥ 0.9 of the bare loop,
 * peak RSS under 200 MB. The sandbox runs in its own process.
 */
const flag = process.argv.indexOf('--records');
const records = flag > 0 ? Number(process.argv[flag + 1]) : 100_000;
const sandbox = await startSandboxProcess(records);
const bareLoop = () => bareContactsLoop(sandbox.url);
const runtimeRead = () => runtimeContactsRead(sandbox.url);

// Warm both sides (JIT tiers, connection pool, the sandbox's own JIT) on two full reads each: after
// one, the runtime, which has more code to optimise, still ran its first measured read slower.
for (let i = 0; i < 2; i++) {
  await bareLoop();
  await runtimeRead();
}
// Five rounds of one read each, the two sides in turn and the order swapped every round. Each side
// is reported by its median round, and the ratio is the median of the rounds' own ratios: the
// sandbox and the machine drift from round to round, and a pair run back to back shares the drift.
// Peak RSS is the highest of every round, not of a chosen one.
type Round = Measured<number>;
const rounds: Array<{ bare: Round; runtime: Round }> = (await alternatingPairs(5, () => measured(runtimeRead), () => measured(bareLoop))).map((p) => ({ runtime: p.first, bare: p.second }));
for (const [name, key] of [['bare fetch + JSON.parse', 'bare'], ['connector runtime', 'runtime']] as const) {
  const side = rounds.map((r) => r[key]);
  const seconds = median(side.map((r) => r.seconds));
  const peakMb = Math.max(...side.map((r) => r.peakMb));
  console.log(`${name.padEnd(24)} ${side[0]!.result} records, median ${seconds.toFixed(2)} s = ${Math.round(side[0]!.result / seconds)} records/s, peak RSS ${peakMb.toFixed(0)} MB`);
}
const ratio = median(rounds.map((r) => r.bare.seconds / r.runtime.seconds));
const runtimePeak = Math.max(...rounds.map((r) => r.runtime.peakMb));
console.log(`rounds (runtime s, bare s): ${rounds.map((r) => `${r.runtime.seconds.toFixed(2)}/${r.bare.seconds.toFixed(2)}`).join(' ')}`);
console.log(`ratio runtime / bare: ${ratio.toFixed(2)} (goal ≥ 0.9); runtime peak RSS ${runtimePeak.toFixed(0)} MB (goal < 200 MB)`);
sandbox.stop();
