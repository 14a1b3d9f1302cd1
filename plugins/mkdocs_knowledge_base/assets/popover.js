/*
 * Popovers of the knowledge base: a term's definition on term links (a.kb-term), and a
 * preview of the note on note markers (.kb-note-ref a). Vanilla JS, no dependency.
 *
 * WCAG 1.4.13 (content on hover or focus): opens on pointer hover and on keyboard focus;
 * stays open while the pointer moves onto it (short hide delay); closes with Esc without
 * moving focus. While open, the trigger's aria-describedby points at the role="tooltip"
 * element, so screen readers announce it. Touch: a first tap opens, a second tap on the same
 * link follows it, a tap elsewhere closes.
 *
 * Definitions come from window.kbLexicon (assets/knowledge-base/lexicon-data.js, a plain
 * script, so it also works from file://); note previews clone the page's own <li id=kb-note-N>.
 * Event delegation on document keeps it working across Material's instant navigation.
 */
(function () {
  "use strict";

  var TERM_SELECTOR = "a.kb-term[data-kb-term]";
  var NOTE_SELECTOR = '.kb-note-ref a[href^="#kb-note-"]';
  var TRIGGER_SELECTOR = TERM_SELECTOR + ", " + NOTE_SELECTOR;
  var POPOVER_ID = "kb-popover";
  var SHOW_DELAY_MS = 150;
  var HIDE_DELAY_MS = 300;
  var GAP_PX = 8;

  /* The site root, for term URLs: this script is served from <root>/assets/knowledge-base/. */
  var siteRoot = document.currentScript ? new URL("../../", document.currentScript.src) : new URL(".", document.baseURI);

  var popover = null;
  var trigger = null;
  var showTimer = 0;
  var hideTimer = 0;
  var touchTapPending = null;

  function popoverElement() {
    if (!popover || !popover.isConnected) {
      popover = document.createElement("div");
      popover.id = POPOVER_ID;
      popover.className = "kb-popover";
      popover.setAttribute("role", "tooltip");
      popover.hidden = true;
      popover.addEventListener("mouseenter", cancelHide);
      popover.addEventListener("mouseleave", scheduleHide);
      /* Inside <main>, so the popover belongs to the page's main landmark for assistive technology
         (axe "region"); <main> is not positioned, so coordinates stay relative to the document. */
      (document.querySelector("main") || document.body).appendChild(popover);
    }
    return popover;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function termContent(link) {
    var data = window.kbLexicon && window.kbLexicon[link.getAttribute("data-kb-term")];
    if (!data) return null;
    var content = document.createDocumentFragment();
    content.appendChild(element("p", "kb-popover-title", data.term));
    var body = element("div", "kb-popover-body");
    /* The one HTML insertion: the definition as lexicon/definitions.py rendered it at build time
       (the editor's raw HTML escaped, javascript:/data: links removed). Names go in as text. */
    body.innerHTML = data.html;
    content.appendChild(body);
    var more = element("a", "kb-popover-more", "More about " + data.term);
    more.href = new URL(data.url, siteRoot).href;
    content.appendChild(more);
    return content;
  }

  function noteContent(link) {
    var note = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!note) return null;
    var preview = element("div", "kb-popover-note");
    var clone = note.cloneNode(true);
    clone.querySelectorAll('.kb-note-back, a[href^="#kb-noteref-"]').forEach(function (back) { back.remove(); });
    clone.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    while (clone.firstChild) preview.appendChild(clone.firstChild);
    var label = element("p", "kb-popover-title", "Note " + link.textContent.trim());
    var content = document.createDocumentFragment();
    content.appendChild(label);
    content.appendChild(preview);
    return content;
  }

  function place(box, link) {
    var anchor = link.getBoundingClientRect();
    var size = box.getBoundingClientRect();
    var viewportWidth = document.documentElement.clientWidth;
    var left = Math.min(Math.max(GAP_PX, anchor.left), Math.max(GAP_PX, viewportWidth - size.width - GAP_PX));
    var below = anchor.bottom + GAP_PX;
    var fitsBelow = below + size.height <= window.innerHeight || anchor.top < size.height + GAP_PX;
    var top = fitsBelow ? below : anchor.top - size.height - GAP_PX;
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    cancelHide();
    window.clearTimeout(showTimer);
    var content = link.matches(TERM_SELECTOR) ? termContent(link) : noteContent(link);
    if (!content) return;
    if (trigger && trigger !== link) hide();
    var box = popoverElement();
    box.replaceChildren(content);
    box.classList.toggle("kb-popover--note", !link.matches(TERM_SELECTOR));
    box.hidden = false;
    place(box, link);
    trigger = link;
    var described = (link.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(POPOVER_ID) === -1) described.push(POPOVER_ID);
    link.setAttribute("aria-describedby", described.join(" "));
  }

  function hide() {
    window.clearTimeout(showTimer);
    cancelHide();
    if (popover) popover.hidden = true;
    if (trigger) {
      var described = (trigger.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== POPOVER_ID;
      });
      if (described.length) trigger.setAttribute("aria-describedby", described.join(" "));
      else trigger.removeAttribute("aria-describedby");
    }
    trigger = null;
  }

  function isOpenFor(link) {
    return trigger === link && popover && !popover.hidden;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, HIDE_DELAY_MS);
  }

  function cancelHide() {
    window.clearTimeout(hideTimer);
  }

  function triggerOf(node) {
    return node instanceof Element ? node.closest(TRIGGER_SELECTOR) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = triggerOf(event.target);
    if (!link) return;
    cancelHide();
    if (isOpenFor(link)) return;
    window.clearTimeout(showTimer);
    showTimer = window.setTimeout(function () { show(link); }, SHOW_DELAY_MS);
  });

  document.addEventListener("mouseout", function (event) {
    var link = triggerOf(event.target);
    if (!link || link.contains(event.relatedTarget)) return;
    window.clearTimeout(showTimer);
    if (isOpenFor(link) && !(popover && popover.contains(event.relatedTarget))) scheduleHide();
  });

  document.addEventListener("focusin", function (event) {
    var link = triggerOf(event.target);
    if (link && !isOpenFor(link)) show(link);
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === trigger && !(popover && popover.contains(event.relatedTarget))) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && trigger) hide();
  });

  document.addEventListener("pointerdown", function (event) {
    var link = triggerOf(event.target);
    touchTapPending = event.pointerType === "touch" && link && !isOpenFor(link) ? link : null;
    if (trigger && !link && !(popover && popover.contains(event.target))) hide();
  });

  document.addEventListener("click", function (event) {
    var link = triggerOf(event.target);
    if (link && link === touchTapPending) {
      event.preventDefault(); /* first tap on a touch screen: show; the second tap follows the link */
      show(link);
    }
    touchTapPending = null;
  });

  /* Material's instant navigation swaps the page without reloading this script. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(hide);
  }
})();
