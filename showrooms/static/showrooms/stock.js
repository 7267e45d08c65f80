/* The showroom stock screen, on top of plain forms that work without it:
   - quick search: results follow the typing (the server folds accents, so "mam ca linh" finds "Mắm cá linh");
   - the phone camera reads a barcode where the browser has BarcodeDetector (no library, nothing downloaded);
   - a form sent once shows it is busy (the request key already makes a second send harmless);
   - the history's product filter applies on change.
   No inline scripts or handlers: this file is the only script of the screen. */
(function () {
  "use strict";

  var SEARCH_HEADER = "stock-search";

  function quickSearch(form) {
    var input = form.querySelector("input[name=q]");
    var results = document.querySelector(form.getAttribute("data-results"));
    if (!input || !results || !window.fetch) {
      return;
    }
    var timer = null;
    var controller = null;
    var last = input.value.trim();

    function run() {
      var query = input.value.trim();
      if (query === last) {
        return;
      }
      last = query;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = form.action + "?q=" + encodeURIComponent(query);
      fetch(url, {
        headers: {"X-Requested-With": SEARCH_HEADER},
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      }).then(function (html) {
        results.innerHTML = html;
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : form.action);
        }
      }).catch(function () { /* aborted or offline: the search button still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 250);
    });
  }

  function scanner(form) {
    var open = document.getElementById("scan-open");
    var panel = document.getElementById("scanner");
    var video = document.getElementById("scanner-video");
    var status = document.getElementById("scanner-status");
    var close = document.getElementById("scan-close");
    var input = form.querySelector("input[name=q]");
    var supported = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
    if (!open || !panel || !video || !supported) {
      return; // typing the code still works; the button stays hidden
    }
    var texts = {};
    var template = document.getElementById("scanner-messages");
    if (template && template.content) {
      Array.prototype.forEach.call(template.content.querySelectorAll("[data-key]"), function (node) {
        texts[node.getAttribute("data-key")] = node.textContent;
      });
    }
    var stream = null;
    var running = false;
    var wanted = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39", "itf", "qr_code"];

    function stop() {
      running = false;
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
      }
      video.srcObject = null;
      panel.hidden = true;
      open.hidden = false;
    }

    function found(code) {
      stop();
      status.textContent = (texts.found || "") + code;
      input.value = code;
      form.submit();
    }

    function start(detector) {
      panel.hidden = false;
      open.hidden = true;
      navigator.mediaDevices.getUserMedia({video: {facingMode: {ideal: "environment"}}, audio: false})
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          return video.play();
        })
        .then(function () {
          running = true;
          var tick = function () {
            if (!running) {
              return;
            }
            detector.detect(video).then(function (codes) {
              var code = codes.length ? String(codes[0].rawValue || "").trim() : "";
              if (code) {
                found(code);
              } else {
                window.setTimeout(tick, 200);
              }
            }).catch(function () { window.setTimeout(tick, 400); });
          };
          tick();
        })
        .catch(function () {
          stop();
          status.textContent = texts.denied || "";
          panel.hidden = false;
          video.hidden = true;
        });
    }

    open.hidden = false;
    open.addEventListener("click", function () {
      var formats = window.BarcodeDetector.getSupportedFormats
        ? window.BarcodeDetector.getSupportedFormats()
        : Promise.resolve(wanted);
      formats.then(function (available) {
        var use = wanted.filter(function (format) { return available.indexOf(format) !== -1; });
        video.hidden = false;
        start(new window.BarcodeDetector(use.length ? {formats: use} : undefined));
      }).catch(function () {
        status.textContent = texts.denied || "";
        panel.hidden = false;
      });
    });
    close.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }

  function busyOnSubmit() {
    Array.prototype.forEach.call(document.querySelectorAll(".stock-page form[method=post]"), function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button:not([type=button])");
        if (button) {
          window.setTimeout(function () { button.disabled = true; button.setAttribute("aria-busy", "true"); }, 0);
        }
      });
    });
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { // back to a page kept in memory: its buttons work again
      Array.prototype.forEach.call(document.querySelectorAll("button[aria-busy]"), function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    }
  });

  function autoSubmit() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosubmit]"), function (field) {
      field.addEventListener("change", function () { field.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("stock-search");
    if (form) {
      quickSearch(form);
      scanner(form);
    }
    busyOnSubmit();
    autoSubmit();
  });
})();
