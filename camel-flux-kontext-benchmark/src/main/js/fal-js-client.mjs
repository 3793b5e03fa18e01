// fal's own JS client (@fal-ai/client, the version the simulator's package-lock.json pins) as a benchmark
// client: fal.subscribe() per job, polling (the client's default, every 500 ms) or mode "streaming".
// Driven by the harness (WaitBenchmark) over stdin/stdout, the same protocol as ComponentClient.java:
// commands "warmup N", "throughput N", "latency N", "hold N", "measure", "exit"; answers "@bench <event> <json>".
// Run with --expose-gc (heap after GC). Arguments: simulator base URL, polling|streaming, output dir, file prefix,
// and optionally the most connections to the simulator (default: no limit, as Node's fetch has it).
import { createFalClient } from "@fal-ai/client";
import { createInterface } from "node:readline";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [SIM, MODE, OUTPUT_DIR, FILE_PREFIX, MAX_CONNECTIONS] = process.argv.slice(2);
const ENDPOINT = "fal-ai/flux-pro/kontext/text-to-image";
const SAMPLE_MS = 100;

// Node's fetch opens a connection per request in flight, and a request sent as soon as the previous answer
// was read (fal's client sends the first status request right after the submit's answer) does not find that
// connection free yet: about two per job, 20,000 at 10,000 jobs, which is this machine's limit of open files.
// A user then caps them with undici's setGlobalDispatcher(new Agent({ connections })); undici keeps the
// global dispatcher under this symbol (for several undici copies in one process), so Node's own Agent class
// serves without another package.
if (MAX_CONNECTIONS) {
  const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
  await fetch(`${SIM}/.well-known/jwks.json`).then((r) => r.arrayBuffer()); // makes Node's default dispatcher
  const Agent = globalThis[GLOBAL_DISPATCHER].constructor;
  globalThis[GLOBAL_DISPATCHER] = new Agent({ connections: Number(MAX_CONNECTIONS) });
}

// The simulator README's way to point the client at it: rewrite each URL, keep the original host.
const fal = createFalClient({
  credentials: "benchmark-key",
  requestMiddleware: async (request) => {
    const u = new URL(request.url);
    return { ...request, url: SIM + u.pathname + u.search, headers: { ...request.headers, "x-fal-target-host": u.hostname } };
  },
});

const send = (event, fields) => process.stdout.write(`@bench ${event} ${JSON.stringify(fields)}\n`);
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

// OS threads (node has no others to count): /proc/self/status, and their names from /proc/self/task/*/comm;
// open files (sockets included): /proc/self/fd, every 500 ms.
function threadCount() {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))[1]);
}
function threadGroups() {
  const groups = {};
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim().replace(/\d+/g, "#");
      groups[name] = (groups[name] || 0) + 1;
    } catch {
      // the thread ended meanwhile
    }
  }
  return groups;
}
function added(groups) {
  const out = {};
  for (const [name, count] of Object.entries(groups)) {
    const more = count - (baselineGroups[name] || 0);
    if (more > 0) out[name] = more;
  }
  return out;
}
const baselineGroups = threadGroups();
const baseline = threadCount();
let peak = baseline;
let peakGroups = baselineGroups;
let peakOpenFiles = 0;
let samples = 0;
setInterval(() => {
  try {
    if (samples++ % 5 === 0) {
      peakOpenFiles = Math.max(peakOpenFiles, readdirSync("/proc/self/fd").length - 1); // the listing's own
    }
    const count = threadCount();
    if (count > peak) {
      peak = count;
      peakGroups = threadGroups();
    }
  } catch (e) {
    // out of files (EMFILE) is for the jobs to report, as their failures; the sampler tries again
  }
}, SAMPLE_MS).unref();

function heapAfterGc() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

// One round of jobs, all subscribed at once.
function submit(jobs) {
  const phase = {
    jobs,
    requestIds: new Array(jobs).fill(null),
    continuedMicros: new Array(jobs).fill(0),
    enqueued: 0,
    settled: 0,
    failed: 0,
    failures: {},
    startMicros: nowMicros(),
    lastMicros: 0,
  };
  phase.all = Promise.all(
    Array.from({ length: jobs }, (_, i) => {
      const options = {
        input: { prompt: `A lighthouse at dusk, watercolour, benchmark job ${i}` },
        onEnqueue: () => phase.enqueued++,
      };
      if (MODE === "streaming") options.mode = "streaming";
      return fal.subscribe(ENDPOINT, options).then(
        (result) => {
          phase.continuedMicros[i] = nowMicros(); // the promise resolved: the caller continues
          phase.requestIds[i] = result.requestId;
        },
        (error) => {
          phase.failed++;
          const reason = String(error && error.message ? error.message : error).slice(0, 160);
          phase.failures[reason] = (phase.failures[reason] || 0) + 1;
        },
      ).finally(() => {
        phase.settled++;
        phase.lastMicros = Math.max(phase.lastMicros, nowMicros());
      });
    }),
  );
  return phase;
}

let heapBefore = 0;
let held = null;

async function runToCompletion(name, jobs) {
  const phase = submit(jobs);
  await phase.all;
  const results = join(OUTPUT_DIR, `${FILE_PREFIX}-${name}.txt`);
  const lines = [];
  for (let i = 0; i < jobs; i++) {
    if (phase.requestIds[i]) lines.push(`${phase.requestIds[i]} ${phase.continuedMicros[i]}`);
  }
  writeFileSync(results, lines.join("\n") + "\n");
  send("done", {
    phase: name,
    wallMs: (phase.lastMicros - phase.startMicros) / 1000,
    failed: phase.failed,
    failures: phase.failures,
    results,
    threadsPeak: peak,
    threadsAddedAtPeak: added(peakGroups),
  });
}

async function hold(jobs) {
  held = null;
  heapBefore = heapAfterGc();
  held = submit(jobs);
  while (held.enqueued + held.failed < jobs) {
    await new Promise((resolve) => setTimeout(resolve, 20)); // a benchmark driver polling a counter
  }
  send("submitted", { waiting: held.enqueued - held.settled, failed: held.failed, failures: held.failures });
}

function measure() {
  const heap = heapAfterGc();
  send("measured", {
    waiting: held.enqueued - held.settled,
    heapBefore,
    heapWaiting: heap,
    threadsBaseline: baseline,
    threadsWaiting: threadCount(),
    threadsPeak: peak,
    threadsAddedWaiting: added(threadGroups()),
    threadsAddedAtPeak: added(peakGroups),
    openFilesPeak: peakOpenFiles,
    heapUnit: "V8 heapUsed after gc()",
  });
}

send("ready", { pid: process.pid, threadsBaseline: baseline });
const commands = createInterface({ input: process.stdin });
// one command at a time, in order
let queue = Promise.resolve();
commands.on("line", (line) => {
  const [command, arg] = line.trim().split(" ");
  queue = queue.then(async () => {
    switch (command) {
      case "warmup":
      case "throughput":
      case "latency":
        return runToCompletion(command, Number(arg));
      case "hold":
        return hold(Number(arg));
      case "measure":
        return measure();
      case "exit":
        return process.exit(0);
      default:
        throw new Error(`Unknown command: ${line}`);
    }
  }).catch((e) => {
    console.error(e);
    process.exit(3);
  });
});
commands.on("close", () => process.exit(1)); // the harness went away
