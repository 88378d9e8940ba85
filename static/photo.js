/* photo.js: copy buttons on the photo page (progressive enhancement: without
 * JavaScript the text boxes stay selectable and the buttons hidden). */
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");

  function say(text) {
    if (status) status.textContent = text;
  }

  function copied(box, label) {
    var n = (box.value.match(/#/g) || []).length;
    say("Copied " + n + " hashtag" + (n === 1 ? "" : "s") + " for " + label + ".");
  }

  document.querySelectorAll(".copy-button").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    var label = button.getAttribute("data-label");
    if (!box) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!box.value) return say("Nothing to copy yet.");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(box.value).then(function () {
          copied(box, label);
        }, function () {
          box.select();
          say("Press Ctrl+C (⌘C) to copy the selected text.");
        });
      } else {
        box.select();
        say(document.execCommand && document.execCommand("copy")
          ? "Copied for " + label + "." : "Press Ctrl+C (⌘C) to copy the selected text.");
      }
    });
  });
})();
