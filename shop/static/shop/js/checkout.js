// Checkout: fill the commune/ward list when the province changes; one submit only.
(function () {
  var script = document.currentScript;
  var form = document.getElementById("checkout-form");
  if (!form) return;
  var province = form.querySelector("[name=province]");
  var commune = form.querySelector("[name=commune]");
  function chosenMethod() {
    var checked = form.querySelector("[name=delivery_method]:checked");
    return checked ? checked.value : "ship";
  }
  function requote() {
    var query = "?province=" + encodeURIComponent(province ? province.value : "") +
      "&delivery_method=" + encodeURIComponent(chosenMethod());
    fetch(script.dataset.quoteUrl + query)
      .then(function (r) { return r.json(); })
      .then(function (q) {
        var shipping = document.getElementById("shipping-total");
        if (shipping) shipping.textContent = q.shipping;
        document.getElementById("order-total").textContent = q.total;
        form.querySelector("[name=fingerprint]").value = q.fingerprint;
      });
  }
  // Delivery or pickup: show only the fields that apply (without JavaScript both stay visible).
  var shipFields = document.getElementById("ship-fields");
  var pickupFields = document.getElementById("pickup-fields");
  function showMethod() {
    var pickup = chosenMethod() === "pickup";
    if (shipFields) shipFields.hidden = pickup;
    if (pickupFields) pickupFields.hidden = !pickup;
  }
  form.querySelectorAll("[name=delivery_method]").forEach(function (radio) {
    radio.addEventListener("change", function () { showMethod(); requote(); });
  });
  showMethod();
  if (province && commune) {
    province.addEventListener("change", function () {
      commune.disabled = true;
      fetch(script.dataset.communesUrl + "?province=" + encodeURIComponent(province.value))
        .then(function (r) { return r.text(); })
        .then(function (html) { commune.innerHTML = html; commune.disabled = false; });
      requote();
    });
  }
  form.addEventListener("submit", function () {
    var button = document.getElementById("place-order");
    if (button) { button.disabled = true; button.textContent = button.dataset.loadingText; }
  });
})();
