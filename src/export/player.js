// Strata: step-through player for recorded simulator runs. The recording
// (see src/export/recording.rs) is data only; this script folds its deltas
// into states once and draws the state of the current event. Everything is
// written with textContent, so nothing in a recording can become markup.
(function () {
  "use strict";

  var STATUS = {
    R: "running", r: "runnable", B: "blocked", S: "sleeping", D: "done"
  };
  var SPEEDS = [1, 2, 5, 10, 25, 60];
  var DEFAULT_SPEED = 5;

  function isObj(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  // Twin of `recording::apply` in Rust; copies only what changes, so all
  // states of a recording share most of their objects.
  function apply(prev, delta) {
    if (!isObj(delta)) { return prev; }
    var st = Object.assign({}, prev);
    Object.keys(delta).forEach(function (k) {
      var dv = delta[k];
      if (dv === null) { delete st[k]; return; }
      if (!(isObj(dv) && isObj(st[k]))) { st[k] = dv; return; }
      var sec = Object.assign({}, st[k]);
      Object.keys(dv).forEach(function (id) {
        var de = dv[id];
        if (de === null) { delete sec[id]; return; }
        if (!(isObj(de) && isObj(sec[id]))) { sec[id] = de; return; }
        var e = Object.assign({}, sec[id]);
        Object.keys(de).forEach(function (f) {
          if (de[f] === null) { delete e[f]; } else { e[f] = de[f]; }
        });
        sec[id] = e;
      });
      st[k] = sec;
    });
    return st;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // Icons drawn as SVG paths: media-control characters are missing from
  // many system fonts and would show as empty boxes.
  var ICONS = {
    first: "M3 3h2v10H3z M14 3v10L6 8z",
    back: "M12 3v10L4 8z",
    play: "M4 3v10l9-5z",
    pause: "M4 3h3v10H4z M9 3h3v10H9z",
    step: "M3 3v10l8-5z M11 3h2v10h-2z",
    last: "M2 3v10l8-5z M11 3h2v10h-2z"
  };
  var SVGNS = "http://www.w3.org/2000/svg";

  function icon(name) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVGNS, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function clear(e) {
    while (e.firstChild) { e.removeChild(e.firstChild); }
  }

  function num(n) {
    return Number(n).toLocaleString("en-US");
  }

  // A queue is a list of goroutine ids, or {ids, more} when it was capped.
  function queueText(q) {
    if (!q) { return ""; }
    var ids = Array.isArray(q) ? q : (q.ids || []);
    var s = ids.map(function (g) { return "g" + g; }).join(", ");
    if (!Array.isArray(q) && q.more) { s += " and " + num(q.more) + " more"; }
    return s;
  }

  function sortedIds(sec) {
    return Object.keys(sec || {}).sort(function (a, b) {
      var x = Number(a), y = Number(b);
      if (isNaN(x) || isNaN(y)) { return a < b ? -1 : a > b ? 1 : 0; }
      return x - y;
    });
  }

  function Player(root, index) {
    var dataEl = root.querySelector("script.sim-data");
    this.root = root;
    this.index = index;
    this.data = JSON.parse(dataEl.textContent);
    this.frames = this.data.frames || [];
    var states = [this.data.init || {}];
    for (var i = 0; i < this.frames.length; i++) {
      states.push(apply(states[i], this.frames[i][4]));
    }
    this.states = states;
    this.pos = 0;
    this.timer = null;
    this.speed = DEFAULT_SPEED;
    this.pinned = null;
    this.code = document.getElementById(root.getAttribute("data-code"));
    this.build();
    this.render();
  }

  Player.prototype.last = function () { return this.frames.length; };

  Player.prototype.build = function () {
    var self = this;
    var root = this.root;
    var label = "run " + (this.index + 1);
    var bar = el("div", "sim-controls");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Playback of " + label);
    function button(name, aria, act) {
      var b = el("button", "sim-btn");
      b.appendChild(icon(name));
      b.type = "button";
      b.setAttribute("aria-label", aria);
      b.title = aria;
      b.addEventListener("click", act);
      bar.appendChild(b);
      return b;
    }
    this.bFirst = button("first", "Back to the start", function () { self.stop(); self.seek(0); });
    this.bBack = button("back", "Step back", function () { self.stop(); self.seek(self.pos - 1); });
    this.bPlay = button("play", "Play", function () { self.toggle(); });
    this.bStep = button("step", "Step", function () { self.stop(); self.seek(self.pos + 1); });
    this.bLast = button("last", "Jump to the end", function () { self.stop(); self.seek(self.last()); });
    var scrub = el("input", "sim-scrub");
    scrub.type = "range";
    scrub.min = "0";
    scrub.max = String(this.last());
    scrub.step = "1";
    scrub.value = "0";
    scrub.setAttribute("aria-label", "Position in the recorded run");
    scrub.addEventListener("input", function () { self.stop(); self.seek(Number(scrub.value)); });
    bar.appendChild(scrub);
    this.scrub = scrub;
    var speedLabel = el("label", "sim-speed-label", "Speed ");
    var speed = el("select", "sim-speed");
    speed.setAttribute("aria-label", "Playback speed in events per second");
    SPEEDS.forEach(function (s) {
      var o = el("option", null, s + "/s");
      o.value = String(s);
      if (s === DEFAULT_SPEED) { o.selected = true; }
      speed.appendChild(o);
    });
    speed.addEventListener("change", function () {
      self.speed = Number(speed.value) || DEFAULT_SPEED;
      if (self.timer) { self.stop(); self.play(); }
    });
    speedLabel.appendChild(speed);
    bar.appendChild(speedLabel);
    this.posText = el("span", "sim-pos");
    bar.appendChild(this.posText);

    this.eventLine = el("div", "sim-event");
    this.eventLine.setAttribute("aria-live", "polite");

    var panels = el("div", "sim-panels");
    function panel(cls, title) {
      var p = el("div", "sim-panel " + cls);
      var h = el("div", "sim-panel-title", title);
      p.appendChild(h);
      var body = el("div", "sim-panel-body");
      p.appendChild(body);
      panels.appendChild(p);
      return { title: h, body: body };
    }
    this.pGs = panel("sim-gs", "Goroutines");
    this.pStack = panel("sim-stack", "Call stack");
    this.pObjs = panel("sim-objs", "Channels and sync");
    this.pOut = panel("sim-out", "Output");
    this.outPre = el("pre", "sim-out-text");
    this.outPre.setAttribute("aria-label", "Program output so far");
    this.pOut.body.appendChild(this.outPre);

    var head = root.querySelector(".sim-head");
    var after = head ? head.nextSibling : root.firstChild;
    root.insertBefore(bar, after);
    root.insertBefore(this.eventLine, after);
    root.insertBefore(panels, after);
    var stat = root.querySelector(".sim-static");
    if (stat) { stat.hidden = true; }
    this.report = root.querySelector(".sim-report");

    if (this.code) {
      this.overlay = el("div", "sim-lines");
      this.overlay.setAttribute("aria-hidden", "true");
      this.code.appendChild(this.overlay);
      var text = this.code.textContent || "";
      var lang = this.code.querySelector(".code-lang");
      if (lang) { text = text.slice(lang.textContent.length); }
      text = text.replace(/\n$/, "");
      this.lines = text.split("\n");
      this.lineCount = Math.max(1, this.lines.length);
      window.addEventListener("resize", function () { self.drawLines(); });
    }
    // Arrow keys step while any control of this player has focus (the
    // slider and the speed list keep their own arrow handling).
    root.addEventListener("keydown", function (ev) {
      var tag = ev.target && ev.target.tagName;
      if (tag === "INPUT" || tag === "SELECT" || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      var to = { ArrowLeft: self.pos - 1, ArrowRight: self.pos + 1, Home: 0, End: self.last() }[ev.key];
      if (to === undefined) { return; }
      ev.preventDefault();
      self.stop();
      self.seek(to);
    });
    root.classList.add("sim-live");
  };

  Player.prototype.seek = function (pos) {
    this.pos = Math.max(0, Math.min(this.last(), pos));
    this.render();
  };

  Player.prototype.play = function () {
    var self = this;
    if (this.pos >= this.last()) { this.seek(0); }
    clear(this.bPlay);
    this.bPlay.appendChild(icon("pause"));
    this.bPlay.setAttribute("aria-label", "Pause");
    this.bPlay.title = "Pause";
    // A screen reader should not read every event while playing.
    this.eventLine.setAttribute("aria-live", "off");
    this.timer = window.setInterval(function () {
      if (self.pos >= self.last()) { self.stop(); return; }
      self.seek(self.pos + 1);
    }, Math.max(15, Math.round(1000 / this.speed)));
  };

  Player.prototype.stop = function () {
    if (this.timer) { window.clearInterval(this.timer); }
    this.timer = null;
    clear(this.bPlay);
    this.bPlay.appendChild(icon("play"));
    this.bPlay.setAttribute("aria-label", "Play");
    this.bPlay.title = "Play";
    this.eventLine.setAttribute("aria-live", "polite");
  };

  Player.prototype.toggle = function () {
    if (this.timer) { this.stop(); } else { this.play(); }
  };

  // The goroutine whose event this is, or the running one.
  Player.prototype.current = function () {
    var st = this.states[this.pos];
    var fr = this.pos > 0 ? this.frames[this.pos - 1] : null;
    if (fr && fr[1] && st.g && st.g[fr[1]]) { return fr[1]; }
    if (st.r !== undefined) { return st.r; }
    return 1;
  };

  Player.prototype.render = function () {
    var st = this.states[this.pos];
    var fr = this.pos > 0 ? this.frames[this.pos - 1] : null;
    var total = this.data.events || 0;
    var at = fr ? fr[0] : 0;
    this.scrub.value = String(this.pos);
    this.scrub.setAttribute("aria-valuetext", "event " + at + " of " + total);
    this.posText.textContent = (at === 0 ? "start" : "event " + num(at) + " of " + num(total)) +
      " \u00B7 clock " + (st.t || "0s");
    this.bBack.disabled = this.pos === 0;
    this.bFirst.disabled = this.pos === 0;
    this.bStep.disabled = this.pos >= this.last();
    this.bLast.disabled = this.pos >= this.last();

    clear(this.eventLine);
    if (!fr) {
      this.eventLine.appendChild(el("span", "sim-ev-text", "Before the first event: main is about to start."));
    } else {
      var prevAt = this.pos > 1 ? this.frames[this.pos - 2][0] : 0;
      if (fr[0] - prevAt > 1) {
        this.eventLine.appendChild(el("span", "sim-skip",
          "\u2026 " + num(fr[0] - prevAt - 1) + " events skipped \u2026"));
      }
      var who = fr[1] ? "g" + fr[1] : "runtime";
      this.eventLine.appendChild(el("span", "sim-ev-who", who));
      if (fr[2]) { this.eventLine.appendChild(el("span", "sim-ev-line", "line " + fr[2])); }
      this.eventLine.appendChild(el("span", "sim-ev-text", fr[3]));
      // The code block may be scrolled out of view while the panels are
      // watched, so the line itself is quoted here too.
      var src = this.lines && fr[2] ? (this.lines[fr[2] - 1] || "").trim() : "";
      if (src) { this.eventLine.appendChild(el("code", "sim-ev-src", src)); }
    }

    var cur = this.current();
    var sel = this.pinned !== null && st.g && st.g[this.pinned] ? this.pinned : cur;
    this.drawGoroutines(st, cur, sel);
    this.drawStack(st, sel);
    this.drawObjects(st);
    this.drawOutput(st);
    this.drawLines();
    if (this.report) { this.report.hidden = this.pos !== this.last(); }
  };

  Player.prototype.drawGoroutines = function (st, cur, sel) {
    var self = this;
    var body = this.pGs.body;
    clear(body);
    var ids = sortedIds(st.g);
    var alive = st.a !== undefined ? st.a : ids.length;
    this.pGs.title.textContent = "Goroutines \u00B7 " + num(alive) + " alive";
    var ul = el("ul", "sim-glist");
    ids.forEach(function (id) {
      var g = st.g[id];
      var li = el("li");
      var b = el("button", "sim-g");
      b.type = "button";
      b.setAttribute("aria-pressed", Number(id) === sel ? "true" : "false");
      if (Number(id) === cur) { b.classList.add("cur"); }
      var dot = el("span", "sim-dot st-" + g.s);
      dot.setAttribute("aria-hidden", "true");
      b.appendChild(dot);
      var name = el("span", "sim-gname", "g" + id + " " + (g.f || ""));
      b.appendChild(name);
      var status = STATUS[g.s] || g.s;
      if (g.w) { status += ": " + g.w; }
      if (g.s !== "D" && g.l) { status += " \u00B7 line " + g.l; }
      b.appendChild(el("span", "sim-gstatus st-text-" + g.s, status));
      b.setAttribute("aria-label", "goroutine " + id + " " + (g.f || "") + ", " + status +
        ". Show its call stack");
      b.addEventListener("click", function () {
        self.pinned = self.pinned === Number(id) ? null : Number(id);
        self.render();
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    body.appendChild(ul);
    if (st.h && st.h.g) {
      body.appendChild(el("div", "sim-more", "+ " + num(st.h.g) + " more goroutines not shown"));
    }
  };

  Player.prototype.drawStack = function (st, sel) {
    var body = this.pStack.body;
    clear(body);
    var g = st.g ? st.g[sel] : null;
    this.pStack.title.textContent = "Call stack \u00B7 g" + sel +
      (this.pinned !== null ? " (pinned)" : "");
    if (!g) { body.appendChild(el("div", "muted", "not started yet")); return; }
    var meta = el("div", "sim-gmeta", (g.f || "goroutine") + (g.c ? " \u00B7 started at line " + g.c : ""));
    body.appendChild(meta);
    if (g.p !== undefined) { body.appendChild(el("div", "sim-panic", "panicking: " + g.p)); }
    if (g.q) { body.appendChild(el("div", "sim-wait", "waiting in: " + g.q.join(", "))); }
    var frames = g.fr || [];
    if (!frames.length) {
      body.appendChild(el("div", "muted", g.s === "D" ? "finished" : "no frames yet"));
      return;
    }
    // Top of the stack first, as a debugger shows it.
    for (var i = frames.length - 1; i >= 0; i--) {
      var f = frames[i];
      var box = el("div", "sim-frame" + (i === frames.length - 1 ? " top" : ""));
      var h = el("div", "sim-frame-head");
      h.appendChild(el("span", "sim-fn", f[0]));
      h.appendChild(el("span", "sim-fline", "line " + f[1]));
      box.appendChild(h);
      var defers = f[2] || [];
      if (defers.length) {
        var dl = el("ol", "sim-defers");
        dl.setAttribute("aria-label", "defer stack of " + f[0] + ", next to run first");
        for (var j = defers.length - 1; j >= 0; j--) {
          var d = defers[j];
          var card = el("li", "sim-defer");
          var call = d[2] ? d[0] + "()" : d[0] + "(" + (d[1] || []).join(", ") + ")";
          card.appendChild(el("span", "sim-defer-call", "defer " + call));
          card.appendChild(el("span", "sim-defer-note",
            (d[2] ? "closure: reads its variables when it runs" : "arguments frozen") +
            " \u00B7 line " + d[3] + (j === defers.length - 1 ? " \u00B7 runs next" : "")));
          dl.appendChild(card);
        }
        box.appendChild(dl);
      }
      body.appendChild(box);
    }
  };

  Player.prototype.drawObjects = function (st) {
    var body = this.pObjs.body;
    clear(body);
    var any = false;
    var hidden = st.h || {};
    function group(title, sec, line, hiddenCount) {
      var ids = sortedIds(sec);
      if (!ids.length) { return; }
      any = true;
      body.appendChild(el("div", "sim-group", title));
      var ul = el("ul", "sim-objlist");
      ids.forEach(function (id) { ul.appendChild(line(id, sec[id])); });
      body.appendChild(ul);
      if (hiddenCount) {
        body.appendChild(el("div", "sim-more", "+ " + num(hiddenCount) + " more not shown"));
      }
    }
    function item(main, detail, cls) {
      var li = el("li", cls || "");
      li.appendChild(el("span", "sim-obj", main));
      if (detail) { li.appendChild(el("span", "sim-obj-detail", detail)); }
      return li;
    }
    group("Channels", st.c, function (id, c) {
      var kind = "chan " + c.e + (c.k ? " (cap " + c.k + ")" : " (unbuffered)");
      var parts = [];
      if (c.k) {
        var buf = (c.b || []).join(", ");
        if (c.n > (c.b || []).length) { buf += ", \u2026"; }
        parts.push("buffer " + c.n + "/" + c.k + (c.n ? ": [" + buf + "]" : ""));
      }
      if (c.x) { parts.push("closed"); }
      if (c.s) { parts.push("senders waiting: " + queueText(c.s)); }
      if (c.v) { parts.push("receivers waiting: " + queueText(c.v)); }
      parts.push("made at line " + c.m);
      return item("ch" + id + " " + kind, parts.join(" \u00B7 "), c.x ? "closed" : "");
    }, hidden.c);
    group("WaitGroups", st.w, function (id, w) {
      var d = "counter " + w.n + (w.q ? " \u00B7 waiting: " + queueText(w.q) : "") + " \u00B7 line " + w.l;
      return item("wg" + id, d);
    }, hidden.w);
    group("Mutexes", st.m, function (id, m) {
      var parts = [];
      parts.push(m.h !== undefined ? "held by g" + m.h : "unlocked");
      if (m.rd) { parts.push("readers: " + queueText(m.rd)); }
      if (m.q) { parts.push("waiting: " + queueText(m.q)); }
      return item("mu" + id + " " + m.k, parts.join(" \u00B7 "));
    }, hidden.m);
    group("Contexts", st.x, function (id, x) {
      var parts = [];
      if (x.p !== undefined) { parts.push("parent ctx" + x.p); }
      if (x.d) { parts.push("deadline " + x.d); }
      parts.push(x.err ? "done: " + x.err : "not cancelled");
      return item("ctx" + id + " " + x.k, parts.join(" \u00B7 "), x.err ? "closed" : "");
    }, hidden.x);
    group("Open files", st.f, function (fd, f) {
      return item("fd " + fd + " " + f.n, "opened at line " + f.l + " by g" + f.g);
    }, hidden.f);
    group("Loop variables", st.v, function (k, v) {
      var d = (v.pi ? "one per iteration" : "one per loop") + " \u00B7 " + v.i +
        (v.i === 1 ? " variable" : " variables") + " so far \u00B7 for at line " + v.l;
      return item(v.n + " = " + v.v, d);
    }, 0);
    if (!any) { body.appendChild(el("div", "muted", "no channels, locks, contexts or files yet")); }
  };

  Player.prototype.drawOutput = function (st) {
    var pre = this.outPre;
    clear(pre);
    var out = (this.data.out || "").slice(0, st.o || 0);
    var err = (this.data.err || "").slice(0, st.e || 0);
    if (!out && !err) {
      pre.appendChild(el("span", "muted", "(nothing printed yet)"));
    }
    if (out) { pre.appendChild(document.createTextNode(out)); }
    if (err) { pre.appendChild(el("span", "err", err)); }
    if (this.pos === this.last() && this.data.outCut) {
      pre.appendChild(el("span", "muted", "\n(output cut: the recording keeps the first 64 KiB)"));
    }
    pre.scrollTop = pre.scrollHeight;
  };

  // Marks the current goroutine's line in the code block, and faintly the
  // lines where other live goroutines are.
  Player.prototype.drawLines = function () {
    if (!this.overlay) { return; }
    var pre = this.code.querySelector("pre");
    clear(this.overlay);
    if (!pre) { return; }
    var st = this.states[this.pos];
    var cs = window.getComputedStyle(pre);
    var padTop = parseFloat(cs.paddingTop) || 0;
    var padBottom = parseFloat(cs.paddingBottom) || 0;
    var border = parseFloat(cs.borderTopWidth) || 0;
    var lh = (pre.scrollHeight - padTop - padBottom) / this.lineCount;
    if (!(lh > 0)) { return; }
    var cur = this.current();
    var overlay = this.overlay;
    var lineCount = this.lineCount;
    var byLine = {};
    function mark(line, cls, label) {
      if (!line || line > lineCount) { return; }
      var key = line + cls;
      if (byLine[key]) {
        byLine[key].lastChild.textContent += " " + label;
        return;
      }
      var m = el("div", "sim-hl " + cls);
      m.style.top = (pre.offsetTop + border + padTop + (line - 1) * lh) + "px";
      m.style.height = lh + "px";
      m.appendChild(el("span", "sim-hl-label", label));
      overlay.appendChild(m);
      byLine[key] = m;
    }
    var others = 0;
    sortedIds(st.g).forEach(function (id) {
      var g = st.g[id];
      if (Number(id) === cur || g.s === "D" || others >= 12) { return; }
      others++;
      mark(g.l, "other st-line-" + g.s, "g" + id);
    });
    var g = st.g ? st.g[cur] : null;
    var fr = this.pos > 0 ? this.frames[this.pos - 1] : null;
    var line = g && g.s !== "D" ? g.l : (fr ? fr[2] : 0);
    if (this.pos > 0) { mark(line, "now", "g" + cur); }
  };

  function fromHash(players) {
    // `#sim-step=K` or `#sim-step=P:K` opens player P (from 1) at frame K;
    // `&noscroll` keeps the page where it is (headless screenshots).
    var m = /sim-step=(?:(\d+):)?(\d+)(&noscroll)?/.exec(window.location.hash || "");
    if (!m) { return; }
    var p = players[(m[1] ? Number(m[1]) : 1) - 1];
    if (!p) { return; }
    p.stop();
    p.seek(Number(m[2]));
    var r = p.root.getBoundingClientRect();
    if (!m[3] && (r.top < 0 || r.bottom > window.innerHeight)) { p.root.scrollIntoView(); }
  }

  function init() {
    var players = [];
    var roots = document.querySelectorAll("section.sim");
    for (var i = 0; i < roots.length; i++) {
      try {
        players.push(new Player(roots[i], i));
      } catch (e) {
        // A damaged recording leaves its static output and report in place;
        // the console says why (the browser check fails on it).
        roots[i].classList.add("sim-broken");
        window.console.error("Strata: recorded run " + (i + 1) + " cannot be played: " + e);
      }
    }
    fromHash(players);
    window.addEventListener("hashchange", function () { fromHash(players); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
