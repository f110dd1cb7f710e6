/* Lemma search page: query the Pagefind index that the build wrote into pagefind/.
   Loaded only by search/index.html, as a module; Pagefind itself is imported on the first query. */

const results = document.querySelector("[data-lemma-search]");
const form = document.querySelector("[data-lemma-search-form]");
const input = form && form.querySelector("input[name=q]");
const status = document.getElementById("search-status");

let loading = null; /* the Pagefind API, once loaded: a promise */
let latest = 0;

/* A large site's index comes in parts, and a site edited since its parts were made has an
   edits bundle: pagefind/lemma-parts.json lists them, each merged into the first, so that one
   search covers them all. It also lists the results to leave out: a part's old version of a
   page the edits bundle holds anew. */
async function otherBundles(bundle) {
  try {
    const answer = await fetch(new URL("lemma-parts.json", bundle));
    if (!answer.ok) return { parts: [], hidden: [] };
    const listed = await answer.json();
    return { parts: listed.parts || [], hidden: listed.hidden || [] };
  } catch (error) {
    return { parts: [], hidden: [] };
  }
}

/* One load for every query, even those typed while it is under way (a part merged twice would
   give its results twice); after a failure, the next query tries again. */
function loadPagefind() {
  if (!loading) {
    loading = (async () => {
      const bundle = new URL(results.dataset.bundle, window.location.href);
      const [api, others] = await Promise.all([import(bundle.href), otherBundles(bundle)]);
      /* Result URLs are relative to the site root; baseUrl makes them work under a sub-path. */
      const options = { baseUrl: results.dataset.baseUrl, excerptLength: 24 };
      await api.options(options);
      for (const part of others.parts) await api.mergeIndex(new URL(part, bundle).pathname, options);
      return { api, hidden: new Set(others.hidden) };
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/* The results of a search, each page once: none that is hidden, and of two bundles that hold a
   page alike (the same id), one. */
function shown(found, hidden) {
  const seen = new Set();
  return found.results.filter((r) => {
    if (hidden.has(r.id) || seen.has(r.id)) return false;
    seen.add(r.id);
    return true;
  });
}

/* Pagefind's excerpts are text with <mark> around the matches: keep exactly that, nothing else. */
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  template.content.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.appendChild(mark);
    } else {
      fragment.appendChild(document.createTextNode(node.textContent));
    }
  });
  return fragment;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "post-list-item search-result";
  const article = document.createElement("article");
  article.className = "post-summary";
  const title = document.createElement("h2");
  title.className = "post-summary-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  title.appendChild(link);
  article.appendChild(title);
  if (data.meta && data.meta.date) {
    const meta = document.createElement("p");
    meta.className = "post-meta";
    const time = document.createElement("time");
    time.textContent = data.meta.date;
    if (data.meta.datetime) time.setAttribute("datetime", data.meta.datetime);
    meta.appendChild(time);
    article.appendChild(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "post-excerpt search-excerpt";
  excerpt.appendChild(excerptNodes(data.excerpt || ""));
  article.appendChild(excerpt);
  item.appendChild(article);
  return item;
}

async function search(query) {
  const ticket = ++latest;
  query = query.trim();
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
  if (!query) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    const { api, hidden } = await loadPagefind();
    found = shown(await api.search(query), hidden);
  } catch (error) {
    if (ticket === latest) status.textContent = "The search index could not be loaded.";
    return;
  }
  const data = await Promise.all(found.slice(0, 20).map((r) => r.data()));
  if (ticket !== latest) return; // a newer query has started meanwhile
  const count = found.length;
  if (count === 0) {
    results.replaceChildren();
  } else {
    const list = document.createElement("ol");
    list.className = "post-list search-results";
    data.forEach((d) => list.appendChild(resultItem(d)));
    results.replaceChildren(list);
  }
  status.textContent = count === 0
    ? `No results for “${query}”.`
    : `${count} result${count === 1 ? "" : "s"} for “${query}”.`;
}

if (results && form && input && status) {
  let timer = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => search(input.value), 200);
  });
  const initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) search(initial);
}
