// Settings pages: copy freshly shown recovery codes to the clipboard.
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-codes]");
    if (!button) return;
    const codes = Array.from(document.querySelectorAll("[data-testid='recovery-codes'] code")).map((c) => c.textContent);
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(codes.join("\n")).then(function () {
      button.textContent = button.dataset.copiedLabel || gettext("Copied");
    });
  });
})();
