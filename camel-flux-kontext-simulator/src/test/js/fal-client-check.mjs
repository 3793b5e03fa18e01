// Drives fal's official JS client (@fal-ai/client) against the simulator, to prove the simulator
// speaks fal's protocol as fal's own client reads it. One line per check; exit code 1 on any failure.
// Env: FAL_SIM_URL (e.g. http://127.0.0.1:8080), FAL_KEY (any non-blank key the simulator accepts).
import { deflateSync } from "node:zlib";
import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";

const SIM = (process.env.FAL_SIM_URL || "").replace(/\/$/, "");
const KEY = process.env.FAL_KEY;
if (!SIM || !KEY) {
  console.error("FAL_SIM_URL and FAL_KEY must be set");
  process.exit(2);
}

// fal-clients.md §2.1, way 1: rewrite every URL to the simulator and keep the original host.
const fal = createFalClient({
  credentials: KEY,
  requestMiddleware: async (request) => {
    const u = new URL(request.url);
    return {
      ...request,
      url: SIM + u.pathname + u.search,
      headers: { ...request.headers, "x-fal-target-host": u.hostname },
    };
  },
});

const EDIT = ["fal-ai/flux-pro/kontext", "fal-ai/flux-pro/kontext/max"];
const T2I = ["fal-ai/flux-pro/kontext/text-to-image", "fal-ai/flux-pro/kontext/max/text-to-image"];
const MULTI = ["fal-ai/flux-pro/kontext/multi", "fal-ai/flux-pro/kontext/max/multi"];
// the rest of the Kontext family: their own schemas, app ids fal-ai/flux-kontext and fal-ai/flux-kontext-lora
const DEV_EDIT = "fal-ai/flux-kontext/dev";
const LORA_EDIT = "fal-ai/flux-kontext-lora";
const LORA_T2I = "fal-ai/flux-kontext-lora/text-to-image";
const LORA_INPAINT = "fal-ai/flux-kontext-lora/inpaint";
const FAMILY = [DEV_EDIT, LORA_EDIT, LORA_T2I, LORA_INPAINT];
const LORAS = [{ path: "https://huggingface.co/owner/style/resolve/main/style.safetensors", scale: 0.8 }];
const CHECK_TIMEOUT_MS = 60_000;

let passed = 0;
let failed = 0;

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function check(name, fn) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    passed++;
    console.log(`PASS ${name}`);
  } catch (e) {
    failed++;
    const detail = e instanceof ApiError ? ` (status ${e.status}, body ${JSON.stringify(e.body)})` : "";
    console.log(`FAIL ${name}: ${e && e.message ? e.message : e}${detail}`);
  } finally {
    clearTimeout(timer);
  }
}

// --- a tiny PNG encoder, so the check needs nothing but the client -------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(width, height, [r, g, b]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const dataUri = (buf) => `data:image/png;base64,${buf.toString("base64")}`;
const RED = dataUri(png(32, 24, [200, 30, 30]));
const BLUE = dataUri(png(24, 32, [30, 60, 210]));
const WHITE = dataUri(png(32, 24, [255, 255, 255]));

function inputFor(endpointId, seed) {
  if (EDIT.includes(endpointId)) return { prompt: "Put a donut next to the flour", image_url: RED, seed };
  if (MULTI.includes(endpointId)) return { prompt: "Put them side by side", image_urls: [RED, BLUE], seed };
  if (endpointId === DEV_EDIT) return { prompt: "Make it night", image_url: RED, seed, num_inference_steps: 28 };
  if (endpointId === LORA_EDIT) {
    return { prompt: "Make it anime", image_url: RED, seed, loras: LORAS, resolution_mode: "auto" };
  }
  if (endpointId === LORA_T2I) {
    return { prompt: "A lighthouse at dusk, watercolour", seed, image_size: "landscape_16_9", loras: LORAS };
  }
  if (endpointId === LORA_INPAINT) {
    return { prompt: "Paint the masked area", image_url: RED, mask_url: WHITE, reference_image_url: BLUE, seed };
  }
  return { prompt: "A lighthouse at dusk, watercolour", seed, aspect_ratio: "16:9" };
}

/** LoRA endpoints answer png unless output_format says otherwise; the others jpeg. */
function contentTypeFor(endpointId) {
  return endpointId.startsWith("fal-ai/flux-kontext-lora") ? "image/png" : "image/jpeg";
}

function checkOutput(endpointId, result, seed) {
  const { data, requestId } = result;
  assert(typeof requestId === "string" && requestId.length > 0, "no x-fal-request-id on the result");
  assert(Array.isArray(data.images) && data.images.length === 1, `images: ${JSON.stringify(data.images)}`);
  const img = data.images[0];
  assert(typeof img.url === "string" && img.url.startsWith("http"), `image url: ${img.url}`);
  assert(Number.isInteger(img.width) && img.width > 0, `width: ${img.width}`);
  assert(Number.isInteger(img.height) && img.height > 0, `height: ${img.height}`);
  assert(data.seed === seed, `seed ${data.seed} != ${seed}`);
  assert(data.prompt === inputFor(endpointId, seed).prompt, `prompt: ${data.prompt}`);
  assert(Array.isArray(data.has_nsfw_concepts) && data.has_nsfw_concepts.length === 1, "has_nsfw_concepts");
}

async function subscribeCheck(endpointId, mode, seed) {
  const updates = [];
  let enqueued = null;
  const options = {
    input: inputFor(endpointId, seed),
    logs: true,
    onEnqueue: (id) => (enqueued = id),
    onQueueUpdate: (s) => updates.push(s.status),
  };
  if (mode === "streaming") options.mode = "streaming";
  const result = await fal.subscribe(endpointId, options);
  checkOutput(endpointId, result, seed);
  assert(enqueued === result.requestId, `onEnqueue id ${enqueued} != result id ${result.requestId}`);
  assert(updates.includes("COMPLETED"), `queue updates ${updates.join(",")} lack COMPLETED`);
  const image = await fetch(result.data.images[0].url);
  assert(image.ok, `image download answered ${image.status}`);
  const contentType = contentTypeFor(endpointId);
  assert(result.data.images[0].content_type === contentType, `content_type ${result.data.images[0].content_type}`);
  assert(image.headers.get("content-type") === contentType, `content-type ${image.headers.get("content-type")}`);
  assert((await image.arrayBuffer()).byteLength > 100, "image too small");
}

async function waitCompleted(endpointId, requestId) {
  for (;;) {
    const s = await fal.queue.status(endpointId, { requestId, logs: true });
    if (s.status === "COMPLETED") return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectApiError(promise, status, what) {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof ApiError, `${what}: expected ApiError, got ${e}`);
    assert(e.status === status, `${what}: expected status ${status}, got ${e.status} ${JSON.stringify(e.body)}`);
    return e;
  }
  throw new Error(`${what}: expected an error with status ${status}, but it succeeded`);
}

// --- checks ---------------------------------------------------------------------------------------
const ALL = [...EDIT, ...T2I, ...MULTI, ...FAMILY];
await Promise.all(
  ALL.flatMap((id, i) => [
    check(`subscribe polling   ${id}`, () => subscribeCheck(id, "polling", 1000 + i)),
    check(`subscribe streaming ${id}`, () => subscribeCheck(id, "streaming", 2000 + i)),
  ]),
);

await check("queue.submit/status(logs)/result", async () => {
  const endpointId = "fal-ai/flux-pro/kontext/text-to-image";
  const submitted = await fal.queue.submit(endpointId, { input: inputFor(endpointId, 7) });
  assert(typeof submitted.request_id === "string", "submit returned no request_id");
  assert(["IN_QUEUE", "IN_PROGRESS"].includes(submitted.status), `submit status ${submitted.status}`);
  assert(submitted.status_url.endsWith(`/fal-ai/flux-pro/requests/${submitted.request_id}/status`), submitted.status_url);
  const first = await fal.queue.status(endpointId, { requestId: submitted.request_id, logs: true });
  assert(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(first.status), `status ${first.status}`);
  const done = await waitCompleted(endpointId, submitted.request_id);
  assert(Array.isArray(done.logs) && done.logs.length > 0, `logs: ${JSON.stringify(done.logs)}`);
  for (const log of done.logs) {
    assert(typeof log.message === "string" && typeof log.level === "string" && typeof log.timestamp === "string",
      `log entry shape ${JSON.stringify(log)}`);
  }
  assert(typeof done.metrics.inference_time === "number", `metrics ${JSON.stringify(done.metrics)}`);
  const result = await fal.queue.result(endpointId, { requestId: submitted.request_id });
  assert(result.requestId === submitted.request_id, "result requestId");
  checkOutput(endpointId, result, 7);
});

for (const [endpointId, app] of [[DEV_EDIT, "fal-ai/flux-kontext"], [LORA_EDIT, "fal-ai/flux-kontext-lora"],
  [LORA_T2I, "fal-ai/flux-kontext-lora"], [LORA_INPAINT, "fal-ai/flux-kontext-lora"]]) {
  await check(`queue.submit/status/result under ${app} for ${endpointId}`, async () => {
    const submitted = await fal.queue.submit(endpointId, { input: inputFor(endpointId, 30) });
    assert(submitted.status_url.endsWith(`/${app}/requests/${submitted.request_id}/status`), submitted.status_url);
    const done = await waitCompleted(endpointId, submitted.request_id);
    assert(typeof done.metrics.inference_time === "number", `metrics ${JSON.stringify(done.metrics)}`);
    const result = await fal.queue.result(endpointId, { requestId: submitted.request_id });
    assert(result.requestId === submitted.request_id, "result requestId");
    checkOutput(endpointId, result, 30);
  });
}

// The Java side (OfficialFalJsClientTest) checks in the simulator's journal what this submit carried.
await check("LoRA inpaint with three uploaded images, storageSettings and an x-fal header", async () => {
  const blob = (rgb) => new Blob([png(32, 24, rgb)], { type: "image/png" });
  const submitted = await fal.queue.submit(LORA_INPAINT, {
    input: {
      prompt: "Paint the masked area",
      image_url: blob([200, 30, 30]),
      mask_url: blob([255, 255, 255]),
      reference_image_url: blob([30, 60, 210]),
      seed: 31,
    },
    storageSettings: { expiresIn: "1h" },
    headers: { "x-fal-no-retry": "1" },
  });
  await waitCompleted(LORA_INPAINT, submitted.request_id);
  const result = await fal.queue.result(LORA_INPAINT, { requestId: submitted.request_id });
  const img = result.data.images[0];
  assert(img.content_type === "image/png", `content_type ${img.content_type}`);
  assert(img.width === 32 && img.height === 24, `inpaint keeps the input's size: ${img.width}x${img.height}`);
  const image = await fetch(img.url);
  assert(image.ok && image.headers.get("content-type") === "image/png", `image download ${image.status}`);
});

await check("queue.cancel of a queued job is accepted", async () => {
  const endpointId = "fal-ai/flux-pro/kontext/max/text-to-image";
  const submitted = await fal.queue.submit(endpointId, { input: inputFor(endpointId, 8) });
  await fal.queue.cancel(endpointId, { requestId: submitted.request_id }); // throws unless 2xx
  const done = await waitCompleted(endpointId, submitted.request_id);
  assert(done.error_type === "client_cancelled", `error_type ${done.error_type}`);
  await expectApiError(fal.queue.result(endpointId, { requestId: submitted.request_id }), 499, "result of cancelled");
});

await check("queue.cancel of a completed job is refused", async () => {
  const endpointId = "fal-ai/flux-pro/kontext/text-to-image";
  const submitted = await fal.queue.submit(endpointId, { input: inputFor(endpointId, 9) });
  await waitCompleted(endpointId, submitted.request_id);
  const e = await expectApiError(fal.queue.cancel(endpointId, { requestId: submitted.request_id }), 400, "cancel");
  assert(e.body && e.body.status === "ALREADY_COMPLETED", `body ${JSON.stringify(e.body)}`);
});

await check("a pro/max field sent to dev surfaces as ValidationError", async () => {
  try {
    await fal.subscribe(DEV_EDIT, { input: { prompt: "p", image_url: RED, aspect_ratio: "16:9", num_inference_steps: 5 } });
  } catch (e) {
    assert(e instanceof ValidationError, `expected ValidationError, got ${e}`);
    assert(e.getFieldErrors("aspect_ratio")[0].type === "value_error.extra", JSON.stringify(e.fieldErrors));
    assert(e.getFieldErrors("num_inference_steps")[0].type === "value_error.number.not_ge", JSON.stringify(e.fieldErrors));
    return;
  }
  throw new Error("subscribe with a pro/max field on dev succeeded");
});

await check("bad input surfaces as ValidationError (subscribe)", async () => {
  try {
    await fal.subscribe("fal-ai/flux-pro/kontext", { input: { prompt: "no image", num_images: 9 } });
  } catch (e) {
    assert(e instanceof ValidationError, `expected ValidationError, got ${e}`);
    assert(e.status === 422, `status ${e.status}`);
    assert(e.getFieldErrors("image_url").length === 1, `fieldErrors ${JSON.stringify(e.fieldErrors)}`);
    assert(e.getFieldErrors("num_images")[0].type === "value_error.number.not_le", JSON.stringify(e.fieldErrors));
    return;
  }
  throw new Error("subscribe with a bad input succeeded");
});

await check("unknown request id surfaces as ApiError 404", async () => {
  await expectApiError(
    fal.queue.status("fal-ai/flux-pro/kontext", { requestId: "00000000-0000-0000-0000-000000000000" }),
    404,
    "status of unknown id",
  );
});

await check("storage.upload then edit the uploaded file", async () => {
  const bytes = png(40, 30, [20, 160, 40]);
  const url = await fal.storage.upload(new Blob([bytes], { type: "image/png" }));
  assert(url.startsWith(SIM + "/files/"), `file url ${url}`);
  const back = Buffer.from(await (await fetch(url)).arrayBuffer());
  assert(back.equals(bytes), "uploaded bytes differ");
  const result = await fal.subscribe("fal-ai/flux-pro/kontext", {
    input: { prompt: "Make it autumn", image_url: url, seed: 11 },
  });
  assert(result.data.images[0].width > result.data.images[0].height, "4:3 input should give a landscape output");
});

await check("fal.run on the sync host answers the output directly", async () => {
  const result = await fal.run("fal-ai/flux-pro/kontext/text-to-image", {
    input: { prompt: "A lighthouse at dusk, watercolour", seed: 12, sync_mode: true },
  });
  assert(result.data.images[0].url.startsWith("data:image/jpeg;base64,"), "sync_mode should give a data URI");
  assert(result.data.seed === 12, `seed ${result.data.seed}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
