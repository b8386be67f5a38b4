// ZAS page behaviour: CSRF on htmx requests, inline errors instead of blank areas, small conveniences.
// Everything here is progressive: without JavaScript the links and forms still work as plain pages.
document.addEventListener("htmx:configRequest", (e) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) e.detail.headers["X-CSRFToken"] = token.content;
});

function showInlineError(target, text) {
  if (!target) return;
  const box = document.createElement("p");
  box.className = "field-error htmx-error";
  box.setAttribute("role", "alert");
  box.textContent = text;
  // an outerHTML swap target may be a polling element: stop it by replacing its content and attributes
  target.removeAttribute("hx-trigger");
  target.replaceChildren(box);
}

document.addEventListener("htmx:responseError", (e) => {
  const status = e.detail.xhr.status;
  showInlineError(e.detail.target,
    `Could not load this part of the page (HTTP ${status}). Try again, or reload the page.`);
});
document.addEventListener("htmx:sendError", (e) => {
  showInlineError(e.detail.target, "ZAS did not answer. Check your connection and try again.");
});
document.addEventListener("htmx:timeout", (e) => {
  showInlineError(e.detail.target, "ZAS took too long to answer. Try again.");
});

// tabs: mark the clicked tab selected (the page render does it for full loads)
document.addEventListener("htmx:beforeRequest", (e) => {
  const elt = e.detail.elt;
  if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-tab")) return;
  elt.closest("[role=tablist]").querySelectorAll("[role=tab]").forEach((tab) => {
    tab.setAttribute("aria-selected", tab === elt ? "true" : "false");
  });
});

document.addEventListener("change", (e) => {
  const elt = e.target;
  // the organization switcher navigates as soon as a choice is made
  if (elt.matches("select[data-autosubmit]")) elt.form.submit();
  // "select all" ticks every box of that name in the same table
  if (elt.matches("input[data-select-all]")) {
    elt.closest("table").querySelectorAll(`input[name="${elt.dataset.selectAll}"]`)
      .forEach((box) => { box.checked = elt.checked; });
  }
  // the launch dialog shows only the chosen kind's fields
  if (elt.matches("#launch-form select[name=kind]")) {
    document.querySelectorAll("[data-kind-fields]").forEach((block) => {
      block.hidden = block.dataset.kindFields !== elt.value;
    });
  }
});

document.addEventListener("click", (e) => {
  const toggle = e.target.closest("[data-theme-toggle]");
  if (!toggle) return;
  const root = document.documentElement;
  const current = root.dataset.theme === "dark" || (root.dataset.theme !== "light" &&
    window.matchMedia("(prefers-color-scheme: dark)").matches) ? "dark" : "light";
  const next = current === "dark" ? "light" : "dark";
  root.dataset.theme = next;
  document.cookie = `theme=${next}; path=/; max-age=31536000; SameSite=Lax`;
});
