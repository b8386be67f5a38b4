// CSRF token on every htmx request; a failed swap shows an inline error instead of a blank area.
document.addEventListener("htmx:configRequest", (e) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) e.detail.headers["X-CSRFToken"] = token.content;
});
document.addEventListener("htmx:responseError", (e) => {
  const target = e.detail.target;
  if (!target) return;
  const status = e.detail.xhr.status;
  const box = document.createElement("p");
  box.className = "field-error htmx-error";
  box.setAttribute("role", "alert");
  box.textContent = `Could not load this part of the page (HTTP ${status}). Try again, or reload the page.`;
  target.replaceChildren(box);
});
document.addEventListener("htmx:sendError", (e) => {
  const target = e.detail.target;
  if (target) target.replaceChildren(Object.assign(document.createElement("p"),
    {className: "field-error htmx-error", textContent: "ZAS did not answer. Check your connection and try again."}));
});
