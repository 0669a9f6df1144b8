// The page of baomi serve: upload files, show one card per file, download
// the results. Everything shown from a file goes through textContent, never
// innerHTML: file names and document text are data.
"use strict";
(function () {
  const W = JSON.parse(document.getElementById("words").textContent);
  const PARTS = JSON.parse(document.getElementById("parts").textContent);
  const $ = (id) => document.getElementById(id);
  const CONTEXT_RUNES = 20; // characters of context before a hit (scanner/check.go)
  let token = "";
  let lastFiles = null; // kept only in this page, to scan again when masking changes
  let lastText = "";
  let lastReport = null;
  let css = "";
  fetch("static/app.css").then((r) => r.text()).then((t) => { css = t; }, () => {});

  const t = (key, n) => (W[key] || key).replace("{n}", String(n));

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- choosing files -----------------------------------------------------
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) scan(Array.from(e.dataTransfer.files));
  });
  $("pick").addEventListener("change", (e) => {
    const files = Array.from(e.target.files);
    e.target.value = "";
    if (files.length) scan(files);
  });
  $("mask").addEventListener("change", () => { if (lastFiles) scan(lastFiles); });
  $("token").addEventListener("change", (e) => {
    token = e.target.value.trim();
    if (lastFiles) scan(lastFiles);
  });
  document.querySelectorAll("[data-download]").forEach((b) =>
    b.addEventListener("click", () => download(b.dataset.download)));

  function status(text, bad) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("bad", !!bad);
  }

  // --- uploading ------------------------------------------------------------
  function scan(files) {
    lastFiles = files;
    const form = new FormData();
    for (const f of files) form.append("file", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "api/v1/scan" + ($("mask").checked ? "?mask=1" : ""));
    if (token) xhr.setRequestHeader("Authorization", "Bearer " + token);
    const bar = $("progress");
    bar.value = 0;
    $("progress-label").textContent = W.uploading;
    $("progress-box").hidden = false;
    status("");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server checks
      $("progress-label").textContent = W.scanning;
      status(W.scanning);
    });
    xhr.addEventListener("load", () => {
      $("progress-box").hidden = true;
      if (xhr.status === 200) {
        lastText = xhr.responseText;
        lastReport = JSON.parse(lastText);
        render(lastReport);
        status(t("done", lastReport.files.length));
        return;
      }
      if (xhr.status === 401) {
        $("token-box").hidden = false;
        $("token").focus();
      }
      let msg = String(xhr.status);
      try {
        const m = JSON.parse(xhr.responseText);
        msg = document.documentElement.lang === "en" ? m.en : m.zh;
      } catch (_) { /* not our JSON: keep the status code */ }
      status(W.failed + msg, true);
    });
    xhr.addEventListener("error", () => {
      $("progress-box").hidden = true;
      status(W.failed + "network", true);
    });
    xhr.send(form);
  }

  // --- showing results --------------------------------------------------------
  // kind is the plain answer for a file: stop (a high finding), check (a
  // medium or low finding, or review), fail (error), ok (clean), skip.
  function kind(f) {
    if (f.findings && f.findings.length) {
      return f.findings.some((x) => x.severity === "high") ? "stop" : "check";
    }
    return { review: "check", error: "fail", clean: "ok" }[f.verdict] || "skip";
  }
  const KIND_WORD = { stop: "high", check: "review", fail: "error", ok: "clean", skip: "skipped" };
  const RANK = { stop: 0, check: 1, fail: 2, ok: 3, skip: 4 };

  function render(report) {
    const cards = $("cards");
    cards.textContent = "";
    const files = report.files.slice().sort((a, b) => RANK[kind(a)] - RANK[kind(b)]);
    for (const f of files) cards.appendChild(card(f));
    $("results").hidden = false;
  }

  function card(f) {
    const k = kind(f);
    const c = el("article", "card " + k);
    c.dataset.verdict = f.verdict;
    c.appendChild(el("h3", "", f.path));
    c.appendChild(el("div", "verdict", W[KIND_WORD[k]]));
    const n = (f.findings || []).length;
    if (n) c.lastChild.textContent += " · " + t("findings", n);
    if (f.reason) c.appendChild(el("p", "reason", W.reason + f.reason));
    if (n) {
      const ul = el("ul", "findings");
      for (const x of f.findings) ul.appendChild(finding(x));
      c.appendChild(ul);
    } else if (f.verdict === "clean") {
      c.appendChild(el("p", "reason", W.nothing));
    }
    if (f.sha256) c.appendChild(el("div", "meta", "SHA-256 " + f.sha256));
    return c;
  }

  function finding(x) {
    const li = el("li");
    li.appendChild(el("span", "sev " + x.severity, W["sev." + x.severity] || x.severity));
    const rule = el("span", "rule", x.title || x.rule);
    rule.appendChild(el("code", "", x.rule));
    li.appendChild(rule);
    li.appendChild(el("div", "where", where(x.location)));
    li.appendChild(context(x.context, x.text));
    return li;
  }

  function where(l) {
    const parts = [PARTS[l.part] || (l.part === "picture" ? W.picture : l.part)];
    if (l.page) parts.push(t("page", l.page));
    if (l.line) parts.push(t("line", l.line));
    if (l.inner) parts.push(W.inner + " " + l.inner);
    return parts.join(" · ");
  }

  // context shows the hit highlighted. A context is up to CONTEXT_RUNES
  // characters, the hit, then more: the hit is the occurrence that starts
  // there, or else (the text began closer) the first one.
  function context(ctx, text) {
    const box = el("div", "context");
    const hit = text.replace(/\r\n|[\n\r\t]/g, " ");
    const chars = Array.from(ctx);
    const n = Array.from(hit).length;
    const starts = [];
    for (let i = 0; n && i + n <= chars.length && i <= CONTEXT_RUNES; i++) {
      if (chars.slice(i, i + n).join("") === hit) starts.push(i);
    }
    if (!starts.length) {
      box.textContent = ctx;
      return box;
    }
    const at = starts.includes(CONTEXT_RUNES) ? CONTEXT_RUNES : starts[0];
    box.append(chars.slice(0, at).join(""));
    box.appendChild(el("mark", "", hit));
    box.append(chars.slice(at + n).join(""));
    return box;
  }

  // --- downloads ----------------------------------------------------------
  function stamp() {
    return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  }

  function save(data, type, ext) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([data], { type: type }));
    a.download = "baomi-" + stamp() + "." + ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function download(kind) {
    if (!lastReport) return;
    if (kind === "json") save(lastText, "application/json", "json");
    if (kind === "csv") save(csv(lastReport), "text/csv;charset=utf-8", "csv");
    if (kind === "html") save(html(), "text/html;charset=utf-8", "html");
  }

  // csv has the columns of `baomi scan --format csv`, then sha256; cells
  // that a spreadsheet would run as a formula are quoted with '.
  function csv(report) {
    const cell = (v) => {
      let s = v === undefined || v === null ? "" : String(v);
      if (/^[=+\-@\t\r＝＋－＠]/.test(s)) s = "'" + s;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const rows = [["path", "format", "verdict", "reason", "rule", "title", "severity", "part", "page", "line", "offset", "inner", "text", "context", "sha256"]];
    for (const f of report.files) {
      const file = [f.path, f.format, f.verdict, f.reason];
      const fs = f.findings || [];
      if (!fs.length) rows.push(file.concat(["", "", "", "", "", "", "", "", "", "", f.sha256]));
      for (const x of fs) {
        const l = x.location;
        rows.push(file.concat([x.rule, x.title, x.severity, l.part, l.page, l.line, l.offset, l.inner, x.text, x.context, f.sha256]));
      }
    }
    return "\uFEFF" + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  }

  // html is the results as shown, in a page of their own.
  function html() {
    const body = $("results").cloneNode(true);
    body.querySelector(".downloads").remove();
    body.hidden = false;
    const lang = document.documentElement.lang;
    const title = document.querySelector("h1").textContent;
    return "<!DOCTYPE html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>" +
      title + "</title><style>" + css + "</style></head><body><main><h1>" + title + "</h1><p>" +
      new Date().toLocaleString() + "</p>" + body.outerHTML + "</main></body></html>";
  }
})();
