/* Starts Oscar's JavaScript on every storefront page, from a file: the storefront's Content-Security-Policy runs no
   inline script (and a nonce would not survive the page cache). Oscar's templates started their page's part in an
   inline onbodyload block, which base.html no longer renders; each is started here when its page's elements are
   present (the same calls, in the same order: oscar.init() first, on DOMContentLoaded, after every deferred script). */
(function () {
  "use strict";

  function has(selector) {
    return document.querySelector(selector) !== null;
  }

  function start() {
    var oscar = window.oscar;
    if (!oscar || !window.jQuery) { return; }
    oscar.init();
    // The basket page (oscar/basket/basket.html): line removal, save for later, vouchers, AJAX updates.
    if (has("#basket_formset, #saved_basket_formset, #voucher_form_container")) {
      oscar.basket.init({ basketURL: document.body.getAttribute("data-basket-url") || document.URL });
    }
    // Oscar's own listing and search results (facet checkboxes, the sort select that submits itself); our listing
    // has its own (shop/static/shop/js/search_suggest.js, select[data-autosubmit]).
    if (has(".facet_checkbox, #id_sort_by:not([data-autosubmit])")) {
      oscar.search.init();
    }
    // The account's wishlists (copy a shared wishlist's address) and notifications (archive, delete).
    if (has(".clipboard-item")) {
      oscar.customer.wishlists.init();
    }
    if (has('a[data-behaviours~="archive"], a[data-behaviours~="delete"]')) {
      oscar.notifications.init();
    }
    emailPreview();
    backLinks();
  }

  /* The account's email history (oscar/communication/email/email_detail.html) shows an email's HTML in a frame; Oscar
     wrote it in with document.write. Here the frame gets it as srcdoc, sandboxed: nothing in an email runs. */
  function emailPreview() {
    var frame = document.getElementById("preview_box");
    if (!frame || frame.tagName !== "IFRAME" || frame.hasAttribute("srcdoc")) { return; }
    frame.setAttribute("sandbox", "");
    frame.setAttribute("srcdoc", frame.textContent);
  }

  /* "or cancel" links that go back a page (shop/templates/oscar/partials/form.html): Oscar's had an inline onclick. */
  function backLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-history-back]") : null;
      if (!link) { return; }
      event.preventDefault();
      window.history.back();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
