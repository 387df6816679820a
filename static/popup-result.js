// The result page of a popup opened by an embedded button: hand the result
// to the page that opened it. The server writes #embed-result only when that
// page's origin is allowed, and names it: the message goes to no one else.
(function () {
  "use strict";
  var el = document.getElementById("embed-result");
  if (!el || !window.opener) {
    return;
  }
  var msg = {
    type: "basketlink:result",
    basket: el.getAttribute("data-basket"),
    status: el.getAttribute("data-status"),
    outcome: Number(el.getAttribute("data-outcome"))
  };
  try {
    window.opener.postMessage(msg, el.getAttribute("data-origin"));
  } catch (e) {
    // The opener went elsewhere: nothing to tell.
  }
})();
