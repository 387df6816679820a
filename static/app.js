// Copy buttons: <button data-copy="ID"> copies the value of the field with that id.
// Without JavaScript the field is still readonly text that can be selected by hand.
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
