// A fal stand-in over TLS for Http2StreamsTest: HTTP/2 through ALPN (or HTTP/1.1 only, with --http1), so
// that the test can count the TCP connections the component's status streams use.
// Submit answers a handle; the status stream says IN_QUEUE until POST /__complete, then COMPLETED and ends;
// the result lists one URL. GET /__stats answers {"connections": n, "streams": m}. Prints the port on stdout.
import http2 from "node:http2";
import https from "node:https";
import fs from "node:fs";
import crypto from "node:crypto";

const [keyFile, certFile, mode] = process.argv.slice(2);
const tls = { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
const open = new Set();
let connections = 0;
const versions = {};

function handler(req, res) {
  const url = new URL(req.url, "https://localhost");
  const json = (body) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  versions[req.httpVersion] = (versions[req.httpVersion] || 0) + 1;
  if (url.pathname === "/__stats") return json({ connections, streams: open.size, versions });
  if (url.pathname === "/__complete") {
    for (const stream of open) {
      stream.end('data: {"status":"COMPLETED","request_id":"r","metrics":{"inference_time":0.5}}\n\n');
    }
    open.clear();
    return json({ ok: true });
  }
  if (req.method === "POST") {
    req.resume();
    return json({ status: "IN_QUEUE", request_id: crypto.randomUUID(), queue_position: 0 });
  }
  if (url.pathname.endsWith("/status/stream")) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write('data: {"status":"IN_QUEUE","request_id":"r","queue_position":0}\n\n');
    open.add(res);
    req.on("close", () => open.delete(res));
    return;
  }
  return json({ images: [{ url: "https://cdn.example/fox.png" }], seed: 1, has_nsfw_concepts: [false], prompt: "p" });
}

const server = mode === "--http1"
  ? https.createServer(tls, handler)
  : http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: 1000 } }, handler);
server.on("secureConnection", () => connections++);
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
