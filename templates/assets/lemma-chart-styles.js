/* Lemma: let chart libraries style themselves under the page's CSP (style-src 'self').
   plotly, BokehJS and vega-embed add <style> elements with text, which the CSP blocks (rightly: it
   is inline style). Loaded before them on chart pages only, this makes document.createElement
   ("style") return a <lemma-style> element that keeps its text in a constructed style sheet,
   adopted by the document or shadow root it joins: the same rules, with no inline style at all.
   A style attribute a library sets is given to the element's CSSOM likewise. */
(function () {
  "use strict";
  if (!window.customElements || !("adoptedStyleSheets" in Document.prototype)) return;

  function LemmaStyle() {
    var element = Reflect.construct(HTMLElement, [], LemmaStyle);
    /* An empty shadow root: the CSS text it holds is never shown, in any tree. */
    element.attachShadow({ mode: "closed" });
    return element;
  }
  LemmaStyle.prototype = Object.create(HTMLElement.prototype);
  LemmaStyle.prototype.constructor = LemmaStyle;
  Object.setPrototypeOf(LemmaStyle, HTMLElement);

  /* `sheet`, as on <style>: libraries that add rules one by one (insertRule) use it. */
  Object.defineProperty(LemmaStyle.prototype, "sheet", {
    get: function () {
      if (!this._sheet) this._sheet = new CSSStyleSheet();
      return this._sheet;
    }
  });

  LemmaStyle.prototype.connectedCallback = function () {
    var self = this;
    var sheet = self.sheet;
    if (!self._observer) {
      /* Libraries rewrite a style element's text as a chart changes size or state. */
      self._observer = new MutationObserver(function () { sheet.replaceSync(self.textContent); });
      self._observer.observe(self, { childList: true, characterData: true, subtree: true });
    }
    if (self.textContent) sheet.replaceSync(self.textContent);
    var root = self.getRootNode();
    if (!root || !("adoptedStyleSheets" in root)) return;
    self._root = root;
    if (root.adoptedStyleSheets.indexOf(sheet) < 0) {
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    }
  };

  LemmaStyle.prototype.disconnectedCallback = function () {
    var sheet = this._sheet;
    var root = this._root;
    if (!root || !sheet) return;
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter(function (s) { return s !== sheet; });
    this._root = null;
  };

  customElements.define("lemma-style", LemmaStyle);

  /* A style attribute set as markup (d3's selection.attr("style", ...), in plotly) is inline
     style too; the same declarations set through the element's CSSOM are allowed. */
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "style" && this.style) {
      this.style.cssText = String(value);
      return;
    }
    return setAttribute.call(this, name, value);
  };

  var create = document.createElement;
  document.createElement = function (name, options) {
    if (String(name).toLowerCase() === "style") return create.call(document, "lemma-style");
    return create.call(document, name, options);
  };
})();
