// Counts this page view once: a beacon naming the page, no cookie, nothing kept
// in the browser (docs/privacy.md). Not sent when the reader asks not to be
// tracked (Do Not Track, Global Privacy Control), nor for a page prerendered
// and never shown. Behind nginx the beacon is answered and logged by nginx
// itself, so counting never slows the page.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.page || !navigator.sendBeacon) {
    return;
  }
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true) {
    return;
  }
  var url = script.dataset.beacon + "?p=" + encodeURIComponent(script.dataset.page);
  var sent = false;
  function send() {
    if (!sent && document.visibilityState === "visible") {
      sent = true;
      navigator.sendBeacon(url);
    }
  }
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  }
  // A tab opened in the background counts when the reader first looks at it.
  document.addEventListener("visibilitychange", send);
  send();
})();
