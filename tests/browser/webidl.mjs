// The WebIDL shape of ours against the browser's own EventSource, in Chromium, Firefox and WebKit: the
// script-tag file (pkg/eventsource.js), the npm module (pkg/index.js) and the legacy file
// (pkg/eventsource.legacy.js, in the old-browser environment of www/test/environment.js).
// Compared: the own properties of EventSource and EventSource.prototype (keys, symbols included;
// enumerable, configurable, writable; the type of each value, getter and setter; functions' names
// and lengths; the npm module also has the members proposed in whatwg/html#12272, in their WebIDL
// shape), and that both inherit from EventTarget (not in the legacy environment, where
// EventTarget is not constructible and a stand-in takes its place).
// BROWSERS=chromium,firefox,webkit (the default): which browsers. Ends with one line:
// `webidl: N passed, M failed`.
import { isDeepStrictEqual } from 'node:util';
import { chosenBrowsers, launch, startServer } from './common.mjs';

let passed = 0;
let failed = 0;
function report(label, problems) {
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${label}${problems.map((p) => `\n    ${p}`).join('')}`);
  if (problems.length) failed++; else passed++;
}

/** What differs between two descriptions of one object, key by key. */
function differences(native, ours) {
  const problems = [];
  for (const key of new Set([...Object.keys(native), ...Object.keys(ours)])) {
    if (!(key in ours)) problems.push(`${key}: missing (native ${JSON.stringify(native[key])})`);
    else if (!(key in native)) problems.push(`${key}: not in native (ours ${JSON.stringify(ours[key])})`);
    else if (!isDeepStrictEqual(native[key], ours[key])) {
      problems.push(`${key}: native ${JSON.stringify(native[key])}, ours ${JSON.stringify(ours[key])}`);
    }
  }
  return problems;
}

// The members the npm entries add as proposed for the HTML Standard (whatwg/html#12272, see
// src/js/from-stream.js), in the shape WebIDL gives them: `static EventSource
// fromReadableStream(ReadableStream stream)`, `readonly attribute DOMString lastEventId`,
// `readonly attribute unsigned long long reconnectionTime`, `undefined reset()`.
const member = { enumerable: true, configurable: true };
const attribute = (name) => ({ ...member, get: `function "get ${name}" length 0`, set: 'undefined' });
const operation = (name, length) => ({ ...member, writable: true, value: `function "${name}" length ${length}` });
const proposal = {
  EventSource: { fromReadableStream: operation('fromReadableStream', 1) },
  'EventSource.prototype': { lastEventId: attribute('lastEventId'), reconnectionTime: attribute('reconnectionTime'), reset: operation('reset', 0) },
};

const server = await startServer();
try {
  for (const name of chosenBrowsers()) {
    const browser = await launch(name);
    try {
      const describe = async (impl, module) => {
        const page = await browser.newPage();
        try {
          await page.goto(`${server.a}/www/test/webidl.html?impl=${impl}`);
          return JSON.parse(await page.evaluate(module
            ? async (url) => window.describeInterface((await import(url)).EventSource)
            : () => window.describeInterface(window.EventSource), `${server.a}/pkg/index.js`));
        } finally {
          await page.close();
        }
      };
      const native = await describe('native');
      const impls = { 'script-tag': await describe('ours'), npm: await describe('ours', true), legacy: await describe('legacy') };
      if (!native.EventSource.CONNECTING || !native['EventSource.prototype'].url) {
        report(`${name} native`, ['the native interface was not described (no native EventSource?)']);
        continue;
      }
      for (const [impl, ours] of Object.entries(impls)) {
        for (const object of ['EventSource', 'EventSource.prototype']) {
          const expected = impl === 'npm' ? { ...native[object], ...proposal[object] } : native[object];
          report(`${name} ${impl.padEnd(10)} ${object}`, differences(expected, ours[object]));
        }
        if (impl !== 'legacy') report(`${name} ${impl.padEnd(10)} inheritance`, differences(native.inheritance, ours.inheritance));
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
console.log(`webidl: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
