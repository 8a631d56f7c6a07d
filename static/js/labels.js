// The label generator and the consumer notice: copy a snippet, print the notice. Kept out of the
// templates so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      var done = function () { button.textContent = button.getAttribute("data-copied") || button.textContent; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done);
      } else {
        source.select();
        document.execCommand("copy");
        done();
      }
      return;
    }
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
