/* Vestnik polls: progressive enhancement of the poll widget.
 *
 * The widget's HTML is the same for every reader (pages are cached whole), so
 * this script asks the uncached results endpoint whether this reader has
 * voted, and votes in place with `Accept: application/json`. Without it the
 * form posts normally and the server redirects back to the results. The
 * server enforces every rule; the checkbox limit here only saves a round trip.
 */
(function () {
  "use strict";

  if (window.vestnikPolls) { return; }
  window.vestnikPolls = true;

  function jsonRequest(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = { Accept: "application/json" };
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function setStatus(section, message, isError) {
    var status = section.querySelector("[data-poll-status]");
    if (!status) { return; }
    status.textContent = "";
    if (!message) { return; }
    var p = document.createElement("p");
    p.className = "poll__message" + (isError ? " poll__message--error" : "");
    p.textContent = message;
    status.appendChild(p);
  }

  function showResults(section, data) {
    var body = section.querySelector("[data-poll-body]");
    if (body && data.html) {
      body.innerHTML = data.html;
      section.classList.add("poll--answered");
    }
  }

  function enforceMaximum(form, maximum) {
    var boxes = form.querySelectorAll('input[type="checkbox"][name="option"]');
    if (!boxes.length || !(maximum > 0)) { return; }
    function update() {
      var checked = 0;
      Array.prototype.forEach.call(boxes, function (box) { if (box.checked) { checked += 1; } });
      Array.prototype.forEach.call(boxes, function (box) {
        box.disabled = !box.checked && checked >= maximum;
      });
    }
    form.addEventListener("change", update);
    update();
  }

  function refresh(section) {
    return jsonRequest(section.getAttribute("data-results-url")).then(function (result) {
      if (result.ok && (result.data.has_voted || result.data.closed)) { showResults(section, result.data); }
    });
  }

  function init(section) {
    if (section.getAttribute("data-poll-ready")) { return; }
    section.setAttribute("data-poll-ready", "1");
    var form = section.querySelector("form[data-poll-form]");
    if (form) {
      enforceMaximum(form, parseInt(section.getAttribute("data-max-choices"), 10));
    }
    if (section.getAttribute("data-personal") !== "1") {
      refresh(section).catch(function () { /* the form still works without it */ });
    }
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector('[type="submit"]');
      if (button) { button.disabled = true; }
      setStatus(section, "", false);
      jsonRequest(form.action, { method: "POST", body: new FormData(form) })
        .then(function (result) {
          if (result.ok) {
            showResults(section, result.data);
            setStatus(section, result.data.message, false);
            return;
          }
          setStatus(section, result.data.message, true);
          if (button) { button.disabled = false; }
          if (result.data.error === "already_voted") { refresh(section); }
        })
        .catch(function () {
          // Not JSON (a proxy error page, a lost connection): let the browser post the form.
          HTMLFormElement.prototype.submit.call(form);
        });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("section.poll[data-poll-id]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
