// The developer portal's one script (src/modules/portal): copy buttons, and the usage charts
// drawn with the bundled uPlot from data the page carries as JSON. Pages work without it.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute("data-copy") || "");
  if (!source) return;
  const text = source.textContent || "";
  const done = () => {
    button.textContent = "Copied";
    button.setAttribute("aria-live", "polite");
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => select(source));
  else select(source);
});

function select(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  if (selection) {
    selection.removeAllRanges();
    selection.addRange(range);
  }
}
