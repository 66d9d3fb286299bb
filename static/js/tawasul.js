// Tawasul: progressive enhancement only; every page works without this file.
// (The language switch keeps its button: submitting on change would move keyboard users
// to another page while they browse the options, WCAG 3.2.2.)
(function () {
  "use strict";
  document.documentElement.classList.add("js");
})();
