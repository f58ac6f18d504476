/* brandsite click-to-load embeds. Each <figure data-embed-src> is a local placeholder (title,
   provider, poster, a notice and a link to the provider's page) that loads nothing from the
   provider. This script adds a button; only a click on it creates the player's iframe, so the
   provider learns of the visit only once the visitor chose to play. Without JavaScript the link
   remains. Loaded with `defer` on pages that have embeds (page.has_embeds); no inline script. */
(function () {
  "use strict";

  function load(figure) {
    var iframe = document.createElement("iframe");
    iframe.src = figure.getAttribute("data-embed-src");
    iframe.title = figure.getAttribute("data-embed-title") || "";
    iframe.allow = figure.getAttribute("data-embed-allow") || "";
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.className = "embed__player";
    var height = figure.getAttribute("data-embed-height");
    if (height) iframe.height = height;
    var stage = figure.querySelector(".embed__stage");
    while (stage.firstChild) stage.removeChild(stage.firstChild);
    stage.appendChild(iframe);
    figure.classList.add("embed--loaded");
    iframe.focus();
  }

  function prepare(figure) {
    var actions = figure.querySelector(".embed__actions");
    if (!actions || actions.querySelector(".embed__button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button embed__button";
    button.textContent = figure.getAttribute("data-embed-label") || "Play";
    button.addEventListener("click", function () { load(figure); });
    actions.insertBefore(button, actions.firstChild);
  }

  var figures = document.querySelectorAll("figure[data-embed-src]");
  for (var i = 0; i < figures.length; i++) prepare(figures[i]);
})();
