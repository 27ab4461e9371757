"""Duktape (an ES5.1 interpreter, embedded by dukpy 0.3.1) behind a pipe, for tests/es5/run.mjs.

One JSON request per line on stdin, one JSON answer per line on stdout:
  {"op": "reset"}                      a fresh Duktape heap (one per scenario)
  {"op": "eval", "code": "...", "args": ...}
                                       runs the code (`dukpy.args` holds args); answers
                                       {"value": <the code's value, through JSON>} or {"error": "..."}
The first line out says which engine this is; the driver refuses anything but Duktape 2.x.
"""
import json
import os
import sys

# scripts/setup.sh installs dukpy into .cache/dukpy (pip --target).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".cache", "dukpy"))

try:
    from dukpy import _dukpy
except ImportError as error:  # setup.sh installs it
    print(json.dumps({"error": "dukpy is not installed (scripts/setup.sh): %s" % error}), flush=True)
    sys.exit(1)


class Heap(object):
    """A Duktape heap without dukpy's own additions (console, process, require): an eval
    sees only Duktape's built-ins and what the test loads."""

    def __init__(self):
        self._ctx = _dukpy.create_context()

    # dukpy's C side calls these for call_python(); nothing here is exported to JavaScript.
    def _check_exported_function_exists(self, name):
        return False

    def _call_python(self, name, args):
        return None

    def eval(self, code, args):
        # ASCII-only JSON both ways: Duktape's internal strings are CESU-8, so every non-ASCII
        # code unit crosses as a \\u escape (the harness escapes its answers the same way).
        variables = json.dumps({"args": args}, ensure_ascii=True).encode("ascii")
        result = _dukpy.eval_string(self, code.encode("utf-8"), variables)
        return None if result is None else json.loads(result.decode("utf-8"))


def main():
    heap = Heap()
    engine = heap.eval("[typeof Duktape === 'object' ? Duktape.version : null]", None)[0]
    arrows = True
    try:
        heap.eval("(() => 1)", None)
    except Exception:  # an ES5 engine rejects arrow functions
        arrows = False
    print(json.dumps({"duktape": engine, "arrowFunctions": arrows}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "reset":
                heap = Heap()
                answer = {"value": None}
            else:
                answer = {"value": heap.eval(request["code"], request.get("args"))}
        except Exception as error:  # a JavaScript exception: reported, the heap stays usable
            answer = {"error": str(error)}
        sys.stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
