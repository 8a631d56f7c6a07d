// Behaviour shared by every page, kept out of the templates so the Content-Security-Policy can
// forbid inline scripts and inline event handlers.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (organization and language switchers).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  // <form data-confirm="question">: ask before submitting (deletions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // The phone-width menu: a disclosure button folding the session, language and navigation away.
  // Without JavaScript the button stays hidden and the header shows everything.
  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var header = button && button.closest(".topbar");
    if (!header) {
      return;
    }
    button.hidden = false;
    header.classList.add("has-menu");
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A list's filter panel, open in the markup, folds at phone width while no filter is active.
  function foldFilters() {
    if (!window.matchMedia("(max-width: 720px)").matches) {
      return;
    }
    document.querySelectorAll("details.filter-panel:not([data-active])").forEach(function (panel) {
      panel.open = false;
    });
  }
  // A table wider than the page scrolls inside its own container (the templates wrap most tables
  // in .table-wrap; this catches the others) instead of being cut off or widening the whole page.
  function containWideTables() {
    document.querySelectorAll("main table.table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-wrap")) {
        return;
      }
      if (table.getBoundingClientRect().width > parent.clientWidth + 1) {
        var wrap = document.createElement("div");
        wrap.className = "table-wrap";
        parent.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
    });
  }
  function ready() {
    setUpMenu();
    foldFilters();
    containWideTables();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
