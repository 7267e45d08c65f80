// Checkout: fill the commune/ward list when the province changes; one submit only.
(function () {
  var script = document.currentScript;
  var form = document.getElementById("checkout-form");
  if (!form) return;
  var province = form.querySelector("[name=province]");
  var commune = form.querySelector("[name=commune]");
  if (province && commune) {
    province.addEventListener("change", function () {
      commune.disabled = true;
      fetch(script.dataset.communesUrl + "?province=" + encodeURIComponent(province.value))
        .then(function (r) { return r.text(); })
        .then(function (html) { commune.innerHTML = html; commune.disabled = false; });
      fetch(script.dataset.quoteUrl + "?province=" + encodeURIComponent(province.value))
        .then(function (r) { return r.json(); })
        .then(function (q) {
          var shipping = document.getElementById("shipping-total");
          if (shipping) shipping.textContent = q.shipping;
          document.getElementById("order-total").textContent = q.total;
          form.querySelector("[name=fingerprint]").value = q.fingerprint;
        });
    });
  }
  form.addEventListener("submit", function () {
    var button = document.getElementById("place-order");
    if (button) { button.disabled = true; button.textContent = button.dataset.loadingText; }
  });
})();
