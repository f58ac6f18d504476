/* brandsite preview: reload this tab when the site is rebuilt. Served only by `brandsite serve`;
   never part of a built site. The server injects <script src=… data-generation=…> into HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-generation") : null;
  var source = new EventSource("/__brandsite/events");
  var state = window.__brandsitePreview = { connected: false };  // for tests and the curious

  // A build that finished between this page's response and the stream opening is caught here.
  source.addEventListener("hello", function (event) {
    var info = JSON.parse(event.data);
    state.connected = true;
    if (shown && info.generation !== shown) {
      location.reload();
    }
  });

  source.addEventListener("error", function () { state.connected = false; });

  source.addEventListener("reload", function (event) {
    var info = JSON.parse(event.data);
    shown = info.generation;
    if (info.root && location.pathname.indexOf(info.root) !== 0) {
      location.href = info.root;  // the site moved to another sub-path (base_url changed)
    } else if (info.kind === "css" && swapStylesheets(info.stylesheets || [])) {
      return;
    } else {
      location.reload();
    }
  });

  // "assets/style.1a2b3c4d.css" and "assets/style.5e6f7a8b.css" are the same stylesheet.
  function unhashed(path) {
    return path.replace(/\.[0-9a-f]{8}(\.css)$/, "$1");
  }

  function swapStylesheets(urls) {
    var fresh = {};
    urls.forEach(function (url) { fresh[unhashed(url)] = url; });
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var swapped = 0;
    Array.prototype.forEach.call(links, function (link) {
      var current = new URL(link.href, location.href).pathname;
      var url = fresh[unhashed(current)];
      if (!url) { return; }
      swapped += 1;
      if (url === current) { return; }  // this one did not change
      // Load the new sheet beside the old one and drop the old one once it applies: no flash.
      var next = link.cloneNode();
      next.href = url;
      next.addEventListener("load", function () { link.remove(); });
      next.addEventListener("error", function () { location.reload(); });
      link.after(next);
    });
    return swapped > 0;
  }
})();
