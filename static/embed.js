// basketlink embed button. Load it with
//   <script src="https://YOUR-BASKETLINK/embed.js" defer></script>
// and mark each link: <a href="https://YOUR-BASKETLINK/b/ID" data-basketlink>.
// Without JavaScript the link is a plain link. With it, a desktop browser
// opens the basket in a popup; when it ends, the link (and the document)
// gets a "basketlink:result" event whose detail is
// {type, basket, status: "completed"|"cancelled"|"failed", outcome}.
// Phones, and browsers that block the popup, go there in the same tab and
// come back with ?basketlink_status=...&basketlink_basket=...
// The page's origin must be in the server's --embed-origins.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src) {
    return;
  }
  var app = new URL(me.src).origin;
  var popups = [];

  function narrow() {
    return window.matchMedia("(max-width: 640px)").matches ||
      /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
  }

  function basketOf(href) {
    var m = /\/b\/([A-Za-z0-9_-]+)\/?$/.exec(href.pathname);
    return m ? m[1] : null;
  }

  function onClick(ev) {
    var a = ev.currentTarget;
    var href = new URL(a.href, location.href);
    if (href.origin !== app || !basketOf(href) || ev.button !== 0 ||
        ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) {
      return; // not ours, or the reader asked for a new tab: a plain link
    }
    ev.preventDefault();
    if (!narrow()) {
      var p = new URL(href);
      p.searchParams.set("origin", location.origin);
      var w = window.open(p.toString(), "basketlink", "popup,width=520,height=760");
      if (w) {
        popups.push({ win: w, anchor: a, basket: basketOf(href) });
        return;
      }
    }
    var back = new URL(location.href);
    back.hash = "";
    back.searchParams.delete("basketlink_status");
    back.searchParams.delete("basketlink_basket");
    href.searchParams.set("return_to", back.toString());
    location.assign(href.toString());
  }

  window.addEventListener("message", function (ev) {
    if (ev.origin !== app) {
      return;
    }
    var d = ev.data;
    if (!d || d.type !== "basketlink:result" || typeof d.basket !== "string") {
      return;
    }
    var target = document;
    for (var i = 0; i < popups.length; i++) {
      if (popups[i].win === ev.source) {
        target = popups[i].anchor;
        popups.splice(i, 1);
        break;
      }
    }
    var detail = { type: d.type, basket: d.basket, status: d.status, outcome: d.outcome };
    target.dispatchEvent(new CustomEvent("basketlink:result", { bubbles: true, detail: detail }));
    if (ev.source && typeof ev.source.close === "function") {
      ev.source.close();
    }
  });

  function bindAll() {
    var links = document.querySelectorAll("a[data-basketlink]");
    for (var i = 0; i < links.length; i++) {
      if (!links[i].hasAttribute("data-basketlink-bound")) {
        links[i].setAttribute("data-basketlink-bound", "");
        links[i].addEventListener("click", onClick);
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
