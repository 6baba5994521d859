// The page: load the validator (gzip-compressed WebAssembly kept in the
// page itself), take workbooks from a drop or the file picker, show each
// one's findings as `ufa validate` prints them, offer the annotated copy
// and the blank template as downloads. Every text from a workbook goes in
// through textContent, never as HTML.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const setState = (s) => { document.documentElement.dataset.state = s; };
  const status = (text, bad) => { const s = $("status"); s.textContent = text; s.className = bad ? "bad" : ""; };
  // ufaResults holds, per validated file, what the page showed: for
  // automation (the browser test reads it) as much as for debugging.
  const results = (globalThis.ufaResults = []);
  let queue = Promise.resolve();

  const base64 = (s) => {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(s);
    const bin = atob(s), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };

  // The module is compiled once; an instance that dies (Go exits when a
  // workbook needs more memory than a browser gives WebAssembly) is
  // replaced by a fresh one, so one workbook cannot stop the page.
  let module = null, dead = null;
  const EXITED = "ufa-exited";
  const start = async () => {
    const go = new Go();
    const ready = new Promise((resolve) => { globalThis.ufaReady = resolve; });
    const instance = await WebAssembly.instantiate(module, go.importObject);
    dead = go.run(instance).then(() => { throw new Error(EXITED); });
    dead.catch(() => {});
    await Promise.race([ready, dead]);
  };
  const callGo = (f) => Promise.race([f(), dead]);
  const died = (e) => e && e.message === EXITED || !!(e && /exports|already exited/.test(e.message));

  const load = async () => {
    const gz = base64($("ufa-wasm").textContent.trim());
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    module = await WebAssembly.compile(await new Response(stream).arrayBuffer());
    await start();
  };

  const download = (bytes, name) => {
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    const a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };

  // place is where a finding is, as the text report writes it.
  const place = (f) => {
    if (!f.sheet) return "整个文件";
    if (f.row && f.column) return f.sheet + "!" + f.column + f.row;
    if (f.row) return f.sheet + "!第" + f.row + "行";
    if (f.column) return f.sheet + "!" + f.column + "列";
    return f.sheet;
  };
  const cut = (s, max) => { const a = Array.from(s); return a.length > max ? a.slice(0, max).join("") + "…" : s; };

  const show = (name, r, copy) => {
    const j = JSON.parse(r.json);
    const box = el("section", "file " + (j.errors ? "reject" : "accept"));
    box.appendChild(el("h2", "", name));
    box.appendChild(el("p", "facts", "填报单位：" + (j.city || "未能识别") + "　报送月份：" + (j.month || "未能识别")));
    box.appendChild(el("p", "verdict", r.verdict));
    const acts = el("p", "acts");
    if (copy) {
      const b = el("button", "copy", "下载标注副本（" + r.copy + "）");
      b.addEventListener("click", () => download(copy, r.copy));
      acts.appendChild(b);
      acts.appendChild(el("span", "hint", "副本中有问题的单元格标红（错误）或标黄（警告）并加批注，首页“校验结果”列出全部问题；原文件不会被改动。"));
    }
    if (r.note) acts.appendChild(el("span", "hint", r.note));
    box.appendChild(acts);
    if (j.findings.length === 0) box.appendChild(el("p", "none", "未发现问题。"));
    // Grouped by sheet in the order of the JSON (the spec's sheet order),
    // errors before warnings inside each group.
    const groups = [];
    j.findings.forEach((f, i) => {
      const key = f.sheet || "";
      let g = groups.length && groups[groups.length - 1].key === key ? groups[groups.length - 1] : null;
      if (!g) { g = { key, items: [] }; groups.push(g); }
      g.items.push({ f, field: r.fields[i] || "" });
    });
    for (const g of groups) {
      const errs = g.items.filter((x) => x.f.severity === "error"), warns = g.items.filter((x) => x.f.severity !== "error");
      box.appendChild(el("h3", "", "【" + (g.key || "整个文件") + "】" + g.items.length + " 条（错误 " + errs.length + "，警告 " + warns.length + "）"));
      const t = el("table");
      const head = el("tr");
      for (const h of ["", "代码", "位置", "字段", "值", "说明"]) head.appendChild(el("th", "", h));
      t.appendChild(head);
      for (const { f, field } of errs.concat(warns)) {
        const tr = el("tr", f.severity);
        tr.appendChild(el("td", "sev", f.severity === "error" ? "错误" : "警告"));
        tr.appendChild(el("td", "code", f.code));
        tr.appendChild(el("td", "", place(f)));
        tr.appendChild(el("td", "", field));
        tr.appendChild(el("td", "", f.value ? "“" + cut(f.value, 60) + "”" : ""));
        tr.appendChild(el("td", "", f.message));
        t.appendChild(tr);
      }
      box.appendChild(t);
    }
    $("results").appendChild(box);
  };

  const validateOne = async (file) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    memfs.put(file.name, bytes);
    try {
      let r;
      try {
        r = await callGo(() => ufa.validate(file.name, true));
      } catch (e) {
        if (!died(e)) throw e;
        // Again without the annotated copy, in a fresh instance: the
        // findings do not depend on it.
        memfs.clear();
        memfs.put(file.name, bytes);
        await start();
        r = await callGo(() => ufa.validate(file.name, false));
        r.note = "该工作簿的标注副本无法在浏览器中生成（所需内存超出浏览器的限制），校验结果不受影响；可在电脑上把工作簿拖到 ufa-validator 程序图标上生成标注副本。";
      }
      const copy = r.copy ? memfs.take(r.copy) : null;
      results.push({ name: file.name, json: r.json, verdict: r.verdict, copyName: r.copy, copy, note: r.note });
      show(file.name, r, copy);
    } catch (e) {
      results.push({ name: file.name, error: String(e && e.message || e) });
      const box = el("section", "file reject");
      box.appendChild(el("h2", "", file.name));
      box.appendChild(el("p", "verdict", "无法校验该文件：" + (e && e.message || e)));
      $("results").appendChild(box);
    } finally {
      memfs.clear();
    }
  };

  const take = (list) => {
    const files = Array.from(list || []);
    if (!files.length) return;
    queue = queue.then(async () => {
      setState("busy");
      $("results").textContent = "";
      results.length = 0;
      for (let i = 0; i < files.length; i++) {
        status("正在校验 " + files[i].name + "（" + (i + 1) + "/" + files.length + "）……");
        await validateOne(files[i]);
      }
      const bad = results.filter((r) => r.error || JSON.parse(r.json).errors > 0).length;
      status(files.length > 1 ? "共 " + files.length + " 个文件：" + (files.length - bad) + " 个可以上报，" + bad + " 个不能上报。" : "校验完成。", bad > 0);
      setState("done");
    });
  };

  const drop = $("drop");
  ["dragenter", "dragover"].forEach((t) => document.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => document.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  document.addEventListener("drop", (e) => take(e.dataTransfer && e.dataTransfer.files));
  $("pick").addEventListener("change", (e) => { take(e.target.files); e.target.value = ""; });
  $("template").addEventListener("click", async () => download(await callGo(() => ufa.template()), "报送模板.xlsx"));

  setState("loading");
  status("正在载入校验程序……");
  load().then(() => {
    $("version").textContent = "版本 " + ufa.version;
    document.body.classList.add("ready");
    status("就绪：请拖入或选择工作簿。");
    setState("ready");
  }, (e) => {
    status("校验程序无法载入：" + (e && e.message || e) + "。请用较新版本的 Chrome、Edge、Firefox 或国产浏览器（极速模式）打开本文件。", true);
    setState("failed");
  });
})();
