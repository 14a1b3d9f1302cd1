/*
 * Glossary filter: narrows the A–Z list as the reader types, matching a term's name, its
 * aliases and its definition (accents and case ignored), hides letters left empty, and
 * announces the count in the page's aria-live status. Delegated on document, so it keeps
 * working across Material's instant navigation.
 */
(function () {
  "use strict";

  var INPUT_ID = "kb-glossary-filter-input";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterGlossary(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    if (!list) return;
    var query = fold(input.value.trim());
    var total = 0;
    var shown = 0;
    list.querySelectorAll(".kb-glossary-letter").forEach(function (section) {
      var sectionShown = 0;
      section.querySelectorAll(".kb-glossary-entry").forEach(function (entry) {
        var matches = !query || fold(entry.textContent).indexOf(query) !== -1;
        entry.hidden = !matches;
        total += 1;
        if (matches) sectionShown += 1;
      });
      section.hidden = sectionShown === 0;
      shown += sectionShown;
      var letterLink = document.querySelector('.kb-letter-bar a[href="#' + section.id + '"]');
      if (letterLink) letterLink.classList.toggle("kb-letter-filtered", sectionShown === 0);
    });
    if (status) {
      status.textContent = query
        ? shown + (shown === 1 ? " term" : " terms") + " of " + total + " match \u201c" + input.value.trim() + "\u201d"
        : total + " terms";
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.id === INPUT_ID) filterGlossary(event.target);
  });
})();
