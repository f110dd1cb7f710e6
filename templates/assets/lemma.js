/* Lemma default theme: theme toggle, copy buttons, hide-code, sweeps, tabs and tabsets, contents, and cards for footnotes, citations and cross-references.
   Loaded with defer; every feature checks that its elements exist, and the page works without it. */
(function () {
  "use strict";

  var root = document.documentElement;
  var THEME_KEY = "lemma-theme";
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }

  /* A shared polite live region, so that "Copied" and friends reach screen readers. */
  var liveRegion = null;
  function announce(message) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = message; }, 50);
  }

  /* ---- Theme ---- */

  function storedTheme() {
    try {
      var theme = localStorage.getItem(THEME_KEY);
      return theme === "light" || theme === "dark" ? theme : null;
    } catch (e) {
      return null;
    }
  }

  function currentTheme() {
    var theme = root.getAttribute("data-theme");
    if (theme === "light" || theme === "dark") return theme;
    return systemDark && systemDark.matches ? "dark" : "light";
  }

  function setupThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    function sync() {
      button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch (e) {
        /* not remembered, but still switched */
      }
      sync();
    });
    if (systemDark && systemDark.addEventListener) {
      systemDark.addEventListener("change", function (event) {
        if (storedTheme()) return; // an explicit choice wins over the system
        root.setAttribute("data-theme", event.matches ? "dark" : "light");
        sync();
      });
    }
    sync();
    button.hidden = false;
  }

  /* ---- Copy buttons ---- */

  var PROMPT_LANGUAGES = /^(pycon|python-console|ipython\d?|console|shell-session|sh-session|doscon|ps1con|psysh)$/;
  var PROMPT = /^(>>>|\.\.\.|In \[\d+\]:|\s+\.\.\.:|\$|PS [^>]*>)( |$)/;

  /* Keep only the typed lines of a console session, without their prompts. */
  function stripPrompts(text) {
    var lines = text.split("\n");
    var kept = [];
    lines.forEach(function (line) {
      var match = PROMPT.exec(line);
      if (match) kept.push(line.slice(match[0].length));
    });
    return kept.length ? kept.join("\n") : text;
  }

  function codeOf(block) {
    var code = block.querySelector("pre code") || block.querySelector("pre");
    if (!code) return null;
    var text = code.textContent;
    var snippet = block.closest(".lemma-snippet");
    var language = (snippet && snippet.getAttribute("data-language")) || "";
    if (PROMPT_LANGUAGES.test(language)) text = stripPrompts(text);
    return text.replace(/\n+$/, "");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function setupCopyButtons() {
    each(".lemma-code", function (block) {
      var target = block.querySelector(".highlight") || block.querySelector("pre");
      if (!target) return;
      var bar = block.querySelector(".lemma-code-bar");
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "lemma-code-bar";
        target.parentNode.insertBefore(bar, target);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lemma-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code");
      var timer = null;
      function feedback(label, state, message) {
        button.textContent = label;
        button.setAttribute("data-state", state);
        announce(message);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = "Copy";
          button.removeAttribute("data-state");
        }, 2000);
      }
      button.addEventListener("click", function () {
        var text = codeOf(block);
        if (text === null) return;
        copyText(text).then(
          function () { feedback("Copied", "copied", "Code copied to the clipboard"); },
          function () { feedback("Copy failed", "failed", "Could not copy the code"); }
        );
      });
      bar.appendChild(button);
    });
  }

  /* ---- Hide all code ---- */

  function setupHideCode() {
    var button = document.getElementById("hide-code-toggle");
    if (!button || !document.querySelector(".lemma-snippet--executed > .lemma-code")) return;
    button.addEventListener("click", function () {
      var hidden = document.body.classList.toggle("lemma-hide-code");
      button.setAttribute("aria-pressed", hidden ? "true" : "false");
    });
    button.hidden = false;
  }

  /* ---- Sweeps: switch between precomputed outputs ---- */

  function setupSweeps() {
    each("[data-lemma-sweep]", function (sweep) {
      var controls = sweep.querySelectorAll(":scope > [data-lemma-sweep-controls]");
      var variants = sweep.querySelectorAll(":scope > .lemma-variant");
      if (!controls.length || !variants.length) return;
      var note = sweep.querySelector("[data-lemma-sweep-static]");
      var sliders = [];

      /* One slider per swept name: the variant shown is at the sum of value x stride. */
      function show() {
        var index = 0;
        sliders.forEach(function (slider) {
          index += Number(slider.range.value) * slider.stride;
          var label = slider.labels[Number(slider.range.value)] || "";
          slider.range.setAttribute("aria-valuetext", label);
          if (slider.output) slider.output.textContent = label;
        });
        Array.prototype.forEach.call(variants, function (variant) {
          variant.hidden = variant.getAttribute("data-variant-index") !== String(index);
        });
      }

      Array.prototype.forEach.call(controls, function (fieldset) {
        var range = fieldset.querySelector("[data-lemma-sweep-range]");
        if (!range) return;
        var ticks = fieldset.querySelectorAll(".lemma-sweep-ticks li");
        var slider = {
          range: range,
          stride: Number(fieldset.getAttribute("data-stride")) || 1,
          output: fieldset.querySelector("[data-lemma-sweep-value]"),
          labels: Array.prototype.map.call(ticks, function (tick) { return tick.textContent; })
        };
        sliders.push(slider);
        range.addEventListener("input", show);
        Array.prototype.forEach.call(ticks, function (tick, index) {
          tick.addEventListener("click", function () {
            range.value = String(index);
            show();
          });
        });
        fieldset.hidden = false;
      });
      show();
      if (note) note.hidden = true;
    });
  }

  /* ---- Tabsets: Quarto's panel-tabset and sphinx-design's tab-set as tabs ----
     The page holds every tab's content under its label; this makes the labels a tablist (arrow
     keys, Home and End move between tabs) and shows one panel at a time. Tabsets of one `group`
     switch together, and the choice is remembered for the next page. */

  var TAB_KEY = "lemma-tab-";

  function setupTabsets() {
    var byGroup = {};
    each("[data-lemma-tabset]", function (tabset, setIndex) {
      var panels = tabset.querySelectorAll(":scope > .tab");
      if (!panels.length) return;
      var list = document.createElement("div");
      list.className = "tabset-tabs";
      list.setAttribute("role", "tablist");
      var tabs = [];
      Array.prototype.forEach.call(panels, function (panel, index) {
        var label = panel.querySelector(":scope > .tab-label");
        var tab = document.createElement("button");
        tab.type = "button";
        tab.className = "tabset-tab";
        tab.id = "tabset-" + (setIndex + 1) + "-tab-" + (index + 1);
        tab.setAttribute("role", "tab");
        if (label) {
          Array.prototype.forEach.call(label.childNodes, function (node) {
            tab.appendChild(node.cloneNode(true));
          });
          label.hidden = true;
        }
        if (!panel.id) panel.id = "tabset-" + (setIndex + 1) + "-panel-" + (index + 1);
        tab.setAttribute("aria-controls", panel.id);
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        panel.setAttribute("tabindex", "0");
        list.appendChild(tab);
        tabs.push(tab);
      });

      function select(index, focus) {
        tabs.forEach(function (tab, i) {
          var chosen = i === index;
          tab.setAttribute("aria-selected", chosen ? "true" : "false");
          tab.tabIndex = chosen ? 0 : -1;
          panels[i].hidden = !chosen;
        });
        if (focus) tabs[index].focus();
      }

      function named(text) {
        for (var i = 0; i < tabs.length; i++) {
          if (tabs[i].textContent.trim() === text) return i;
        }
        return -1;
      }

      var group = tabset.getAttribute("data-group");
      var entry = { select: select, named: named };
      Array.prototype.forEach.call(panels, function (panel, index) {
        panel.lemmaShowTab = function () { select(index, false); };
      });
      if (group) (byGroup[group] = byGroup[group] || []).push(entry);

      function choose(index, focus) {
        select(index, focus);
        if (!group) return;
        var text = tabs[index].textContent.trim();
        byGroup[group].forEach(function (other) {
          var found = other === entry ? -1 : other.named(text);
          if (found >= 0) other.select(found, false);
        });
        try { localStorage.setItem(TAB_KEY + group, text); } catch (e) { /* private mode */ }
      }

      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { choose(index, false); });
      });
      list.addEventListener("keydown", function (event) {
        var current = tabs.indexOf(document.activeElement);
        if (current < 0) return;
        var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        choose((next + tabs.length) % tabs.length, true);
      });

      var stored = null;
      try { stored = group ? localStorage.getItem(TAB_KEY + group) : null; } catch (e) { stored = null; }
      var first = stored ? named(stored) : -1;
      if (first < 0) {  // sphinx-design's `:selected:` tab, else the first
        first = Array.prototype.findIndex.call(panels, function (panel) {
          return panel.hasAttribute("data-selected");
        });
      }
      select(first >= 0 ? first : 0, false);
      tabset.insertBefore(list, tabset.firstChild);
      tabset.classList.add("tabset--ready");
    });

    /* A link to something inside a hidden tab (a cross-reference, a footnote) opens that tab
       first, so that the browser can scroll to it. */
    function reveal(hash) {
      var target = null;
      try { target = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null; } catch (e) { target = null; }
      var opened = false;
      for (var el = target; el; el = el.parentElement) {
        if (el.lemmaShowTab && el.hidden) {
          el.lemmaShowTab();
          opened = true;
        }
      }
      return opened ? target : null;
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (link) reveal(link.getAttribute("href"));
    });
    window.addEventListener("hashchange", function () { reveal(location.hash); });
    var opened = reveal(location.hash);
    if (opened) opened.scrollIntoView();  // the browser found it hidden and did not scroll
  }

  /* ---- Contents: open in the margin on wide screens, mark the current section ---- */

  function setupToc() {
    var toc = document.getElementById("toc");
    if (!toc) return;
    var wide = window.matchMedia ? window.matchMedia("(min-width: 78rem)") : null;
    if (wide && wide.matches) toc.open = true;
    if (wide && wide.addEventListener) {
      wide.addEventListener("change", function (event) { toc.open = event.matches; });
    }
    if (!("IntersectionObserver" in window)) return;
    var links = {};
    var headings = [];
    each("a[href^='#']", function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var heading = document.getElementById(id);
      if (heading) {
        links[id] = link;
        headings.push(heading);
      }
    }, toc);
    var visible = {};
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      var first = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) { first = headings[i].id; break; }
      }
      if (!first || first === current) return;
      if (current && links[current]) links[current].removeAttribute("aria-current");
      links[first].setAttribute("aria-current", "location");
      current = first;
    }, { rootMargin: "0px 0px -60% 0px" });
    headings.forEach(function (heading) { observer.observe(heading); });
  }

  /* ---- Cards: a citation, cross-reference or footnote shown in place on hover or focus ----
     The card is a copy of what the link points to, taken from this page (nothing is fetched),
     placed over the text (no layout shift). Keyboard: focus shows it, Escape hides it. Touch:
     the first tap shows it, a second tap on the same link follows it. Without JavaScript the
     links are plain links. A footnote whose sidenote is visible in the margin needs no card. */

  function setupCards() {
    var links = document.querySelectorAll(".post-body a[data-lemma-card], .post-body .footnote-ref a[href^='#']");
    if (!links.length) return;
    var card = null;
    var owner = null;
    var hideTimer = null;
    var lastPointer = "mouse";

    function targetOf(link) {
      var id = link.getAttribute("data-lemma-card") || decodeURIComponent(link.getAttribute("href").slice(1));
      return document.getElementById(id);
    }

    function sidenoteShown(link) {
      var sup = link.closest(".footnote-ref");
      var note = sup && sup.nextElementSibling;
      return !!(note && note.classList.contains("sidenote") && window.getComputedStyle(note).display !== "none");
    }

    function contentOf(target) {
      var parts = [];
      if (/^H[1-6]$/.test(target.tagName)) {
        parts.push(target.cloneNode(true));
        var next = target.nextElementSibling;
        if (next && next.tagName === "P") parts.push(next.cloneNode(true));
      } else if (target.classList.contains("lemma-snippet")) {
        each(".lemma-figure", function (figure) { parts.push(figure.cloneNode(true)); }, target);
      } else if (target.tagName === "LI") {
        Array.prototype.forEach.call(target.childNodes, function (node) { parts.push(node.cloneNode(true)); });
      } else {
        parts.push(target.cloneNode(true));
      }
      return parts;
    }

    function hide() {
      window.clearTimeout(hideTimer);
      if (!card) return;
      if (owner) owner.removeAttribute("aria-describedby");
      card.remove();
      card = null;
      owner = null;
    }

    function scheduleHide() {
      window.clearTimeout(hideTimer);
      hideTimer = window.setTimeout(hide, 200);
    }

    function show(link) {
      var target = targetOf(link);
      if (!target || sidenoteShown(link)) return false;
      hide();
      card = document.createElement("div");
      card.className = "lemma-card" + (link.closest(".footnote-ref") ? " fn-popover" : "");
      card.id = "lemma-card";
      card.setAttribute("role", "tooltip");
      contentOf(target).forEach(function (node) { card.appendChild(node); });
      each("[id]", function (el) { el.removeAttribute("id"); }, card);
      each("a, button, input, summary, [tabindex]", function (el) { el.setAttribute("tabindex", "-1"); }, card);
      card.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
      card.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(card);
      var rect = link.getBoundingClientRect();
      var width = card.offsetWidth;
      var maxLeft = document.documentElement.clientWidth - width - 8;
      var left = Math.max(8, Math.min(rect.left + window.scrollX - width / 2, maxLeft + window.scrollX));
      var below = rect.bottom + 8;
      var top = below + card.offsetHeight > window.innerHeight && rect.top > card.offsetHeight + 16
        ? rect.top - card.offsetHeight - 8
        : below;
      card.style.left = left + "px";
      card.style.top = top + window.scrollY + "px";
      owner = link;
      link.setAttribute("aria-describedby", "lemma-card");
      return true;
    }

    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; });
      link.addEventListener("mouseenter", function () { if (lastPointer !== "touch") show(link); });
      link.addEventListener("focus", function () { if (lastPointer !== "touch") show(link); });
      link.addEventListener("mouseleave", scheduleHide);
      link.addEventListener("blur", scheduleHide);
      link.addEventListener("click", function (event) {
        if (lastPointer === "touch" && owner !== link && show(link)) event.preventDefault();
        lastPointer = "mouse";
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    document.addEventListener("pointerdown", function (event) {
      if (card && !card.contains(event.target) && (!owner || !owner.contains(event.target))) hide();
    });
  }

  /* ---- Wide blocks: a region that scrolls sideways must be reachable by keyboard ---- */

  function setupScrollables() {
    function mark() {
      each(".post-body pre, .post-body math[display='block'], .post-body table, .lemma-html, .lemma-output pre", function (el) {
        var scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute("data-lemma-scroll", "");
        } else if (!scrolls && el.hasAttribute("data-lemma-scroll")) {
          el.removeAttribute("tabindex");
          el.removeAttribute("data-lemma-scroll");
        }
      });
    }
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(mark, 150);
    });
    window.addEventListener("load", mark);
    mark();
  }

  setupThemeToggle();
  setupCopyButtons();
  setupHideCode();
  setupSweeps();
  setupTabsets();
  setupToc();
  setupCards();
  setupScrollables();
})();
