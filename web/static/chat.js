// Runs once as the js_on_load of the conversation (gr.HTML #gt-conv): `element`, `trigger` and
// `watch` come from Gradio. All clicks are delegated to the root, which survives re-renders.
const root = element;

function copyText(text, button) {
  const done = () => {
    if (!button) return;
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = "已复制";
    button.classList.add("gt-done");
    setTimeout(() => { button.textContent = label; button.classList.remove("gt-done"); }, 1500);
  };
  const fallback = () => {  // plain-http deployments have no async clipboard
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing more to try */ }
    area.remove();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
}
window.gtCopyText = copyText;

function showCard(turn, n) {
  const details = turn && turn.querySelector("details.gt-sources");
  if (!details) return;
  details.open = true;
  const card = details.querySelector('.gt-cite[data-n="' + n + '"]');
  if (!card) return;
  root.querySelectorAll(".gt-cite.gt-active").forEach((c) => c.classList.remove("gt-active"));
  card.classList.add("gt-active");
  card.scrollIntoView({ block: "center" });
}

function pending(text) {
  // the question shows at once; the server's re-render replaces this placeholder
  root.querySelectorAll(".gt-welcome, .gt-options").forEach((e) => e.remove());
  const turn = document.createElement("article");
  turn.className = "gt-turn gt-pending";
  const q = document.createElement("div");
  q.className = "gt-q";
  const qt = document.createElement("div");
  qt.className = "gt-q-text";
  qt.textContent = text;  // text, never HTML
  q.appendChild(qt);
  const a = document.createElement("div");
  a.className = "gt-a";
  a.innerHTML = '<div class="gt-a-body gt-wait">正在查找政策原文……</div>';
  turn.append(q, a);
  root.appendChild(turn);
  turn.scrollIntoView({ block: "start" });
}
window.gtPending = pending;

function feedbackForm(turn, rating) {
  let form = turn.querySelector(".gt-fb-form");
  if (!form) {
    form = document.createElement("div");
    form.className = "gt-fb-form";
    form.innerHTML = '<div class="gt-fb-thanks" role="status">已记录，谢谢！想补充说明可以写在下面（可不填）。</div>'
      + '<textarea class="gt-fb-comment" maxlength="2000" rows="2" placeholder="哪里不对、缺了什么？"></textarea>'
      + '<button type="button" class="gt-tool" data-act="fb-send">提交说明</button>';
    turn.querySelector(".gt-tools").after(form);
  }
  form.dataset.rating = rating;
}

root.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-act]");
  if (!el || !root.contains(el)) return;
  const turn = el.closest(".gt-turn");
  const act = el.dataset.act;
  if (act === "ref") {
    showCard(turn, el.dataset.n);
  } else if (act === "copy") {
    copyText(el.dataset.copy, el);
  } else if (act === "send") {
    pending(el.dataset.text);
    trigger("click", { action: "send", text: el.dataset.text });
  } else if (act === "doc") {
    trigger("click", { action: "open_doc", doc: el.dataset.doc, quote: el.dataset.quote });
  } else if (act === "fb") {
    turn.querySelectorAll(".gt-fb").forEach((b) => b.setAttribute("aria-pressed", String(b === el)));
    feedbackForm(turn, el.dataset.rating);
    trigger("click", { action: "feedback", turn: turn.dataset.turn, rating: el.dataset.rating, comment: "" });
  } else if (act === "fb-send") {
    const form = el.closest(".gt-fb-form");
    const comment = form.querySelector(".gt-fb-comment").value.trim();
    if (!comment) return;
    trigger("click", { action: "feedback", turn: turn.dataset.turn, rating: form.dataset.rating, comment });
    form.innerHTML = '<div class="gt-fb-thanks" role="status">说明已记录，谢谢！</div>';
  }
});

let seen = root.querySelectorAll(".gt-turn:not(.gt-pending)").length;
watch("value", () => {
  // a new answer: bring its question to the top of the screen, the answer follows below
  const turns = root.querySelectorAll(".gt-turn");
  if (turns.length > seen) turns[turns.length - 1].scrollIntoView({ block: "start" });
  seen = turns.length;
});
