/* upload.js: progressive enhancement of the upload form. Without it the
 * form posts to /upload and the page shows the result. With it, files can
 * be dropped, each is sent on its own to /api/v1/images with a progress
 * bar, and its result (thumbnail and hashtags, or the reason it was
 * refused) replaces the bar without a reload. Its messages come translated
 * from the page (data-* of #progress); the API answers in the same
 * language (dates, reasons, problems), as it follows the same cookie. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("file");
  var drop = document.getElementById("drop");
  var list = document.getElementById("progress");
  if (!form || !input || !window.FormData || !window.XMLHttpRequest) return;
  var csrf = form.getAttribute("data-csrf");
  var dropHint = form.querySelector(".drop-hint");
  if (dropHint) dropHint.hidden = false;

  function msg(name, values) {
    var text = list.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(values[k]);
    });
    return text;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showPhoto(li, img) {
    li.textContent = "";
    li.className = "photo-card";
    var a = el("a", "thumb-link");
    a.href = img.urls.page;
    var pic = el("img");
    pic.src = img.urls.thumb;
    pic.alt = img.name || msg("photo");
    a.appendChild(pic);
    li.appendChild(a);
    var meta = el("div", "photo-meta");
    var name = el("a", "photo-name", img.name || msg("untitled"));
    name.href = img.urls.page;
    meta.appendChild(name);
    var when = el("time", null, img.created_text);
    when.setAttribute("datetime", img.created_at);
    meta.appendChild(when);
    if (img.duplicate) meta.appendChild(el("p", "muted", msg("duplicate")));
    meta.appendChild(tagList(img));
    if (img.pending) poll(li, img, 0);
    li.appendChild(meta);
  }

  /* The explained hashtags: tag, confidence, source and reason. */
  function tagList(img) {
    if (img.pending) return el("p", "pending", msg("finding"));
    if (img.failed) {
      return el("p", "error-text", img.tag_error ? msg("failed", { reason: img.tag_error }) : msg("unreadable"));
    }
    if (!img.tags.length) return el("p", "muted", msg("none"));
    var ol = el("ol", "tag-list");
    img.tags.forEach(function (t) {
      var li = el("li", "tag-item src-" + t.source);
      var tag = li.appendChild(el("span", "tag", t.hashtag));
      tag.translate = false; // a hashtag is data, as in the server's pages
      li.appendChild(el("span", "tag-conf", t.percent));
      li.appendChild(el("span", "tag-src", msg("src-" + t.source) || t.source));
      li.appendChild(el("span", "tag-why", t.reason));
      ol.appendChild(li);
    });
    return ol;
  }

  /* Still pending after the server's wait: ask again a few times. */
  function poll(li, img, n) {
    if (n >= 15) return;
    setTimeout(function () {
      var x = new XMLHttpRequest();
      x.open("GET", "/api/v1/images/" + encodeURIComponent(img.id));
      x.setRequestHeader("Accept", "application/json");
      x.onload = function () {
        if (x.status !== 200) return;
        var fresh = JSON.parse(x.responseText);
        if (fresh.pending) return poll(li, img, n + 1);
        var old = li.querySelector(".pending");
        if (old) old.replaceWith(tagList(fresh));
      };
      x.send();
    }, 2000);
  }

  function showError(li, name, detail) {
    li.textContent = "";
    li.className = "upload-error";
    li.setAttribute("role", "alert");
    li.appendChild(el("strong", null, name));
    li.appendChild(document.createTextNode(": " + detail));
  }

  function send(file, caption) {
    var li = el("li", "upload-item");
    var label = el("span", "upload-name", file.name);
    var bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", msg("uploading", { name: file.name }));
    li.appendChild(label);
    li.appendChild(bar);
    list.appendChild(li);

    var data = new FormData();
    data.append("caption", caption);
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/images");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 200 || xhr.status === 201) {
        showPhoto(li, body.images[0]);
      } else {
        showError(li, file.name, body && body.detail ? body.detail : msg("upload-failed", { status: xhr.status }));
      }
    };
    xhr.onerror = function () { showError(li, file.name, msg("lost")); };
    xhr.send(data);
  }

  function sendAll(files) {
    var caption = form.elements.caption ? form.elements.caption.value : "";
    for (var i = 0; i < files.length; i++) send(files[i], caption);
    form.reset();
  }

  form.addEventListener("submit", function (e) {
    if (!input.files.length) return;
    e.preventDefault();
    sendAll(input.files);
  });

  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) sendAll(e.dataTransfer.files);
  });
})();
