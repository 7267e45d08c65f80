/* Story videos: the player (a third-party frame) loads only when the reader presses play. */
(function () {
  "use strict";
  function play(event) {
    var link = event.currentTarget;
    var src = link.getAttribute("data-embed-url");
    if (!src) { return; }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = link.getAttribute("data-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.loading = "lazy";
    link.parentNode.replaceChild(frame, link);
    frame.focus();
  }
  function init() {
    var links = document.querySelectorAll(".story-video__play[data-embed-url]");
    for (var i = 0; i < links.length; i++) {
      if (!links[i].hasAttribute("data-ready")) {
        links[i].setAttribute("data-ready", "");
        links[i].addEventListener("click", play);
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
