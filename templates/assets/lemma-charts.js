/* Lemma: draw the page's interactive charts (plotly, Vega-Lite, Bokeh) from their JSON.
   Each chart is a <figure data-lemma-chart="library"> holding its static form (an image or a note,
   which readers without JavaScript keep) and a <script type="application/json"> with its data.
   A chart is drawn when it first comes into view (a hidden sweep variant waits until shown), in the
   space its static form held, and again when the reader switches between light and dark.
   Printing draws the charts not drawn yet, on paper's light theme. */
(function () {
  "use strict";

  var root = document.documentElement;
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  var printing = false;

  function theme() {
    if (printing) return "light"; // paper is white
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return systemDark && systemDark.matches ? "dark" : "light";
  }

  function cssColor(name, fallback) {
    var value = window.getComputedStyle(root).getPropertyValue(name).trim();
    return value || fallback;
  }

  /* ---- One drawer per library: draw(figure area, data, theme) returns a promise ---- */

  /* A 3D scene's walls are its axes' backgroundcolor (the template's light blue), not
     plot_bgcolor: in the dark theme they get the colour a 2D plot's faint grey makes on the dark
     page, unless the author chose them. Opaque: WebGL draws a translucent wall much lighter. */
  var DARK_WALL = "#222428";
  var SCENE_TRACES = ["surface", "scatter3d", "mesh3d", "cone", "streamtube", "volume", "isosurface"];
  function darkenScenes(layout, traces) {
    var scenes = Object.keys(layout).filter(function (key) { return /^scene\d*$/.test(key); });
    traces.forEach(function (trace) {
      if (trace && SCENE_TRACES.indexOf(trace.type) >= 0) scenes.push(trace.scene || "scene");
    });
    scenes.forEach(function (key) {
      var scene = Object.assign({}, layout[key] || {});
      ["xaxis", "yaxis", "zaxis"].forEach(function (axis) {
        var chosen = scene[axis] || {};
        if ("backgroundcolor" in chosen) return;
        scene[axis] = Object.assign({}, chosen, { backgroundcolor: DARK_WALL });
      });
      layout[key] = scene;
    });
  }

  var NARROW_PX = 560; // a phone's column, not a desktop's (776 px)
  var PLOTLY_HEIGHT_PX = 450;

  function drawPlotly(area, data, dark) {
    var layout = Object.assign({}, data.layout || {});
    var fg = cssColor("--fg", dark ? "#e3e3df" : "#1f2023");
    if (dark) {
      /* plotly's default template draws on white: keep its colours, lighten the frame. */
      layout.paper_bgcolor = "rgba(0,0,0,0)";
      layout.plot_bgcolor = "rgba(127,127,127,0.12)";
      layout.font = Object.assign({}, layout.font || {}, { color: fg });
      darkenScenes(layout, data.data || []);
    }
    /* A fixed width wider than the column (a phone) gives way to the column's width. */
    if (typeof layout.width === "number" && layout.width > area.clientWidth) delete layout.width;
    if (!("width" in layout)) layout.autosize = true;
    /* plotly's own default height, given: drawn again (the other theme, a print) without one, a
       responsive chart takes its container's height, which is its own, and collapses to 0 px. */
    var authorHeight = "height" in layout;
    if (!authorHeight) layout.height = PLOTLY_HEIGHT_PX;
    /* A phone's column: a legend beside the plot takes half its width (twelve traces left the
       plot a third of it), so a legend the author did not place lies under the plot instead,
       at the foot of the chart. */
    var legend = layout.legend || {};
    var placed = ["orientation", "x", "y", "xref", "yref"].some(function (k) { return k in legend; });
    var legendBelow = area.clientWidth < NARROW_PX && layout.showlegend !== false && !placed;
    if (legendBelow) {
      layout.legend = Object.assign({}, legend, {
        orientation: "h", x: 0, xanchor: "left", xref: "container",
        y: 0, yanchor: "bottom", yref: "container"
      });
    }
    /* No "Share chart..." (plotly.js 3 sends the chart's data to Plotly's cloud in a new window),
       nor "Edit in Chart Studio": a post's data stays on its site. */
    var config = Object.assign({ responsive: true, displaylogo: false }, data.config || {}, {
      showSendToCloud: false,
      showEditInChartStudio: false,
      showLink: false
    });
    /* The figure as one object, so that its animation frames (px's animation_frame) come too. */
    var figure = { data: data.data || [], layout: layout, config: config };
    if (Array.isArray(data.frames)) figure.frames = data.frames;
    return window.Plotly.react(area, figure).then(function () {
      /* The legend's rows are added to the default height, so the plot keeps its own. */
      var box = legendBelow && !authorHeight && area.querySelector(".legend");
      var rows = box ? Math.ceil(box.getBoundingClientRect().height) : 0;
      if (!rows) return null;
      return window.Plotly.relayout(area, { height: layout.height + rows });
    });
  }

  /* One view (not a concatenation, facet or repeat) can take its column's width. */
  var COMPOSED = ["concat", "hconcat", "vconcat", "facet", "repeat"];
  function fitsContainer(spec) {
    return !COMPOSED.some(function (key) { return key in spec; });
  }

  function drawVega(area, spec, dark) {
    var options = { actions: false, ast: true, renderer: "svg", mode: "vega-lite" };
    if (dark) {
      options.theme = "dark";
      options.tooltip = { theme: "dark" }; // vega-tooltip's own dark box, not a white one
    }
    function embed(chosen) {
      return window.vegaEmbed(area, chosen, options).then(function (result) {
        area._lemmaFinalize = result.finalize;
      });
    }
    return embed(spec).then(function () {
      /* Wider than its column (a phone): draw it again at the column's width, legend inside. */
      if (area.scrollWidth <= area.clientWidth + 1 || !fitsContainer(spec)) return null;
      area._lemmaFinalize();
      area._lemmaFinalize = null;
      area.textContent = "";
      var fitted = Object.assign({}, spec, {
        width: "container",
        autosize: { type: "fit", contains: "padding" }
      });
      return embed(fitted);
    });
  }

  /* The colours of Bokeh's own dark_minimal theme (not its fonts and sizes: a plot keeps its
     layout across themes), given to the models whose author left them at Bokeh's defaults. */
  var BOKEH_DARK = {
    Plot: { background_fill_color: "#20262B", border_fill_color: "#15191C",
      outline_line_color: "#E0E0E0", outline_line_alpha: 0.25 },
    Grid: { grid_line_color: "#E0E0E0", grid_line_alpha: 0.25 },
    Axis: { axis_line_color: "#E0E0E0", major_tick_line_color: "#E0E0E0",
      minor_tick_line_color: "#E0E0E0", major_label_text_color: "#E0E0E0",
      axis_label_text_color: "#E0E0E0" },
    Legend: { label_text_color: "#E0E0E0", background_fill_color: "#20262B",
      background_fill_alpha: 0.25, border_line_alpha: 0 },
    ColorBar: { title_text_color: "#E0E0E0", major_label_text_color: "#E0E0E0",
      background_fill_color: "#15191C" },
    Title: { text_color: "#E0E0E0" }
  };

  function bokehKind(name) {
    if (name === "Figure" || name === "Plot" || name === "GMapPlot") return "Plot";
    if (/Axis$/.test(name)) return "Axis";
    if (/ColorBar$/.test(name)) return "ColorBar";
    return name;
  }

  function darkenBokeh(node) {
    if (Array.isArray(node)) {
      node.forEach(darkenBokeh);
      return;
    }
    if (!node || typeof node !== "object") return;
    var theme = node.type === "object" && BOKEH_DARK[bokehKind(node.name)];
    if (theme) {
      node.attributes = node.attributes || {};
      Object.keys(theme).forEach(function (key) {
        if (!(key in node.attributes)) node.attributes[key] = theme[key];
      });
    }
    Object.keys(node).forEach(function (key) { darkenBokeh(node[key]); });
  }

  /* Every plot in a layout (tabs, a grid, a row) scales to its share of the column's width,
     keeping its shape; the layout itself takes the column's width. */
  function scaleBokeh(node, isRoot) {
    if (Array.isArray(node)) {
      node.forEach(function (child) { scaleBokeh(child, false); });
      return;
    }
    if (!node || typeof node !== "object") return;
    if (node.type === "object" && node.attributes) {
      if (bokehKind(node.name) === "Plot") node.attributes.sizing_mode = "scale_width";
      else if (isRoot) node.attributes.sizing_mode = "stretch_width";
    }
    Object.keys(node).forEach(function (key) { scaleBokeh(node[key], false); });
  }

  /* BokehJS lays a layout out in the frames after embed_item resolves. */
  function afterLayout() {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () { window.requestAnimationFrame(resolve); });
    });
  }

  var bokehId = 0;
  function drawBokeh(area, item, dark) {
    bokehId += 1;
    area.id = area.id || "lemma-bokeh-" + bokehId;
    if (dark && item && item.doc) darkenBokeh(item.doc.roots);
    /* A plot wider than its column (a phone) scales to the column's width, keeping its shape. */
    var roots = item && item.doc && Array.isArray(item.doc.roots) ? item.doc.roots : [];
    roots.forEach(function (model) {
      var attributes = model && model.attributes;
      if (attributes && typeof attributes.width === "number" && attributes.width > area.clientWidth) {
        attributes.sizing_mode = "scale_width";
      }
    });
    function embed() {
      return window.Bokeh.embed.embed_item(item, area.id).then(function (views) {
        area._lemmaFinalize = function () { views.clear(); };
      });
    }
    return embed().then(afterLayout).then(function () {
      /* Wider than its column (a phone): draw it again with its plots scaled to the column. A
         layout's width is its plots' (tabs, a grid), so it is measured once laid out, not read. */
      if (area.scrollWidth <= area.clientWidth + 1) return null;
      roots.forEach(function (model) { scaleBokeh(model, true); });
      area._lemmaFinalize();
      area._lemmaFinalize = null;
      area.textContent = "";
      return embed();
    });
  }

  var DRAWERS = {
    /* `immediate`: the library draws before draw() returns, in time for a print. */
    plotly: { ready: function () { return window.Plotly; }, draw: drawPlotly, themed: true, immediate: true },
    "vega-lite": { ready: function () { return window.vegaEmbed; }, draw: drawVega, themed: true },
    bokeh: { ready: function () { return window.Bokeh; }, draw: drawBokeh, themed: true }
  };

  /* ---- Drawing a figure ---- */

  function draw(figure) {
    var drawer = DRAWERS[figure.getAttribute("data-lemma-chart")];
    var script = figure.querySelector("script.lemma-chart-data");
    if (!drawer || !script || !drawer.ready()) return;
    var data;
    try {
      data = JSON.parse(script.textContent);
    } catch (e) {
      return; // keep the static form
    }
    var staticForm = figure.querySelector(".lemma-chart-static");
    var area = figure.querySelector(".lemma-chart-area");
    var fresh = !area;
    if (fresh) {
      area = document.createElement("div");
      area.className = "lemma-chart-area";
      /* Hold the static form's height while the library lays the chart out: no shift. */
      var held = staticForm ? staticForm.offsetHeight : 0;
      var height = Number(figure.getAttribute("data-height")) || held;
      if (height) figure.style.minHeight = height + "px";
      figure.insertBefore(area, staticForm);
    } else if (area._lemmaFinalize) {
      area._lemmaFinalize();
      area._lemmaFinalize = null;
      area.textContent = "";
    }
    if (staticForm) staticForm.hidden = true;
    var dark = theme() === "dark";
    figure.setAttribute("data-lemma-theme", dark ? "dark" : "light");
    Promise.resolve(drawer.draw(area, data, dark)).then(
      function () {
        /* Drawn: its own height now (a chart fitted to a phone is shorter than its image). */
        figure.style.minHeight = "";
        figure.setAttribute("data-lemma-drawn", "");
      },
      function (error) {
        var note = staticForm && staticForm.querySelector(".lemma-chart-note");
        /* Not "it needs JavaScript": it had it, and the library failed. */
        if (note) note.textContent = "This chart could not be drawn in this browser.";
        if (staticForm) staticForm.hidden = false;
        if (area.parentNode) area.parentNode.removeChild(area);
        figure.style.minHeight = "";
        if (window.console) console.warn("Lemma: a chart could not be drawn:", error);
      }
    );
  }

  function setup() {
    var figures = document.querySelectorAll("[data-lemma-chart]");
    if (!figures.length) return;
    if (!("IntersectionObserver" in window)) {
      Array.prototype.forEach.call(figures, draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        draw(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    Array.prototype.forEach.call(figures, function (figure) { observer.observe(figure); });

    /* The reader switched themes: draw the themed charts again in the new colours. */
    function redrawThemed() {
      var now = theme();
      Array.prototype.forEach.call(figures, function (figure) {
        var drawer = DRAWERS[figure.getAttribute("data-lemma-chart")];
        var drawnIn = figure.getAttribute("data-lemma-theme");
        if (drawer && drawer.themed && drawnIn && drawnIn !== now) draw(figure);
      });
    }
    new MutationObserver(redrawThemed).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", redrawThemed);

    /* Printing: the charts further down were never drawn, and those drawn for the dark theme have
       light text, invisible on paper. The print is made right after this event, so only charts
       drawn at once (plotly) are drawn here, in the light theme; a Vega-Lite chart prints its
       static image (style.css). */
    window.addEventListener("beforeprint", function () {
      printing = true;
      Array.prototype.forEach.call(figures, function (figure) {
        var drawer = DRAWERS[figure.getAttribute("data-lemma-chart")];
        var drawnIn = figure.getAttribute("data-lemma-theme");
        if (!drawer || !drawer.immediate || drawnIn === "light") return;
        if (!figure.getClientRects().length) return; // a hidden sweep variant is not printed
        if (!drawnIn) observer.unobserve(figure);
        draw(figure);
      });
    });
    window.addEventListener("afterprint", function () {
      printing = false;
      redrawThemed();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
