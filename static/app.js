// basketlink's only script: copy buttons and select-on-focus for the link fields.
// Without JavaScript the page works as it is: the Copy buttons stay hidden (they
// would do nothing), the fields are readonly text to select by hand, and the
// builder's instrument has a button that shows the new instrument's fields.
document.documentElement.classList.add("js");

// Copy buttons: <button data-copy="ID" hidden> copies the value of the field with that id.
function showCopyButtons(root) {
  root.querySelectorAll("[data-copy][hidden]").forEach(function (b) { b.hidden = false; });
}
document.addEventListener("DOMContentLoaded", function () { showCopyButtons(document); });
document.addEventListener("htmx:afterSettle", function (ev) { showCopyButtons(ev.target); });

document.addEventListener("click", function (ev) {
  var btn = ev.target.closest("[data-copy]");
  if (!btn) return;
  var field = document.getElementById(btn.getAttribute("data-copy"));
  if (!field) return;
  var label = btn.getAttribute("data-label") || btn.textContent;
  btn.setAttribute("data-label", label);
  var say = function (text) {
    btn.textContent = text;
    setTimeout(function () { btn.textContent = label; }, 1500);
  };
  var fallback = function () {
    field.focus();
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) {}
    say(ok ? "Copied" : "Press Ctrl+C");
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(function () { say("Copied"); }, fallback);
  } else {
    fallback();
  }
});

// Read-only link fields select their whole text on focus, ready to copy.
// (Here rather than in an onfocus attribute: the Content-Security-Policy
// allows no inline script.)
document.addEventListener("focusin", function (ev) {
  var field = ev.target;
  if (field.matches && field.matches("input[data-select-on-focus]")) field.select();
});

// The share box's "Share…" button opens the device's share sheet, where the
// browser has one (navigator.share); elsewhere it stays hidden.
document.addEventListener("DOMContentLoaded", function () { showShareButton(document); });
document.addEventListener("htmx:afterSettle", function (ev) { showShareButton(ev.target); });
function showShareButton(root) {
  if (!navigator.share) return;
  root.querySelectorAll("[data-share-url][hidden]").forEach(function (b) { b.hidden = false; });
}
document.addEventListener("click", function (ev) {
  var btn = ev.target.closest("[data-share-url]");
  if (!btn || !navigator.share) return;
  navigator.share({
    title: btn.getAttribute("data-share-title") || undefined,
    text: btn.getAttribute("data-share-text"),
    url: btn.getAttribute("data-share-url")
  }).catch(function () { /* the reader closed the sheet */ });
});
