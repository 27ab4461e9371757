// The script-tag files' `shared`: accepted and ignored, each source connecting alone. The group
// machinery (shared.js) costs about 0.7 KB gzipped, more than the script-tag file's size budget
// leaves; the npm builds carry it. ES5 syntax.
export function share() {
  return false;
}
