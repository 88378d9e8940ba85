/* photo.js: copy buttons on the photo page (progressive enhancement: without
 * JavaScript the text boxes stay selectable and the buttons hidden). The
 * messages come translated from the page (data-* of .copy-status). */
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");

  function msg(name, values) {
    var text = (status && status.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(values[k]);
    });
    return text;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function copied(box, label) {
    var n = (box.value.match(/#/g) || []).length;
    say(msg(n === 1 ? "copied-one" : "copied-many", { n: n, label: label }));
  }

  document.querySelectorAll(".copy-button").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    var label = button.getAttribute("data-label");
    if (!box) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!box.value) return say(msg("nothing"));
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(box.value).then(function () {
          copied(box, label);
        }, function () {
          box.select();
          say(msg("select"));
        });
      } else {
        box.select();
        say(document.execCommand && document.execCommand("copy")
          ? msg("copied", { label: label }) : msg("select"));
      }
    });
  });
})();
