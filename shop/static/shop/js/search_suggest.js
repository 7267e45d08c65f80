// The search box's dropdown (ARIA combobox with a grouped listbox) and the listing's sort select.
// No inline handlers and no libraries: everything is wired here, so a strict CSP needs nothing extra.
(function () {
  "use strict";

  // The listing's sort select submits on change; its "Áp dụng" button stays for pages without this script.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form && select.form.querySelector("[data-autosubmit-button]");
    if (button) button.hidden = true;
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var input = document.getElementById("site-search-q");
  var list = document.getElementById("site-search-list");
  var status = document.getElementById("site-search-status");
  if (!input || !list || !input.dataset.suggestUrl || !window.fetch) return;

  var MIN_CHARS = 2;
  var DELAY = 200; // ms after the last key
  var SECTIONS = [
    ["products", list.dataset.labelProducts],
    ["producers", list.dataset.labelProducers],
    ["pages", list.dataset.labelPages]
  ];
  var answers = {}; // query → answer, for this page's lifetime
  var timer = null;
  var pending = null;
  var options = [];
  var active = -1;

  var messages = status ? status.dataset : {};

  function setStatus(text) {
    if (status) status.textContent = text;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function open(url) {
    close();
    window.location.assign(url);
  }

  function render(answer) {
    list.textContent = "";
    options = [];
    active = -1;
    SECTIONS.forEach(function (section) {
      var items = answer[section[0]] || [];
      if (!items.length) return;
      var group = document.createElement("ul");
      group.setAttribute("role", "group");
      group.className = "site-search__group";
      var heading = document.createElement("li");
      heading.setAttribute("role", "presentation");
      heading.className = "site-search__heading";
      heading.id = "site-search-group-" + section[0];
      heading.textContent = section[1];
      group.setAttribute("aria-labelledby", heading.id);
      group.appendChild(heading);
      items.forEach(function (item) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "site-search__option";
        option.id = "site-search-option-" + options.length;
        option.dataset.url = item.url;
        option.textContent = item.label;
        group.appendChild(option);
        options.push(option);
      });
      list.appendChild(group);
    });
    if (!options.length) {
      close();
      setStatus(input.value.trim().length >= MIN_CHARS ? messages.none || "" : "");
      return;
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
    setStatus((messages.found || "").replace("__N__", options.length));
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < MIN_CHARS) {
      if (pending) pending.abort();
      close();
      setStatus("");
      return;
    }
    if (answers[text]) {
      render(answers[text]);
      return;
    }
    if (pending) pending.abort();
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) throw new Error("suggest " + response.status);
        return response.json();
      })
      .then(function (answer) {
        answers[text] = answer;
        if (input.value.trim() === text && document.activeElement === input) render(answer);
      })
      .catch(function () { /* aborted or offline: the search button still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var isOpen = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" || event.key === "Down") {
      event.preventDefault();
      if (!isOpen) {
        ask();
        return;
      }
      highlight(active + 1 >= options.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp" || event.key === "Up") {
      if (!isOpen) return;
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      if (isOpen && active >= 0) {
        event.preventDefault();
        open(options[active].dataset.url);
      } // otherwise the form submits the search
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (isOpen) {
        event.preventDefault();
        close();
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  // Keep the focus in the box while a finger or the mouse picks an option; a click opens it.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[role=option]") : null;
    if (option) open(option.dataset.url);
  });
  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest ? event.target.closest("[role=option]") : null;
    if (option) highlight(options.indexOf(option));
  });

  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.addEventListener("focus", function () {
    if (input.value.trim().length >= MIN_CHARS && answers[input.value.trim()]) render(answers[input.value.trim()]);
  });
  document.addEventListener("click", function (event) {
    if (!input.form.contains(event.target)) close();
  });
  // Coming back with the browser's back button restores the page from its cache: start closed.
  window.addEventListener("pageshow", close);
})();
