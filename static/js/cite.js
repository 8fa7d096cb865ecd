/* «Как цитировать»: the reader's own date of access, and copy buttons.
 *
 * The article page is cached for every reader, so the server leaves the GOST
 * date of access as «дд.мм.гггг» in a <span data-cite-accessed>; this script
 * puts today's date there, as a <time> with its machine-readable datetime (a
 * <time> cannot hold the placeholder: its text must be a valid date). Without JavaScript the citations still read in
 * full and can be selected by hand; the copy buttons stay hidden.
 */
(function () {
  "use strict";

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  var today = new Date();
  var day = pad(today.getDate());
  var month = pad(today.getMonth() + 1);
  var year = String(today.getFullYear());
  document.querySelectorAll("[data-cite-accessed]").forEach(function (element) {
    var accessed = document.createElement("time");
    accessed.setAttribute("datetime", year + "-" + month + "-" + day);
    accessed.textContent = day + "." + month + "." + year;
    element.replaceWith(accessed);
  });

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(element) {
    var text = element.textContent.replace(/\s+/g, " ").trim();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-HTTP installs: copy the selection the old way.
    selectContents(element);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("[data-cite-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-cite-copy"));
    if (!target) {
      return;
    }
    var section = button.closest(".cite");
    var status = section ? section.querySelector(".cite__status") : null;
    var label = button.textContent;
    var copied = button.getAttribute("data-copied-label") || label;
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target).then(
        function () {
          button.textContent = copied;
          if (status) {
            status.textContent = copied;
          }
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.textContent = label;
            if (status) {
              status.textContent = "";
            }
          }, 2000);
        },
        function () {
          // The clipboard refused: leave the text selected for Ctrl+C.
          selectContents(target);
        }
      );
    });
  });
})();
