/* Vestnik newsletters: the subscription form on a cached page.
 *
 * The page's HTML is the same for every reader, so the form arrives without a
 * CSRF token or time stamp and would go by GET to the form page. When the
 * reader first touches it (focus, a tap, typing) — not on page load, which
 * costs every reader a request — this asks the uncached `newsletters/start/`
 * for both (the answer also sets the CSRF cookie), names the address field and
 * switches the form to POST. A form sent before the answer, or sooner than the
 * server accepts after its stamp, waits that long, then goes.
 */
(function () {
  "use strict";

  var MIN_MS = 2200; // views.MIN_FORM_SECONDS, and a little over

  function say(form, message) {
    var status = form.querySelector("[data-newsletter-status]");
    if (status) { status.textContent = message || ""; }
  }

  // The cached page carries no token of anyone's: the fields are added here.
  function hidden(form, name) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  function prepare(form) {
    if (form.newsletterReady) { return form.newsletterReady; }
    form.newsletterReady = fetch(form.getAttribute("data-newsletter-start"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      hidden(form, "csrfmiddlewaretoken").value = data.csrf;
      hidden(form, "started").value = data.started;
      form.querySelectorAll("[data-name]").forEach(function (input) {
        input.name = input.getAttribute("data-name");
      });
      form.method = "post";
      form.newsletterSince = Date.now();
      return true;
    }).catch(function () {
      // Left as it came: sent by GET, the form page takes over.
      return false;
    });
    return form.newsletterReady;
  }

  function begin(event) {
    prepare(event.currentTarget);
  }

  document.querySelectorAll("form[data-newsletter-start]").forEach(function (form) {
    ["focusin", "pointerdown", "input"].forEach(function (name) {
      form.addEventListener(name, begin, { once: true });
    });
    form.addEventListener("submit", function (event) {
      if (form.newsletterSending) { return; }
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      prepare(form).then(function (ready) {
        var wait = ready ? Math.max(0, MIN_MS - (Date.now() - form.newsletterSince)) : 0;
        if (wait > 0) { say(form, form.getAttribute("data-newsletter-wait") || ""); }
        window.setTimeout(function () {
          form.newsletterSending = true;
          form.submit();
        }, wait);
      });
    });
  });

  // Back from the answer page (the browser's page cache): the form is usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-newsletter-start]").forEach(function (form) {
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = false; }
      form.newsletterSending = false;
      say(form, "");
    });
  });
}());
