// js_on_load of the other HTML blocks that hold citation cards or a document (self-check sources,
// examples, document view): copy buttons, "在原文中查看", example questions, scroll to a cited passage.
const root = element;

function scrollToFocus() {
  setTimeout(() => {
    const hit = root.querySelector(".gt-focus");
    if (hit) hit.scrollIntoView({ block: "center" });
  }, 80);
}

root.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-act]");
  if (!el || !root.contains(el)) return;
  const act = el.dataset.act;
  if (act === "copy" && window.gtCopyText) {
    window.gtCopyText(el.dataset.copy, el);
  } else if (act === "doc") {
    trigger("click", { action: "open_doc", doc: el.dataset.doc, quote: el.dataset.quote });
  } else if (act === "send") {
    if (window.gtPending) window.gtPending(el.dataset.text);
    trigger("click", { action: "send", text: el.dataset.text });
  }
});

watch("value", scrollToFocus);
scrollToFocus();
