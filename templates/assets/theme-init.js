/* Lemma: set the theme before the first paint so a dark page never flashes white.
   Loaded in <head> without defer on purpose; the reader's choice is in localStorage "lemma-theme". */
(function () {
  var theme = null;
  try {
    theme = localStorage.getItem("lemma-theme");
  } catch (e) {
    /* storage may be disabled; fall back to the system preference */
  }
  if (theme !== "light" && theme !== "dark") {
    theme = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.documentElement.setAttribute("data-theme", theme);
})();
