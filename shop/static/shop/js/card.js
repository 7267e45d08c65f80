// The card step: Stripe's Payment Element confirms the PaymentIntent; the webhook marks the order paid.
(function () {
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.key);
  var elements = stripe.elements({ clientSecret: form.dataset.secret });
  elements.create("payment").mount("#payment-element");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    document.getElementById("card-submit").disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.return } })
      .then(function (result) {
        if (result.error) {
          document.getElementById("card-error").textContent = result.error.message;
          document.getElementById("card-submit").disabled = false;
        }
      });
  });
})();
