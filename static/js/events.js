/* Vestnik events: the registration form on a cached event page.
 *
 * The page's HTML is the same for every reader, so the form arrives hidden and
 * without a CSRF token or time stamp. This asks the uncached `register/start/`
 * endpoint for both (it also sets the CSRF cookie) and for the registration
 * state (open, waiting list, full, closed), then shows the form or says why
 * not. Without JavaScript a link leads to the uncached form page instead.
 */
(function () {
  "use strict";

  function say(section, message) {
    var status = section.querySelector("[data-event-status]");
    if (!status) { return; }
    status.textContent = "";
    if (!message) { return; }
    var p = document.createElement("p");
    p.textContent = message;
    status.appendChild(p);
  }

  document.querySelectorAll("form[data-event-register]").forEach(function (form) {
    var section = form.closest("section") || form.parentNode;
    fetch(form.getAttribute("data-event-register"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      say(section, data.message);
      if (data.state !== "open" && data.state !== "waiting") { return; }
      form.elements.csrfmiddlewaretoken.value = data.csrf;
      form.elements.started.value = data.started;
      form.hidden = false;
    }).catch(function () {
      var link = section.querySelector("noscript");
      if (link) { link.insertAdjacentHTML("afterend", link.textContent); }
    });
  });
}());
