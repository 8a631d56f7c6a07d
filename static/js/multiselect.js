// Compact multi-selects with search, for the list filters (and any <select data-autocomplete>).
//
// Progressive enhancement: the server renders a plain <select>; without JavaScript it still works.
// With it, each <select multiple> of a filter form (and each <select data-autocomplete="<url>">)
// becomes a text box to type in, a list of matching options, and chips for the chosen ones; the
// original select stays in the form, hidden, and is what the form submits.
//   - plain selects: the options are searched in the page;
//   - data-autocomplete: the select holds only the chosen options; typing asks
//     <url>?q=<term> (debounced) for {"results": [{"id": "<pk>", "text": "<label>"}]}.
// The words shown come from data-msg-* attributes of <body>, translated by the server.
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MAX_SHOWN = 100;
  var counter = 0;

  function message(name, fallback) {
    var value = document.body && document.body.getAttribute("data-msg-" + name);
    return value || fallback;
  }

  function normalise(text) {
    return (text || "").toLocaleLowerCase().trim();
  }

  function enhance(select) {
    if (select.hasAttribute("data-enhanced")) {
      return;
    }
    select.setAttribute("data-enhanced", "");
    counter += 1;
    var uid = "ms-" + counter;
    var remoteUrl = select.getAttribute("data-autocomplete");
    var multiple = select.multiple;
    var timer = null;
    var lastRequest = 0;
    var shown = [];  // [{value, text}] currently listed
    var active = -1;

    var wrapper = document.createElement("div");
    wrapper.className = "ms";
    var chips = document.createElement("ul");
    chips.className = "ms-chips";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "ms-input";
    input.id = (select.id || uid) + "-search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", uid + "-list");
    input.placeholder = message("search", "Type to search…");
    var list = document.createElement("ul");
    list.className = "ms-list";
    list.id = uid + "-list";
    list.setAttribute("role", "listbox");
    if (multiple) {
      list.setAttribute("aria-multiselectable", "true");
    }
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    // The select's <label> now names the text box.
    if (select.id) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label) {
        label.htmlFor = input.id;
        if (!label.id) {
          label.id = input.id + "-label";
        }
        list.setAttribute("aria-labelledby", label.id);
      }
    }

    wrapper.appendChild(chips);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select.nextSibling);

    function chosen() {
      return Array.prototype.filter.call(select.options, function (option) {
        return option.selected && option.value !== "";
      });
    }

    function renderChips() {
      chips.textContent = "";
      chosen().forEach(function (option) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ms-chip";
        button.textContent = option.text + " ×";
        button.setAttribute("aria-label", message("remove", "Deselect") + ": " + option.text);
        button.addEventListener("click", function () {
          setChosen(option.value, option.text, false);
          input.focus();
        });
        item.appendChild(button);
        chips.appendChild(item);
      });
      // A single select shows its choice as the chip; the box is for changing it.
      input.placeholder = !multiple && chosen().length ? message("change", "Type to change…") : message("search", "Type to search…");
    }

    function findOption(value) {
      return Array.prototype.find.call(select.options, function (option) {
        return option.value === value;
      });
    }

    function setChosen(value, text, selected) {
      var option = findOption(value);
      if (!multiple && selected) {
        Array.prototype.forEach.call(select.options, function (other) {
          other.selected = false;
        });
      }
      if (option) {
        option.selected = selected;
        if (remoteUrl && !selected) {
          option.remove();  // the select holds only chosen options
        }
      } else if (selected) {
        select.add(new Option(text, value, true, true));
      }
      if (!multiple && !selected) {
        // Back to "any": a single select needs its empty option chosen.
        var empty = findOption("");
        if (empty) {
          empty.selected = true;
        }
      }
      renderChips();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function renderList(items) {
      shown = items.slice(0, MAX_SHOWN);
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var selectedValues = chosen().map(function (option) { return option.value; });
      shown.forEach(function (item, index) {
        var li = document.createElement("li");
        li.id = uid + "-opt-" + index;
        li.setAttribute("role", "option");
        li.className = "ms-option";
        li.setAttribute("aria-selected", selectedValues.indexOf(item.value) >= 0 ? "true" : "false");
        li.textContent = item.text;
        // mousedown, not click: the text box keeps the focus.
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          toggle(index);
        });
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "ms-empty";
        none.textContent = message("none", "No matches");
        list.appendChild(none);
      }
      status.textContent = shown.length ? "" : message("none", "No matches");
      open();
    }

    function localItems(term) {
      var wanted = normalise(term);
      var items = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.value === "" || option.value === "unknown") {
          return;  // "Any" is what no chip means
        }
        if (!wanted || normalise(option.text).indexOf(wanted) >= 0) {
          items.push({ value: option.value, text: option.text });
        }
      });
      return items;
    }

    function remoteItems(term) {
      var request = ++lastRequest;
      var url = remoteUrl + (remoteUrl.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(term);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (request !== lastRequest) {
            return;  // an older answer arriving after a newer one
          }
          renderList((data.results || []).map(function (result) {
            return { value: String(result.id), text: result.text };
          }));
        })
        .catch(function () {
          if (request === lastRequest) {
            renderList([]);
          }
        });
    }

    function search() {
      if (remoteUrl) {
        clearTimeout(timer);
        timer = setTimeout(function () { remoteItems(input.value.trim()); }, DEBOUNCE_MS);
      } else {
        renderList(localItems(input.value));
      }
    }

    function toggle(index) {
      var item = shown[index];
      if (!item) {
        return;
      }
      var option = findOption(item.value);
      var selected = !(option && option.selected);
      setChosen(item.value, item.text, selected);
      if (multiple) {
        var li = document.getElementById(uid + "-opt-" + index);
        if (li) {
          li.setAttribute("aria-selected", selected ? "true" : "false");
        }
      } else {
        input.value = "";
        close();
      }
    }

    function highlight(index) {
      var options = list.querySelectorAll(".ms-option");
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (li, i) {
        li.classList.toggle("ms-active", i === active);
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("input", search);
    input.addEventListener("focus", function () {
      if (!remoteUrl) {
        search();
      }
    });
    input.addEventListener("blur", function () {
      close();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) {
          search();
        }
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();  // choose, do not submit the form
          toggle(active);
        }
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && input.value === "") {
        var last = chosen().pop();
        if (last) {
          setChosen(last.value, last.text, false);
        }
      }
    });
    renderChips();
  }

  // A GET filter form leaves out empty fields, so the address names only the filters in use.
  function dropBlanks(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-filter-form")) {
      return;
    }
    var disabled = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled) {
        return;
      }
      var blank = element.value === "" || (element instanceof HTMLSelectElement && !element.multiple && element.value === "unknown");
      if (element.hasAttribute("data-default") && element.value === element.getAttribute("data-default")) {
        blank = true;  // what the list applies anyway when the parameter is absent
      }
      if (element instanceof HTMLSelectElement && element.multiple) {
        blank = !Array.prototype.some.call(element.options, function (option) { return option.selected && option.value !== ""; });
      }
      if (element.type === "checkbox" || element.type === "radio" || element.type === "submit") {
        blank = false;
      }
      if (blank) {
        element.disabled = true;
        disabled.push(element);
      }
    });
    // Re-enable after the submission so the form is whole again if the page is restored from cache.
    setTimeout(function () {
      disabled.forEach(function (element) { element.disabled = false; });
    }, 0);
  }

  function init() {
    var selects = document.querySelectorAll(
      "form[data-filter-form] select[multiple], select[data-autocomplete], select[data-multiselect]"
    );
    Array.prototype.forEach.call(selects, enhance);
  }

  document.addEventListener("submit", dropBlanks);
  // Content htmx swaps in gets the same treatment; pages and tests can enhance a select they add.
  document.addEventListener("htmx:afterSwap", init);
  window.kzai = window.kzai || {};
  window.kzai.enhanceSelect = enhance;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
