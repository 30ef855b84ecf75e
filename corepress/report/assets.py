"""The style sheet and the script every report carries inline (a report loads nothing).

The script only selects: a click on an article (or an ``#page-KEY-article-ID`` anchor)
shows that article's fields in the side panel, and ``#page-KEY-chars-START-END`` selects
those characters of the page's source text (the offsets of ``corepress parse`` output).
The source pane's text is the page's text character for character, so the offsets
count along its text nodes.
"""

from __future__ import annotations

import base64
import hashlib

PALETTE = 12
"""Article colours; the n-th article of a page (from 0) takes colour n mod PALETTE."""

_HUES = (210, 30, 120, 280, 0, 170, 55, 320, 90, 245, 15, 190)

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 color:#1d1d1f;background:#f6f6f3;display:grid;grid-template-columns:minmax(0,1fr) 26rem;grid-template-rows:auto 1fr;min-height:100vh}
body>header{grid-column:1/3;padding:.6rem 1.2rem;background:#24313f;color:#fff}
body>header h1{font-size:1.1rem;margin:0}
.legend{display:inline-flex;flex-wrap:wrap;gap:.4rem .9rem;font-size:.8rem;margin-top:.3rem;padding:.2rem .5rem;border-radius:4px;background:#fff;color:#1d1d1f}
.legend span{padding:0 .3rem;border-radius:3px}
main{padding:1rem 1.2rem;min-width:0}
nav.pages ol{margin:.2rem 0 1rem;padding-left:1.4rem}
section.page{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin-bottom:1.5rem}
section.page h2{font-size:1rem;margin:0 0 .3rem;word-break:break-all}
.meta{font-size:.85rem;color:#555;margin:.2rem 0}
.facts{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.8rem;margin:.2rem 0}
.facts b{font-weight:600;color:#444}
.notices{font-size:.8rem;color:#8a4b00;margin:.2rem 0;padding-left:1.2rem}
table.articles{border-collapse:collapse;font-size:.82rem;margin:.5rem 0 .8rem;width:100%}
table.articles th,table.articles td{border-bottom:1px solid #eee;padding:.15rem .4rem;text-align:left;vertical-align:top}
table.articles a{color:inherit}
.low{color:#b00020;font-weight:600}
.source{white-space:pre-wrap;word-break:break-all;font-size:16px;line-height:1.9;border-top:1px solid #ddd;padding-top:.6rem}
.article{cursor:pointer;border-radius:3px;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.article::before{content:attr(data-n);display:inline-block;min-width:1.4em;margin-right:.25em;padding:0 .25em;border-radius:.7em;
 background:#24313f;color:#fff;font:600 12px/1.5 sans-serif;text-align:center;vertical-align:.15em}
.article.selected{background-image:linear-gradient(rgba(36,49,63,.16),rgba(36,49,63,.16))}
.article.selected::before{background:#c2185b}
.stray{cursor:pointer;border-radius:3px}
.f-title{font-weight:700;font-size:1.12em}
.f-kicker,.f-subtitle{font-weight:600}
.f-column{font-weight:600;text-decoration:underline}
.f-byline{font-style:italic}
.f-markers{text-decoration:underline dotted}
.masthead{background:#4a5d72;color:#fff;font-weight:600}
.dropped{background:#e3e3e3 !important;color:#8a8a8a;text-decoration:line-through #b0b0b0}
.repair{outline:1px dashed #c2185b;background:rgba(255,64,129,.3)}
.repair.join::after{content:"⤶";color:#c2185b;font-size:.8em}
.repair.inserted::after{content:"‸";color:#c2185b}
.repair.removed{text-decoration:line-through #c2185b}
aside{position:sticky;top:0;align-self:start;height:100vh;overflow:auto;padding:1rem;border-left:1px solid #ddd;background:#fff}
aside h2{font-size:1rem;margin:0 0 .5rem}
.sheet h3{font-size:1rem;margin:.2rem 0 .6rem}
.sheet dl{display:grid;grid-template-columns:7.5rem 1fr;gap:.25rem .6rem;margin:0;font-size:.88rem}
.sheet dt{color:#666}
.sheet dd{margin:0;word-break:break-all}
.sheet ol{margin:0;padding-left:1.3rem}
.sheet li{margin-bottom:.35rem}
.sheet .role{font-size:.75rem;color:#666}
.none{color:#aaa}
"""

CSS += "".join(f".c{n}{{background:hsl({hue} 85% 88%)}}" for n, hue in enumerate(_HUES))

SCRIPT = """
(function () {
  "use strict";
  var chosen = null;
  function select(id) {
    var region = document.getElementById(id), sheet = document.getElementById("sheet-" + id);
    if (!region || !sheet) { return false; }
    if (chosen) {
      chosen[0].classList.remove("selected");
      chosen[1].hidden = true;
    }
    region.classList.add("selected");
    sheet.hidden = false;
    document.getElementById("panel-empty").hidden = true;
    chosen = [region, sheet];
    return true;
  }
  function selectChars(key, start, end) {
    var pane = document.getElementById("page-" + key + "-source");
    if (!pane || end < start) { return false; }
    var walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT), node, seen = 0, range = document.createRange();
    var begun = false;
    while ((node = walker.nextNode())) {
      var size = node.data.length;
      if (!begun && start <= seen + size) { range.setStart(node, start - seen); begun = true; }
      if (begun && end <= seen + size) {
        range.setEnd(node, end - seen);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        (node.parentElement || pane).scrollIntoView({block: "center"});
        return true;
      }
      seen += size;
    }
    return false;
  }
  function follow() {
    var target = decodeURIComponent(location.hash.slice(1));
    var chars = /^page-([0-9a-f]+)-chars-([0-9]+)-([0-9]+)$/.exec(target);
    if (chars) { return selectChars(chars[1], +chars[2], +chars[3]); }
    if (select(target)) { document.getElementById(target).scrollIntoView({block: "center"}); }
  }
  document.addEventListener("click", function (event) {
    var hit = event.target.closest("[data-article]");
    if (hit && select(hit.getAttribute("data-article"))) {
      history.replaceState(null, "", "#" + hit.getAttribute("data-article"));
    }
  });
  window.addEventListener("hashchange", follow);
  follow();
})();
"""


def script_hash() -> str:
    """The Content-Security-Policy source for :data:`SCRIPT`: the only script a report lets run."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy() -> str:
    """Nothing from the network, no script but the report's own, no inline event handler: an escaping
    mistake elsewhere still could not run a page's text as code."""
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src {script_hash()}; img-src data:"
