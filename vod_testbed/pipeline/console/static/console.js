// The console's behaviour: live list, upload with progress, detail panel, player, report.
// Plain browser JavaScript, no build step. Fragments come rendered from the server.
(function () {
  "use strict";

  const POLL_MS = 1500;
  const FINAL = new Set(["ready", "failed"]);
  const $ = (selector) => document.querySelector(selector);
  const rows = $("#rows");
  let selected = null;
  let panelTimer = null;
  let reportTimer = null;
  let hls = null;

  // -- who is signed in --------------------------------------------------------------------
  // The bearer token lives in this tab's sessionStorage only. It arrives pasted into the
  // form, or once in the address's fragment (#token=...), which never reaches a server.
  // A link's token never replaces a signed-in user by someone else without asking: a page
  // could otherwise open /console#token=<its own token> and receive the user's uploads.
  const TOKEN_KEY = "vod-testbed.token";
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const auth = (headers = {}) => (token() ? { ...headers, Authorization: `Bearer ${token()}` } : headers);

  function subjectOf(value) {
    try {
      const payload = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(payload)).sub || "?";
    } catch (error) {
      return "?";
    }
  }
  const tokenSubject = () => subjectOf(token());

  let offeredToken = null;
  if (location.hash.startsWith("#token=")) {
    const offered = decodeURIComponent(location.hash.slice(7));
    history.replaceState(null, "", location.pathname);
    const current = token();
    if (!current || subjectOf(current) === subjectOf(offered)) {
      sessionStorage.setItem(TOKEN_KEY, offered);
    } else {
      offeredToken = offered;
    }
  }

  function askToSwitch() {
    const box = $("#switch-user");
    if (offeredToken === null) {
      box.hidden = true;
      return;
    }
    $("#switch-text").textContent =
      `This link signs in as ${subjectOf(offeredToken)}; you are signed in as ${tokenSubject()}.`;
    $("#switch-to").textContent = `Switch to ${subjectOf(offeredToken)}`;
    $("#switch-stay").textContent = `Stay ${tokenSubject()}`;
    box.hidden = false;
  }
  $("#switch-to").addEventListener("click", () => {
    sessionStorage.setItem(TOKEN_KEY, offeredToken);
    offeredToken = null;
    askToSwitch();
    showSignin();
    rows.innerHTML = "";
    delete rows.dataset.last;
    refreshRows(false);
  });
  $("#switch-stay").addEventListener("click", () => {
    offeredToken = null;
    askToSwitch();
  });

  function showSignin() {
    const signedIn = Boolean(token());
    $("#token").hidden = signedIn;
    $("#signin-button").hidden = signedIn;
    $("#signout").hidden = !signedIn;
    $("#whoami").textContent = signedIn ? `Signed in as ${tokenSubject()}` : "Not signed in";
  }

  $("#signin").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("#token").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("#token").value = "";
    showSignin();
    delete rows.dataset.last;
    refreshRows(false);
  });
  $("#signout").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignin();
    rows.innerHTML = "";
    delete rows.dataset.last;
  });

  async function fetchText(url) {
    const response = await fetch(url, { headers: auth({ Accept: "text/html" }) });
    if (response.status === 401) {
      $("#whoami").textContent = token() ? "Token refused: sign in again" : "Not signed in";
    }
    return { ok: response.ok, status: response.status, text: await response.text() };
  }

  // -- the list ---------------------------------------------------------------------------
  function markSelected() {
    rows.querySelectorAll(".video-row").forEach((row) => {
      row.classList.toggle("selected", row.dataset.id === selected);
    });
  }

  async function refreshRows(again = true) {
    try {
      if (!token()) return;
      const { ok, text } = await fetchText(rows.dataset.src);
      if (ok && text !== rows.dataset.last) {
        rows.dataset.last = text;
        rows.innerHTML = text;
        markSelected();
      }
    } finally {
      if (again) setTimeout(refreshRows, POLL_MS);
    }
  }

  rows.addEventListener("click", (event) => {
    const row = event.target.closest(".video-row");
    if (row) location.hash = row.dataset.id;
  });
  rows.addEventListener("keydown", (event) => {
    const row = event.target.closest(".video-row");
    if (row && event.key === "Enter") location.hash = row.dataset.id;
  });

  // -- upload -----------------------------------------------------------------------------
  const zone = $("#upload");
  const picker = $("#file");
  const bar = $("#upload-bar");
  const uploadStatus = zone.querySelector(".upload-status");

  function showUpload(name, message, percent) {
    zone.querySelector(".upload-progress").hidden = false;
    zone.querySelector(".upload-name").textContent = name;
    uploadStatus.textContent = message;
    if (percent !== undefined) bar.value = percent;
  }

  function put(ticket, file) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", ticket.upload_url);
      // Content-Length is set by the browser from the body, as the signature expects.
      xhr.setRequestHeader("Content-Type", ticket.upload_headers["Content-Type"]);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) {
          const percent = Math.round((e.loaded / e.total) * 100);
          showUpload(file.name, `Uploading… ${percent} %`, percent);
        }
      };
      xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`storage answered ${xhr.status}`)));
      xhr.onerror = () => reject(new Error("the upload could not reach the storage (network or CORS)"));
      xhr.send(file);
    });
  }

  async function upload(file) {
    showUpload(file.name, "Registering…", 0);
    try {
      const created = await fetch("/videos", {
        method: "POST",
        headers: auth({ "Content-Type": "application/json" }),
        body: JSON.stringify({
          filename: file.name,
          content_type: file.type || "video/mp4",
          size: file.size,
          course_id: $("#course").value || "console",
        }),
      });
      const ticket = await created.json();
      if (created.status !== 201) throw new Error(`${ticket.field || "request"}: ${ticket.error}`);
      await put(ticket, file);
      showUpload(file.name, "Uploaded. Processing starts shortly.", 100);
      location.hash = ticket.id;
    } catch (error) {
      showUpload(file.name, `Upload failed: ${error.message}`);
      zone.classList.add("failed");
    }
  }

  picker.addEventListener("change", () => picker.files[0] && upload(picker.files[0]));
  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => e.dataTransfer.files[0] && upload(e.dataTransfer.files[0]));

  // -- detail -----------------------------------------------------------------------------
  async function loadPanel(id) {
    clearTimeout(panelTimer);
    const { text } = await fetchText(`/console/videos/${encodeURIComponent(id)}/panel`);
    if (id !== selected) return;
    $("#panel").innerHTML = text;
    const card = $("#panel-card");
    const status = card ? card.dataset.status : null;
    if (status === "ready") {
      if (!hls && !$("#video").src) startPlayback(id);
      loadReport(id);
    } else if (!FINAL.has(status) && status) {
      panelTimer = setTimeout(() => loadPanel(id), POLL_MS);
    }
  }

  async function loadReport(id) {
    clearTimeout(reportTimer);
    $("#report-card").hidden = false;
    const { text } = await fetchText(`/console/videos/${encodeURIComponent(id)}/report`);
    if (id !== selected) return;
    $("#report").innerHTML = text;
    const box = $("#report .report");
    const busy = box && (["queued", "measuring"].includes(box.dataset.status) || box.dataset.quality === "pending");
    if (busy) reportTimer = setTimeout(() => loadReport(id), POLL_MS * 2);
  }

  function select(id) {
    selected = id || null;
    markSelected();
    stopPlayback();
    $("#report-card").hidden = true;
    $("#placeholder").hidden = Boolean(selected);
    $("#panel").innerHTML = "";
    if (selected) loadPanel(selected);
  }

  // -- player -----------------------------------------------------------------------------
  const video = $("#video");
  const rungSelect = $("#rung");
  const captionSelect = $("#captions");
  const nowPlaying = $("#now-playing");
  const playerError = $("#player-error");

  function fail(message) {
    playerError.hidden = false;
    playerError.textContent = `Playback failed: ${message}`;
    $("#player-card").classList.add("failed");
  }

  function stopPlayback() {
    clearTimeout(refreshTimer);
    if (hls) { hls.destroy(); hls = null; }
    video.removeAttribute("src");
    delete video.dataset.master;
    video.load();
    $("#player-card").hidden = true;
    $("#player-card").classList.remove("failed");
    playerError.hidden = true;
    nowPlaying.textContent = "-";
    rungSelect.length = 1;
    captionSelect.length = 1;
    $("#captions-label").hidden = true;
    $("#thumbs").innerHTML = "";
    showDownload(null);
  }

  // The video's MP4 (MP4_DOWNLOADS): a tokened link the API redirects to a short-lived
  // URL that saves the file; absent when the video has none.
  function showDownload(url) {
    const link = $("#download");
    link.hidden = !url;
    link.href = url || "#";
  }

  function showLevel(index) {
    const level = hls.levels[index];
    if (!level) return;
    if (!level.height) {
      // An audio-only variant (a recorded talk): no picture to size.
      nowPlaying.dataset.height = "0";
      nowPlaying.textContent = `Playing audio only · ${Math.round(level.bitrate / 1e3)} kb/s` +
        (hls.autoLevelEnabled ? " (auto)" : "");
      return;
    }
    const name = hls.levels.length > 1 ? `${level.height}p` : "single rung";
    nowPlaying.dataset.height = String(level.height);
    nowPlaying.textContent =
      `Playing ${name} · ${level.width}x${level.height} · ${(level.bitrate / 1e6).toFixed(2)} Mb/s` +
      (hls.autoLevelEnabled ? " (auto)" : "");
  }

  function showThumbnails(urls) {
    const strip = $("#thumbs");
    strip.innerHTML = "";
    urls.forEach((url, index) => {
      const img = document.createElement("img");
      img.src = url;
      img.alt = `Thumbnail at ${index * 10} s`;
      img.title = `${index * 10} s`;
      img.addEventListener("click", () => { video.currentTime = index * 10; });
      strip.appendChild(img);
    });
  }

  // The SUBTITLES renditions of the master (WebVTT captions), one option each; the
  // playlist's DEFAULT track is on from the start, as players show it.
  function showCaptionTracks() {
    captionSelect.length = 1;
    hls.subtitleTracks.forEach((track, index) => {
      const label = track.lang ? `${track.name} (${track.lang})` : track.name;
      captionSelect.add(new Option(label, String(index)));
    });
    $("#captions-label").hidden = hls.subtitleTracks.length === 0;
    captionSelect.value = String(hls.subtitleDisplay ? hls.subtitleTrack : -1);
  }

  // A playback grant lives PLAYBACK_URL_EXPIRES_S (docs/playback.md): a fresh one is
  // fetched a minute before it ends, or when a request is refused, and playback resumes
  // where it was.
  const MAX_REFRESHES = 3;
  let refreshes = 0;
  let refreshTimer = null;

  function scheduleRefresh(id, expiresIn) {
    clearTimeout(refreshTimer);
    const lead = Math.min(60, expiresIn / 4);
    refreshTimer = setTimeout(() => refreshPlayback(id), Math.max(1, expiresIn - lead) * 1000);
  }

  async function refreshPlayback(id) {
    if (id !== selected || !hls) return;
    const response = await fetch(`/videos/${encodeURIComponent(id)}`, { headers: auth() });
    if (id !== selected || !hls) return;
    const detail = await response.json();
    if (!response.ok || !detail.playback) return fail(detail.error || "playback is no longer allowed");
    showDownload(detail.playback.download_url);
    const at = video.currentTime;
    const playing = !video.paused;
    hls.loadSource(detail.playback.master_playlist_url);
    video.dataset.master = detail.playback.master_playlist_url; // storyboard.js: previews
    hls.once(window.Hls.Events.MANIFEST_PARSED, () => {
      video.currentTime = at;
      if (playing) video.play().catch(() => {});
    });
    // Counted again only once media plays: a grant whose playlists load but whose key
    // or segments keep answering 403 ends in an error, not in endless refreshes.
    hls.once(window.Hls.Events.FRAG_BUFFERED, () => { refreshes = 0; });
    scheduleRefresh(id, detail.playback.expires_in);
  }

  async function startPlayback(id) {
    refreshes = 0;
    $("#player-card").hidden = false;
    const response = await fetch(`/videos/${encodeURIComponent(id)}`, { headers: auth() });
    const detail = await response.json();
    if (id !== selected) return;
    if (!response.ok || !detail.playback) return fail(detail.error || "no playback URL");
    showThumbnails(detail.playback.thumbnail_urls || []);
    showDownload(detail.playback.download_url);
    const url = detail.playback.master_playlist_url;
    video.dataset.master = url; // storyboard.js: seek-bar previews from the trick-play tiles
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ maxBufferLength: 12 });
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => {
        hls.levels
          .map((level, index) => ({ level, index }))
          .sort((a, b) => b.level.height - a.level.height || b.level.bitrate - a.level.bitrate)
          .forEach(({ level, index }) => {
            const label = level.height
              ? `${level.height}p · ${(level.bitrate / 1e6).toFixed(1)} Mb/s`
              : `audio · ${Math.round(level.bitrate / 1e3)} kb/s`;
            rungSelect.add(new Option(label, String(index)));
          });
        video.play().catch(() => {});
      });
      hls.on(window.Hls.Events.LEVEL_SWITCHED, (_event, data) => showLevel(data.level));
      hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, () => showCaptionTracks());
      hls.on(window.Hls.Events.SUBTITLE_TRACK_SWITCH, () => {
        captionSelect.value = String(hls.subtitleDisplay ? hls.subtitleTrack : -1);
      });
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        // An expired grant: playlists and segments answer 403. Fetch a fresh one and go on.
        if (data.response && data.response.code === 403 && refreshes < MAX_REFRESHES) {
          refreshes += 1;
          refreshPlayback(id);
          return;
        }
        if (!data.fatal) return;
        const code = data.response && data.response.code ? ` (HTTP ${data.response.code})` : "";
        fail(`${data.details}${code}`);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      scheduleRefresh(id, detail.playback.expires_in);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url; // Safari plays HLS itself
      video.play().catch(() => {});
    } else {
      fail("hls.js is not installed (run make install) and this browser has no native HLS");
    }
  }

  rungSelect.addEventListener("change", () => {
    if (!hls) return;
    hls.currentLevel = Number(rungSelect.value); // -1: automatic
  });
  captionSelect.addEventListener("change", () => {
    if (!hls) return;
    const index = Number(captionSelect.value); // -1: off
    hls.subtitleDisplay = index >= 0;
    hls.subtitleTrack = index;
  });
  video.addEventListener("error", () => {
    if (!hls && video.error) fail(`the browser could not play it (code ${video.error.code})`);
  });

  window.addEventListener("hashchange", () => select(location.hash.slice(1)));
  showSignin();
  askToSwitch();
  select(location.hash.slice(1));
  refreshRows();
})();
