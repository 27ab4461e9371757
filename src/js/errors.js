// How the constructor's errors begin, as in browsers. ES5 syntax.
export var CONSTRUCT = "Failed to construct 'EventSource': ";
