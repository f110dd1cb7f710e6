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

  /* The dark theme's frame of a chart, plotly's and Vega-Lite's alike: its text the page's own
     colour; grid lines faint on the page (as a light chart's are on white), zero lines a little
     stronger, axis lines and ticks a grey the dark page shows. */
  function darkText() { return cssColor("--fg", "#e3e3df"); }
  var DARK_LINES = { grid: "#34363c", zero: "#4a4d55", axis: "#8a8e96" };

  /* ---- One drawer per library: draw(figure area, data, theme) returns a promise ---- */

  /* A 3D scene's walls are its axes' backgroundcolor (the template's light blue), not
     plot_bgcolor: in the dark theme they get the colour a 2D plot's faint grey makes on the dark
     page, unless the author chose them. Opaque: WebGL draws a translucent wall much lighter. */
  var DARK_WALL = "#222428";
  var DARK_SCENE_GRID = DARK_LINES.zero; // its grid lines, white in the templates: faint on the wall
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
        var dark = { backgroundcolor: DARK_WALL };
        if (!("gridcolor" in chosen)) dark.gridcolor = DARK_SCENE_GRID;
        scene[axis] = Object.assign({}, chosen, dark);
      });
      layout[key] = scene;
    });
  }

  var NARROW_PX = 560; // a phone's column, not a desktop's (776 px)
  var PLOTLY_HEIGHT_PX = 450;

  /* The templates' grid and zero lines are white (or near white) for a light plot: on the dark
     theme's plot they were its brightest lines, brighter than the data. They get the contrast
     they have on light (a faint line on the plot), and axis lines and ticks drawn dark
     (simple_white's) a grey the dark page shows; unless the author chose them. */
  var DARK_AXIS = { gridcolor: DARK_LINES.grid, zerolinecolor: DARK_LINES.zero,
    linecolor: DARK_LINES.axis, tickcolor: DARK_LINES.axis };
  /* The layout's keys of a 2D chart's axes: those it sets, and those its traces name. */
  function axisKeys(layout, traces) {
    var keys = Object.keys(layout).concat(["xaxis", "yaxis"]);
    traces.forEach(function (trace) {
      if (!trace) return;
      if (typeof trace.xaxis === "string") keys.push(trace.xaxis.replace(/^x/, "xaxis"));
      if (typeof trace.yaxis === "string") keys.push(trace.yaxis.replace(/^y/, "yaxis"));
    });
    return keys.filter(function (key, n) {
      return /^[xy]axis\d*$/.test(key) && keys.indexOf(key) === n;
    });
  }

  function darkenAxes(layout, traces) {
    axisKeys(layout, traces).forEach(function (key) {
      var axis = Object.assign({}, layout[key] || {});
      Object.keys(DARK_AXIS).forEach(function (name) {
        if (!(name in axis)) axis[name] = DARK_AXIS[name];
      });
      layout[key] = axis;
    });
  }

  function drawPlotly(area, data, dark) {
    var layout = Object.assign({}, data.layout || {});
    if (dark) {
      /* plotly's default template draws on white: keep its colours, lighten the frame. */
      layout.paper_bgcolor = "rgba(0,0,0,0)";
      layout.plot_bgcolor = "rgba(127,127,127,0.12)";
      layout.font = Object.assign({}, layout.font || {}, { color: darkText() });
      darkenScenes(layout, data.data || []);
      darkenAxes(layout, data.data || []);
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
    /* A phone's column: plotly's margins (80 px left and right) left a third of it to the plots;
       axes take the room their labels need instead (automargin), unless the author chose. */
    if (area.clientWidth < NARROW_PX) {
      var margin = layout.margin || {};
      layout.margin = Object.assign({ l: 8, r: 24 }, margin);
      if (!("l" in margin) || !("r" in margin)) {
        axisKeys(layout, data.data || []).forEach(function (key) {
          var axis = layout[key] || {};
          if (!("automargin" in axis)) layout[key] = Object.assign({}, axis, { automargin: true });
        });
      }
    }
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
    }).then(function () {
      return fitAnnotations(area);
    }).then(function () {
      return fitPlotlyTitle(area);
    });
  }

  /* The text of a title as plotly or Vega-Lite has it: a string, or an object's `text`. */
  function titleText(title) {
    var text = title && typeof title === "object" ? title.text : title;
    return typeof text === "string" ? text : "";
  }

  /* A chart's title wider than a phone's column ran past its edge, cut off: it is broken into
     lines that fit. How far `node` runs past the chart's edges (0 when it does not). */
  function overflow(node, chart) {
    var box = node.getBoundingClientRect();
    return box.width ? Math.max(0, chart.left - box.left, box.right - chart.right) : 0;
  }

  /* The width a title's lines may take: from its left edge, or centred where it is. */
  function titleRoom(node, chart) {
    var box = node.getBoundingClientRect();
    var centre = (box.left + box.right) / 2;
    var room = node.getAttribute("text-anchor") === "middle" ?
      2 * Math.min(centre - chart.left, chart.right - centre) :
      chart.right - Math.max(box.left, chart.left);
    return Math.min(room, chart.width) - 8;
  }

  function fontOf(node) {
    var style = window.getComputedStyle(node);
    return style.fontStyle + " " + style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
  }

  function fitPlotlyTitle(area) {
    var node = area.querySelector(".infolayer .gtitle");
    var text = titleText(area.layout && area.layout.title);
    if (!node || text.indexOf("<") >= 0) return null;
    var chart = area.getBoundingClientRect();
    if (!text || overflow(node, chart) <= 1) return null;
    var found = lines(text, fontOf(node), titleRoom(node, chart));
    if (found.length < 2) return null;
    return window.Plotly.relayout(area, { "title.text": found.join("<br>") });
  }

  /* An annotation's text as the pieces a line may break between: its words, and the two sides of
     the "=" in plotly express's facet titles ("day=" "Thur"); `space`: a space comes before it. */
  function piecesOf(text) {
    var pieces = [];
    text.split(/ +/).forEach(function (word, n) {
      var cut = word.indexOf("=");
      if (cut > 0 && cut < word.length - 1) {
        pieces.push({ text: word.slice(0, cut + 1), space: n > 0 });
        pieces.push({ text: word.slice(cut + 1), space: false });
      } else {
        pieces.push({ text: word, space: n > 0 });
      }
    });
    return pieces;
  }

  var measurer = null;
  function textWidth(text, font) {
    measurer = measurer || document.createElement("canvas").getContext("2d");
    measurer.font = font;
    return measurer.measureText(text).width;
  }

  /* Lines no wider than `room` (a piece wider than it stands alone on its line). */
  function lines(text, font, room) {
    var done = [];
    var line = "";
    piecesOf(text).forEach(function (piece) {
      var longer = line ? line + (piece.space ? " " : "") + piece.text : piece.text;
      if (line && textWidth(longer, font) > room) {
        done.push(line);
        line = piece.text;
      } else {
        line = longer;
      }
    });
    if (line) done.push(line);
    return done;
  }

  var MIN_FONT_PX = 10;
  /* Titles over subplots (make_subplots' subplot_titles, plotly express's facets) are centred
     over their plots, at their font size whatever the plots' width: on a phone they run into one
     another and past the chart's edge. Each such title that does is made smaller (down to 10 px)
     and, if it still does not fit, broken into lines. */
  function fitAnnotations(area) {
    var full = area._fullLayout;
    var annotations = full && full.annotations;
    if (!annotations || !annotations.length) return null;
    var chart = area.getBoundingClientRect();
    var titles = [];
    annotations.forEach(function (note, index) {
      if (note.showarrow || note.textangle || note.xanchor !== "center") return;
      var node = area.querySelector('.annotation[data-index="' + index + '"] .annotation-text');
      if (!node) return;
      var box = node.getBoundingClientRect();
      if (!box.width) return;
      titles.push({ index: index, note: note, node: node, box: box,
                    centre: (box.left + box.right) / 2 });
    });
    var updates = {};
    var smallest = Infinity;
    var fits = [];
    titles.forEach(function (title) {
      /* Its room: twice the way to the chart's nearer edge, and, beside another title on the
         same line, the distance between their centres (each takes half), less a gap. */
      var room = 2 * Math.min(title.centre - chart.left, chart.right - title.centre) - 4;
      titles.forEach(function (other) {
        if (other === title) return;
        var sameLine = other.box.top < title.box.bottom && other.box.bottom > title.box.top;
        if (sameLine) room = Math.min(room, Math.abs(other.centre - title.centre) - 8);
      });
      var style = window.getComputedStyle(title.node);
      var size = parseFloat(style.fontSize) || title.note.font.size;
      title.size = size;
      title.family = style.fontFamily || title.note.font.family;
      title.room = room;
      if (title.box.width <= room || room <= 0) return;
      smallest = Math.min(smallest, Math.max(MIN_FONT_PX, Math.floor(size * room / title.box.width)));
      fits.push(title);
    });
    if (!fits.length) return null;
    /* The titles share one size, the smallest one needs; those still too wide are broken. */
    titles.forEach(function (title) {
      var key = "annotations[" + title.index + "]";
      if (smallest < title.size) updates[key + ".font.size"] = smallest;
      var text = title.note.text;
      var wide = title.box.width * Math.min(smallest, title.size) / title.size > title.room;
      if (wide && title.room > 0 && text.indexOf("<") < 0) {
        updates[key + ".text"] = lines(text, smallest + "px " + title.family, title.room).join("<br>");
      }
    });
    return window.Plotly.relayout(area, updates);
  }

  /* One view (not a concatenation, facet or repeat) can take its column's width. */
  var COMPOSED = ["concat", "hconcat", "vconcat", "facet", "repeat"];
  function fitsContainer(spec) {
    return !COMPOSED.some(function (key) { return key in spec; }) &&
      !(spec.encoding && ("column" in spec.encoding || "row" in spec.encoding ||
        "facet" in spec.encoding));
  }

  function copyJSON(value) { return JSON.parse(JSON.stringify(value)); }

  /* `{"repeat": "column"}` references inside a repeated spec, made `{"repeat": "row"}`. */
  function repeatAsRow(node) {
    if (Array.isArray(node)) { node.forEach(repeatAsRow); return; }
    if (!node || typeof node !== "object") return;
    if (node.repeat === "column" && Object.keys(node).length === 1) node.repeat = "row";
    Object.keys(node).forEach(function (key) { repeatAsRow(node[key]); });
  }

  /* A phone's column: views side by side are put one under the other (an hconcat, a concat's or
     a wrapped facet's or repeat's columns, a facet's or repeat's column); a grid of rows and
     columns (a scatter-plot matrix) stays one, and is scaled. */
  function stack(view) {
    if (Array.isArray(view.hconcat)) {
      view.vconcat = view.hconcat;
      delete view.hconcat;
    }
    if (Array.isArray(view.concat) || Array.isArray(view.repeat) ||
        (view.facet && "field" in view.facet)) {
      view.columns = 1;
    }
    if (view.facet && view.facet.column && !view.facet.row) view.facet = { row: view.facet.column };
    if (view.repeat && !Array.isArray(view.repeat) && view.repeat.column && !view.repeat.row) {
      view.repeat = { row: view.repeat.column };
      repeatAsRow(view.spec);
    }
    var encoding = view.encoding;
    if (encoding && encoding.column && !encoding.row) {
      encoding.row = encoding.column;
      delete encoding.column;
    }
    if (encoding && encoding.facet) encoding.facet = Object.assign({}, encoding.facet, { columns: 1 });
    ["vconcat", "concat"].forEach(function (key) {
      if (Array.isArray(view[key])) view[key].forEach(stack);
    });
  }

  /* Every view's width and height (and the defaults of those without) times `scale`. */
  function scaleSizes(spec, scale) {
    function size(value) {
      if (typeof value === "number") return Math.max(20, Math.round(value * scale));
      if (value && typeof value.step === "number") {
        return Object.assign({}, value, { step: Math.max(4, value.step * scale) });
      }
      return value;
    }
    function walk(view) {
      if (!view || typeof view !== "object") return;
      if ("width" in view) view.width = size(view.width);
      if ("height" in view) view.height = size(view.height);
      ["hconcat", "vconcat", "concat", "layer"].forEach(function (key) {
        if (Array.isArray(view[key])) view[key].forEach(walk);
      });
      if (view.spec) walk(view.spec);
    }
    walk(spec);
    var config = spec.config = Object.assign({}, spec.config || {});
    var chosen = config.view || {};
    config.view = Object.assign({}, chosen, {
      continuousWidth: size(chosen.continuousWidth || 200), /* Vega-Lite's defaults */
      continuousHeight: size(chosen.continuousHeight || 200),
      step: size(chosen.step || 20)
    });
    return spec;
  }

  /* The dark theme's Vega-Lite config (vega-embed's "dark" theme drew on #333, a grey box on
     the dark page): the page's own background, its text colour, the plotly charts' lines. The
     spec's own config, merged after it, keeps what the author chose. */
  function vegaDark() {
    var text = darkText();
    var labels = { labelColor: text, titleColor: text };
    return {
      background: "transparent",
      view: { stroke: DARK_LINES.grid },
      title: { color: text, subtitleColor: text },
      axis: Object.assign({ domainColor: DARK_LINES.axis, tickColor: DARK_LINES.axis,
        gridColor: DARK_LINES.grid }, labels),
      legend: labels,
      header: labels,
      text: { color: text } // a text mark's, black by default
    };
  }

  function drawVega(area, spec, dark) {
    var options = { actions: false, ast: true, renderer: "svg", mode: "vega-lite" };
    if (dark) {
      options.config = vegaDark();
      options.tooltip = { theme: "dark" }; // vega-tooltip's own dark box, not a white one
    }
    function embed(chosen) {
      return window.vegaEmbed(area, chosen, options).then(function (result) {
        area._lemmaFinalize = result.finalize;
      });
    }
    /* The width `chosen` is drawn at, drawn aside (not on the page). */
    function widthOf(chosen) {
      var aside = document.createElement("div");
      return window.vegaEmbed(aside, chosen, options).then(function (result) {
        var svg = aside.querySelector("svg");
        var width = svg ? Number(svg.getAttribute("width")) : 0;
        result.finalize();
        return width;
      });
    }
    function clear() {
      area._lemmaFinalize();
      area._lemmaFinalize = null;
      area.textContent = "";
    }
    /* Drawn again with its title in lines, when it is wider than the column (a phone); again,
       narrower, if the view moved under its new title (Vega lays the chart out anew). */
    function fitTitle(drawn, text, room, tries) {
      var title = drawn.title;
      var shownLines = title && typeof title === "object" && !Array.isArray(title) ? title.text : title;
      var shown = Array.isArray(shownLines) ? shownLines.join("") : text; // its tspans' text, run together
      var node = Array.prototype.filter.call(area.querySelectorAll("svg .role-title-text text"),
        function (candidate) { return candidate.textContent === shown; })[0];
      if (!node || !text || tries > 2) return null;
      /* The SVG clips what runs past it: its box, within the column's. */
      var column = area.getBoundingClientRect();
      var svg = area.querySelector("svg").getBoundingClientRect();
      var left = Math.max(column.left, svg.left);
      var right = Math.min(column.right, svg.right);
      var chart = { left: left, right: right, width: right - left };
      /* A title drawn in lines keeps 4 px from the edges, as their room was measured. */
      var inset = tries ? 4 : 0;
      var over = overflow(node, { left: left + inset, right: right - inset });
      if (over <= (tries ? 0 : 1)) return null;
      room = room ? room - 2 * over - 4 : titleRoom(node, chart);
      var found = lines(text, fontOf(node), room);
      if (found.length < 2) return null;
      clear();
      var wrapped = title && typeof title === "object" && !Array.isArray(title) ?
        Object.assign({}, title, { text: found }) : found;
      var next = Object.assign({}, drawn, { title: wrapped });
      return embed(next).then(function () { return fitTitle(next, text, room, tries + 1); });
    }
    var drawn = spec;
    return embed(spec).then(function () {
      return fitColumn();
    }).then(function () {
      return fitTitle(drawn, titleText(spec.title), 0, 0);
    });
    function fitColumn() {
      var column = area.clientWidth;
      if (area.scrollWidth <= column + 1) return null;
      /* Wider than its column (a phone): one view is drawn again at the column's width, legend
         inside. */
      if (fitsContainer(spec)) {
        clear();
        drawn = Object.assign({}, spec, {
          width: "container",
          autosize: { type: "fit", contains: "padding" }
        });
        return embed(drawn);
      }
      /* On a phone, views side by side are stacked, their legend under them; then every view is
         scaled, keeping its shape, so that the whole fits: its width is the views' widths
         (scaled) and what does not scale (axes, legends, headers), found from two drawings. */
      var fitted = copyJSON(spec);
      if (column < NARROW_PX) {
        stack(fitted);
        var config = fitted.config = Object.assign({}, fitted.config || {});
        config.legend = Object.assign({ orient: "bottom" }, config.legend || {});
      }
      return widthOf(fitted).then(function (whole) {
        if (whole <= column + 1) return fitted;
        /* Secant steps on (scale, width), from the drawing as it is and one at half size; the
           width is nearly linear in the scale (an axis's labels change with its length). */
        var tries = 0;
        function step(low, lowWidth, high, highWidth) {
          var slope = (highWidth - lowWidth) / (high - low);
          var scale = slope > 0 ? high - (highWidth - column + 1) / slope : high * 0.8;
          scale = Math.min(1, Math.max(0.2, scale));
          var scaled = scaleSizes(copyJSON(fitted), scale);
          return widthOf(scaled).then(function (width) {
            tries += 1;
            if (width <= column + 1 || tries >= 3 || scale === 0.2) return scaled;
            return step(low, lowWidth, scale, width);
          });
        }
        return widthOf(scaleSizes(copyJSON(fitted), 0.5)).then(function (half) {
          return step(0.5, half, 1, whole);
        });
      }).then(function (chosen) {
        clear();
        drawn = chosen;
        return embed(chosen);
      });
    }
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
