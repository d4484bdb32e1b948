/* Picks the rendition: 360p on slow or data-saving connections (navigator.connection), 720p otherwise.
   Switching quality keeps the position and the playing state. No third-party request.
   A film whose download switch is off offers no way to save it. */
(function () {
  "use strict";
  var video = document.getElementById("film");
  if (!video) { return; }
  var sources = JSON.parse(video.getAttribute("data-sources") || "[]");
  if (!sources.length) { return; }
  var select = document.getElementById("quality");

  function slowConnection() {
    var c = navigator.connection || navigator.mozConnection || navigator.webkitConnection;
    if (!c) { return false; }
    if (c.saveData) { return true; }
    return ["slow-2g", "2g", "3g"].indexOf(c.effectiveType) !== -1;
  }

  function find(name) {
    for (var i = 0; i < sources.length; i++) { if (sources[i].name === name) { return sources[i]; } }
    return sources[0];
  }

  function use(name) {
    var source = find(name);
    var position = video.currentTime;
    var playing = !video.paused;
    video.src = source.url;
    video.dataset.rendition = source.name;
    if (select) { select.value = source.name; }
    if (position) {
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        video.currentTime = position;
        if (playing) { video.play(); }
      });
    }
  }

  use(slowConnection() ? "360p" : "720p");
  if (select) { select.addEventListener("change", function () { use(select.value); }); }

  // A film its rights holders keep from downloads: no "Save video as" menu (the download button is
  // already hidden by controlslist="nodownload").
  if (video.getAttribute("data-download") === "off") {
    video.addEventListener("contextmenu", function (event) { event.preventDefault(); });
  }

  // Space and k toggle playback when the video has focus, like common players.
  video.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "k") {
      event.preventDefault();
      if (video.paused) { video.play(); } else { video.pause(); }
    }
  });
})();
