/* Copy buttons of the reference list and of "Cite this page":
   <button type="button" class="kb-copy" data-kb-copy="text to copy">Copy APA</button>.
   A button of the reference list without data-kb-copy copies the text of its entry's
   reference (.kb-reference-text), which is the APA reference as plain text: carrying it a
   second time in every button made a list of 10,000 works a seventh larger.

   Why a textarea fallback: navigator.clipboard exists only in secure contexts (https,
   localhost), and an offline copy opened from file:// is not one; execCommand("copy") on a
   selected textarea still works there. The confirmation is visible (button text) and
   announced (a polite live region), since the copy itself is invisible. One delegated
   listener serves every button, including those of pages loaded by instant navigation. */
(function () {
  "use strict";

  var CONFIRMATION_MS = 2000;

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    var selection = document.getSelection();
    var previous = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    if (previous && selection) {
      selection.removeAllRanges();
      selection.addRange(previous);
    }
    return copied;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function statusRegion() {
    var region = document.querySelector(".kb-copy-status");
    if (!region) {
      region = document.createElement("span");
      region.className = "kb-copy-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function confirmCopy(button, copied) {
    if (!button.hasAttribute("data-kb-label")) {
      button.setAttribute("data-kb-label", button.textContent);
    }
    var message = copied ? "Copied" : "Copy failed: select the text and copy it by hand";
    button.textContent = copied ? "Copied" : "Copy failed";
    button.classList.toggle("kb-copied", copied);
    statusRegion().textContent = message;
    window.clearTimeout(button.kbCopyTimer);
    button.kbCopyTimer = window.setTimeout(function () {
      button.textContent = button.getAttribute("data-kb-label");
      button.classList.remove("kb-copied");
      statusRegion().textContent = "";
    }, CONFIRMATION_MS);
  }

  function textToCopy(button) {
    if (button.hasAttribute("data-kb-copy")) {
      return button.getAttribute("data-kb-copy");
    }
    var entry = button.closest(".kb-reference");
    var reference = entry ? entry.querySelector(".kb-reference-text") : null;
    return reference ? reference.textContent : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button.kb-copy") : null;
    var text = button ? textToCopy(button) : null;
    if (text === null) {
      return;
    }
    copyText(text).then(function (copied) {
      confirmCopy(button, copied);
    });
  });
})();
