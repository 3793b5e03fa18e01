// A fal stand-in over TLS for Http2StreamsTest: HTTP/2 through ALPN (HTTP/1.1 too, for clients that ask for it), or
// HTTP/1.1 only with --http1; with --max-streams=N its HTTP/2 connections allow N concurrent streams
// (SETTINGS_MAX_CONCURRENT_STREAMS), so that the test can see whether a status stream waits for another.
// Submit answers a handle; the status stream says IN_QUEUE until POST /__complete (every job) or
// /__complete?id=<request id> (that job), then COMPLETED and ends; the result lists one URL.
// GET /__stats answers {"streams": open now, "open": their request ids, oldest first, "streamConnections": connections that carried a stream,
// "otherConnections": connections that carried the other requests, "streamVersions" and "otherVersions":
// requests per HTTP version}; the test's own /__ requests are not counted. Prints the port on stdout.
import http2 from "node:http2";
import https from "node:https";
import fs from "node:fs";
import crypto from "node:crypto";

const [keyFile, certFile, mode, ...options] = process.argv.slice(2);
const maxStreams = Number((options.find((o) => o.startsWith("--max-streams=")) || "--max-streams=1000").split("=")[1]);
const tls = { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
const open = new Map(); // request id -> the response of its status stream
const streamConnections = new Set();
const otherConnections = new Set();
const streamVersions = {};
const otherVersions = {};

// an HTTP/2 request's connection is its session; an HTTP/1.1 request's, its socket
const connectionOf = (req) => (req.httpVersion === "2.0" ? req.stream.session : req.socket);
const count = (versions, req) => (versions[req.httpVersion] = (versions[req.httpVersion] || 0) + 1);
const completed = (id) => `data: {"status":"COMPLETED","request_id":"${id}","metrics":{"inference_time":0.5}}\n\n`;

function handler(req, res) {
  const url = new URL(req.url, "https://localhost");
  const json = (body) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/__stats") {
    return json({ streams: open.size, open: [...open.keys()], streamConnections: streamConnections.size,
      otherConnections: otherConnections.size, streamVersions, otherVersions });
  }
  if (url.pathname === "/__complete") {
    const id = url.searchParams.get("id");
    for (const [job, stream] of open) {
      if (id === null || id === job) {
        stream.end(completed(job));
        open.delete(job);
      }
    }
    return json({ ok: true });
  }
  const streamed = url.pathname.match(/\/requests\/([^/]+)\/status\/stream$/);
  if (streamed) {
    streamConnections.add(connectionOf(req));
    count(streamVersions, req);
    const id = streamed[1];
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(`data: {"status":"IN_QUEUE","request_id":"${id}","queue_position":0}\n\n`);
    open.set(id, res);
    req.on("close", () => open.get(id) === res && open.delete(id));
    return;
  }
  otherConnections.add(connectionOf(req));
  count(otherVersions, req);
  if (req.method === "POST") {
    req.resume();
    return json({ status: "IN_QUEUE", request_id: crypto.randomUUID(), queue_position: 0 });
  }
  return json({ images: [{ url: "https://cdn.example/fox.png" }], seed: 1, has_nsfw_concepts: [false], prompt: "p" });
}

const server = mode === "--http1"
  ? https.createServer(tls, handler)
  : http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: maxStreams } }, handler);
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
