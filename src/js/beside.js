// The files beside the script-tag file: found from the script element running it, which the
// document names only while that runs (this module is evaluated then). ES5 syntax.
import { g } from './global.js';

export var doc = g.document;
var scripts = doc && doc.getElementsByTagName('script');
export var script = doc && (doc.currentScript || scripts[scripts.length - 1]);

/** The URL of `name` in the directory the script-tag file came from. */
export function beside(name) {
  return (script && script.src ? script.src : doc.baseURI).replace(/[^/?#]*([?#].*)?$/, name);
}

/** Appends a script element for `name`, with the script-tag's nonce (a CSP of nonces runs it). */
export function load(name) {
  var element = doc.createElement('script');
  element.src = beside(name);
  if (script && script.nonce) element.nonce = script.nonce;
  (doc.head || doc.documentElement).appendChild(element);
  return element;
}

/**
 * Loads `file`, an engine as JavaScript that hands itself to the global function `name` as it
 * runs, and calls ready(core) with it, or fail() where it cannot load. Several files of the
 * package on one page may be waiting at once (two copies, or eventsource.js beside the parser):
 * each takes the engine of the script element it added, and passes on any other.
 */
export function handOver(name, file, ready, fail) {
  var before = g[name];
  var element;
  try {
    g[name] = function (core) {
      if (doc.currentScript === element) ready(core);
      else if (before) before(core);
    };
    element = load(file);
    element.onerror = fail;
  } catch (error) {
    fail();
  }
}
