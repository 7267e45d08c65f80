/* Session page: add featured products to the basket without leaving the page.
   Progressive: without this script (or without fetch) the form posts and the server redirects back with a message.
   No inline handlers; every word shown comes from the server or the form's data attributes (translated). */
(function () {
  "use strict";

  function setBasketCount(count) {
    var badges = document.querySelectorAll('[data-testid="basket-count"]');
    for (var i = 0; i < badges.length; i++) {
      badges[i].textContent = String(count);
    }
  }

  function show(form, ok, message) {
    var result = form.querySelector("[data-live-add-result]");
    if (!result) { return; }
    result.textContent = message;
    result.classList.toggle("live-add__result--ok", ok);
    result.classList.toggle("live-add__result--error", !ok);
  }

  function submit(form) {
    var button = form.querySelector('button[type="submit"]');
    var fallback = form.getAttribute("data-error-message") || "";
    if (button) { button.disabled = true; }
    form.setAttribute("aria-busy", "true");
    window.fetch(form.action, {
      method: "POST",
      body: new window.FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { ok: false, message: fallback };
      }
      return response.json();
    }).then(function (data) {
      show(form, Boolean(data.ok), data.message || fallback);
      if (typeof data.basket_count === "number") { setBasketCount(data.basket_count); }
    }).catch(function () {
      show(form, false, fallback);
    }).then(function () {
      if (button) { button.disabled = false; }
      form.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches("form[data-live-add]")) { return; }
    if (!window.fetch || !window.FormData) { return; }
    event.preventDefault();
    submit(form);
  });
})();
