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
