// graphile-worker's job claim rate, beside Muster's scheduler:
//   node bench/graphile/claim.mjs <postgres url> <N> [concurrency]
// Runs graphile-worker's migrations, adds N jobs of a no-op task, starts one
// worker (concurrency 10 unless given) and times it from start until all N
// jobs have succeeded. Prints one JSON line on stdout:
//   {"jobs":N,"seconds":…,"rate":…,"concurrency":…,"version":…}
// Logs other than warnings and errors are dropped; those go to stderr.
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";

const [connectionString, nArg, concurrencyArg] = process.argv.slice(2);
const n = Number.parseInt(nArg ?? "", 10);
const concurrency = Number.parseInt(concurrencyArg ?? "10", 10);
if (!connectionString || !(n > 0) || !(concurrency > 0)) {
  console.error("usage: node claim.mjs <postgres url> <jobs> [concurrency]");
  process.exit(2);
}

const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[${level}] ${message}`);
});
const version = JSON.parse(
  readFileSync(new URL("./node_modules/graphile-worker/package.json", import.meta.url)),
).version;

await runMigrations({ connectionString, logger });

// Bulk insert: addJobs takes an array and inserts it in one statement
// (graphile_worker.add_jobs); chunks keep each statement moderate.
const utils = await makeWorkerUtils({ connectionString, logger });
const CHUNK = 5000;
for (let i = 0; i < n; i += CHUNK) {
  const specs = [];
  for (let j = i; j < Math.min(n, i + CHUNK); j++) {
    specs.push({ identifier: "noop", payload: { i: j } });
  }
  await utils.addJobs(specs);
}
await utils.release();

let succeeded = 0;
let failed = 0;
let resolveAll;
const allDone = new Promise((resolve) => (resolveAll = resolve));
// Our own emitter, listened to before the worker starts, so no early
// completion is missed.
const events = new EventEmitter();
events.on("job:success", () => {
  if (++succeeded === n) resolveAll();
});
events.on("job:failed", () => {
  failed++;
});
const started = process.hrtime.bigint();
const runner = await run({
  events,
  connectionString,
  logger,
  concurrency,
  pollInterval: 100,
  noHandleSignals: true,
  taskList: { noop: async () => {} },
});
await allDone;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await runner.stop();
console.log(
  JSON.stringify({ jobs: n, seconds, rate: n / seconds, concurrency, failed, version }),
);
