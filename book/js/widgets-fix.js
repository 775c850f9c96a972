// The theme's FontAwesome script replaces <i> icons with <svg> elements. In
// "nest" mode it puts the svg inside the <i> instead, so the ipywidgets Play
// button keeps the element it styles, and the slider links keep working.
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, { autoReplaceSvg: "nest" });

// ipywidgets' HTML manager typesets widget labels with MathJax 2's API
// (MathJax.Hub.Queue), but the book loads MathJax 3, which has no Hub: every
// page with a widget threw a TypeError. Whatever object window.MathJax is, now
// or once MathJax 3 replaces its configuration, gets a Hub.Queue that hands the
// element to MathJax 3's typesetPromise.
(function () {
  function withHub(mj) {
    if (mj && typeof mj === "object" && !mj.Hub) {
      mj.Hub = {
        Queue: function (job) {
          var m = window.MathJax;
          var element = Array.isArray(job) ? job[2] : undefined;
          if (m && typeof m.typesetPromise === "function") {
            m.typesetPromise(element ? [element] : undefined).catch(function () {});
          }
        },
      };
    }
    return mj;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();
