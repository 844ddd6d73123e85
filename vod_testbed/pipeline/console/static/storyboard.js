// Seek-bar previews: a scrub bar under the player whose hover shows the thumbnail of the
// time under the pointer, from the video's trick-play tiles. hls.js does not read image
// playlists, so playback serves them as a WebVTT storyboard (thumbs.vtt beside the master,
// same token); each cue names a tile and the thumbnail's place in it (#xywh=x,y,w,h).
// console.js tells this file which video plays by setting the player's data-master.
(function () {
  "use strict";

  const video = document.querySelector("#video");
  if (!video) return;

  const bar = document.createElement("div");
  bar.id = "scrub";
  bar.className = "scrub";
  bar.hidden = true;
  bar.setAttribute("role", "slider");
  bar.setAttribute("aria-label", "Seek");
  const fill = document.createElement("div");
  fill.className = "scrub-fill";
  const preview = document.createElement("div");
  preview.id = "scrub-preview";
  preview.className = "scrub-preview";
  preview.hidden = true;
  const label = document.createElement("span");
  label.className = "scrub-time";
  preview.appendChild(label);
  bar.append(fill, preview);
  video.insertAdjacentElement("afterend", bar);

  let cues = [];
  let loading = 0;

  function seconds(stamp) {
    const [h, m, s] = stamp.split(":");
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  }

  function parse(text) {
    const found = [];
    const blocks = text.replace(/\r/g, "").split("\n\n");
    for (const block of blocks) {
      const lines = block.split("\n").filter(Boolean);
      const at = lines.findIndex((line) => line.includes("-->"));
      if (at < 0 || !lines[at + 1]) continue;
      const [start, end] = lines[at].split("-->").map((part) => seconds(part.trim()));
      const [url, fragment] = lines[at + 1].split("#xywh=");
      const box = (fragment || "").split(",").map(Number);
      if (box.length !== 4 || box.some((n) => !Number.isFinite(n))) continue;
      found.push({ start, end, url, x: box[0], y: box[1], w: box[2], h: box[3] });
    }
    return found;
  }

  async function load(master) {
    const ticket = ++loading;
    cues = [];
    bar.hidden = true;
    bar.dataset.cues = "0";
    if (!master) return;
    const response = await fetch(master.replace(/master\.m3u8(?=\?|$)/, "thumbs.vtt"));
    if (ticket !== loading || !response.ok) return; // no trick play: no scrub bar
    cues = parse(await response.text());
    bar.dataset.cues = String(cues.length);
    bar.hidden = cues.length === 0;
  }

  function duration() {
    if (Number.isFinite(video.duration) && video.duration > 0) return video.duration;
    return cues.length ? cues[cues.length - 1].end : 0;
  }

  function timeAt(event) {
    const rect = bar.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    return { time: fraction * duration(), offset: fraction * rect.width };
  }

  function show(event) {
    const { time, offset } = timeAt(event);
    const cue = cues.find((c) => time >= c.start && time < c.end) || cues[cues.length - 1];
    if (!cue) return;
    preview.hidden = false;
    preview.style.width = `${cue.w}px`;
    preview.style.height = `${cue.h}px`;
    preview.style.backgroundImage = `url("${cue.url}")`;
    preview.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    const left = Math.min(Math.max(0, offset - cue.w / 2), bar.clientWidth - cue.w);
    preview.style.left = `${left}px`;
    preview.dataset.time = time.toFixed(2);
    preview.dataset.tile = cue.url.split("?")[0].split("/").pop();
    preview.dataset.xywh = `${cue.x},${cue.y},${cue.w},${cue.h}`;
    label.textContent = `${Math.floor(time / 60)}:${String(Math.floor(time % 60)).padStart(2, "0")}`;
  }

  bar.addEventListener("mousemove", show);
  bar.addEventListener("mouseleave", () => { preview.hidden = true; });
  bar.addEventListener("click", (event) => { video.currentTime = timeAt(event).time; });
  video.addEventListener("timeupdate", () => {
    const total = duration();
    fill.style.width = total ? `${(100 * video.currentTime) / total}%` : "0";
  });
  new MutationObserver(() => load(video.dataset.master)).observe(video, {
    attributes: true,
    attributeFilter: ["data-master"],
  });
})();
