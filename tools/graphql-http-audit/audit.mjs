#!/usr/bin/env node
// Runs the GraphQL-over-HTTP server audits of `graphql-http` against a running endpoint.
//
//   node audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one JSON object on stdout:
//   { url, graphqlHttpVersion, total, counts: { ok, notice, warn, error }, results: [non-ok results] }
// where each non-ok result is { id, name, status, reason, response: { status, contentType, body } }.
// Exit status: 0 no audit failed with `error` (every MUST holds), 1 some did, 2 usage or fatal error.

import { readFileSync } from 'node:fs';
import { serverAudits } from 'graphql-http';

const BODY_LIMIT = 2000;

function packageVersion(name) {
  const path = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

// The audits read a response's body themselves, so remember each body as text before handing over
// a fresh copy of the response: a failing audit can then report what the server actually said.
const bodies = new WeakMap();

async function recordingFetch(input, init) {
  const original = await fetch(input, init);
  const text = await original.text();
  const copy = new Response(text, {
    status: original.status,
    statusText: original.statusText,
    headers: original.headers,
  });
  bodies.set(copy, text);
  return copy;
}

async function describeResponse(response) {
  if (!response || typeof response !== 'object') return null;
  let body = bodies.get(response); // the audits hand back clones too: read those directly
  if (body === undefined && !response.bodyUsed) body = await response.text().catch(() => undefined);
  return {
    status: response.status,
    contentType: response.headers?.get('content-type') ?? null,
    body: body === undefined ? null : body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}…` : body,
  };
}

async function main() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: node audit.mjs <graphql endpoint url>');
    return 2;
  }

  const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  const results = [];
  for (const { id, name, fn } of serverAudits({ url, fetchFn: recordingFetch })) {
    let result;
    try {
      result = await fn();
    } catch (err) {
      // graphql-http throws (instead of returning a failed result) only when an audit cannot run at
      // all, e.g. the server is unreachable or the body is not what the audit can read: an error.
      const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
      result = { id, name, status: 'error', reason: `audit could not run: ${err}${cause}` };
    }
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    if (result.status !== 'ok') {
      results.push({
        id: result.id,
        name: result.name,
        status: result.status,
        reason: result.reason,
        response: await describeResponse(result.response),
      });
    }
  }

  const summary = {
    url,
    graphqlHttpVersion: packageVersion('graphql-http'),
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    results,
  };
  console.log(JSON.stringify(summary, null, 2));
  return counts.error > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err?.stack ?? err);
    process.exitCode = 2;
  },
);
