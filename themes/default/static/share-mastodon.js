/* brandsite's Mastodon share page (share/mastodon/?text=…). Every Mastodon server has its own
   share address, so the visitor types theirs; on submit, and only then, the browser goes to
   https://<server>/share?text=…, where they can still edit the post or cancel. Nothing is sent
   before, nothing is stored (no cookies, no localStorage). The text is shown as text, never as
   HTML. Without JavaScript the form stays hidden and the page's first paragraph says what to do
   by hand. Loaded with `defer` by the share page only; no inline script. Under Node (the tests)
   it exports serverOf and shareUrl instead of touching a page. */
(function () {
  "use strict";

  var LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  var TOP = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

  /* The host name in what the visitor typed, or "" when it holds none. Accepts a bare host
     (mastodon.social), an address (https://mastodon.social/@me) and a handle (@me@mastodon.social). */
  function serverOf(typed) {
    var value = String(typed).trim().replace(/^https?:\/\//i, "");
    value = value.split(/[/?#]/)[0];
    value = value.slice(value.lastIndexOf("@") + 1).replace(/\.$/, "");
    if (!value || /[\s:\\%]/.test(value)) return "";
    var host;
    try {
      host = new URL("https://" + value + "/").hostname; // international names become xn--…
    } catch (e) {
      return "";
    }
    var labels = host.split(".");
    if (host.length > 253 || labels.length < 2 || !TOP.test(labels[labels.length - 1])) return "";
    for (var i = 0; i < labels.length; i++) {
      if (!LABEL.test(labels[i])) return "";
    }
    return host;
  }

  /* The address of the server's own share dialogue with the text to post. */
  function shareUrl(server, text) {
    return "https://" + server + "/share?text=" + encodeURIComponent(text);
  }

  if (typeof module === "object" && module && module.exports) {
    module.exports = { serverOf: serverOf, shareUrl: shareUrl };
    return;
  }

  var form = document.querySelector("form[data-share-mastodon]");
  var manual = document.querySelector("[data-share-manual]");
  if (!form || !manual) return;
  var text = new URLSearchParams(window.location.search).get("text") || "";
  if (!text.trim()) {
    manual.textContent = manual.getAttribute("data-no-text") || "";
    return;
  }
  form.querySelector("[data-share-text]").textContent = text;
  var field = form.querySelector("input[name=server]");
  var message = form.querySelector(".share-mastodon__error");
  manual.hidden = true;
  form.hidden = false;
  field.addEventListener("input", function () {
    message.textContent = "";
    field.removeAttribute("aria-invalid");
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var server = serverOf(field.value);
    if (!server) {
      message.textContent = form.getAttribute("data-invalid") || "";
      field.setAttribute("aria-invalid", "true");
      field.focus();
      return;
    }
    window.location.assign(shareUrl(server, text));
  });
})();
