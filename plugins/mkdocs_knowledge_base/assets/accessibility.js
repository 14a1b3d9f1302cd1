/*
 * Accessibility repairs for the figure lightbox (GLightbox, added by mkdocs-glightbox), which
 * offers no option for them: its dialog has no accessible name (axe `aria-dialog-name`), the
 * enlarged image is shown with alt="" so it loses the figure's text alternative, and focus
 * stays on the page behind the dialog and is not given back when it closes (WCAG 2.4.3).
 *
 * A MutationObserver repairs the dialog when GLightbox inserts it, however it was opened
 * (click, Enter, or a page loaded by Material's instant navigation), and returns focus to the
 * figure link when GLightbox removes it.
 */
(function () {
  "use strict";

  var DIALOG_ID = "glightbox-body";
  var DIALOG_NAME = "Enlarged figure";
  var openedFrom = null; // the element focused when the lightbox opened

  function figureLinkShowing(image) {
    return Array.prototype.find.call(document.querySelectorAll("a.glightbox"), function (link) {
      return link.href === image.src;
    });
  }

  function repair(dialog) {
    if (!dialog.hasAttribute("aria-label")) {
      openedFrom = document.activeElement;
      dialog.setAttribute("aria-label", DIALOG_NAME);
      dialog.setAttribute("aria-modal", "true");
      var closeButton = dialog.querySelector(".gclose");
      if (closeButton) closeButton.focus();
    }
    dialog.querySelectorAll(".gslide img:not([alt]), .gslide img[alt='']").forEach(function (image) {
      var link = figureLinkShowing(image);
      var figureImage = link && link.querySelector("img[alt]");
      if (figureImage) image.alt = figureImage.alt;
    });
  }

  new MutationObserver(function () {
    var dialog = document.getElementById(DIALOG_ID);
    if (dialog) {
      repair(dialog);
    } else if (openedFrom) {
      if (document.contains(openedFrom)) openedFrom.focus();
      openedFrom = null;
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
