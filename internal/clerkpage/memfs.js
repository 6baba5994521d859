// An in-memory file system in the shape of Node's fs, which Go's
// WebAssembly port calls for every file operation. The page stores each
// workbook here under its own name; Go reads it and writes the annotated
// copy beside it with the same os calls as on a PC. Nothing here touches
// the network or the disk. Defined before wasm_exec.js, which then keeps it.
(() => {
  "use strict";
  const C = { O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024, O_DIRECTORY: 65536 };
  const S_IFDIR = 0o40000, S_IFREG = 0o100000;
  const files = new Map(); // path -> {data, size, ino, mtime}
  const dirs = new Map([["/", 1], ["/tmp", 2]]); // path -> ino
  const fds = new Map();
  let nextFd = 10, nextIno = 10;
  const fail = (code) => { const e = new Error(code); e.code = code; return e; };
  const norm = (p) => {
    const out = [];
    for (const s of String(p).split("/")) {
      if (s === "" || s === ".") continue;
      if (s === "..") out.pop(); else out.push(s);
    }
    return "/" + out.join("/");
  };
  const parent = (p) => p.slice(0, p.lastIndexOf("/")) || "/";
  const statOf = (node, ino) => {
    const dir = !node, size = dir ? 0 : node.size, t = dir ? 0 : node.mtime;
    return {
      dev: 1, ino: dir ? ino : node.ino, mode: dir ? S_IFDIR | 0o755 : S_IFREG | 0o644, nlink: 1, uid: 0, gid: 0, rdev: 0,
      size, blksize: 4096, blocks: Math.ceil(size / 512), atimeMs: t, mtimeMs: t, ctimeMs: t,
      isDirectory() { return dir; },
    };
  };
  const grow = (node, end) => {
    if (end > node.data.length) {
      const d = new Uint8Array(Math.max(end, node.data.length * 2, 65536));
      d.set(node.data.subarray(0, node.size));
      node.data = d;
    }
  };
  const resize = (node, len) => {
    if (len < node.size) node.data.fill(0, len, node.size); else grow(node, len);
    node.size = len;
  };
  const pathStat = (path) => {
    const p = norm(path);
    if (dirs.has(p)) return statOf(null, dirs.get(p));
    const n = files.get(p);
    if (!n) throw fail("ENOENT");
    return statOf(n);
  };
  const wrap = (f) => (...args) => {
    const cb = args.pop();
    let r;
    try { r = f(...args); } catch (e) { if (!e.code) throw e; cb(e); return; }
    cb(null, r);
  };
  const decoder = new TextDecoder("utf-8");
  let outputBuf = "";
  globalThis.fs = {
    constants: C,
    writeSync(fd, buf) {
      outputBuf += decoder.decode(buf);
      const nl = outputBuf.lastIndexOf("\n");
      if (nl != -1) { console.log(outputBuf.substring(0, nl)); outputBuf = outputBuf.substring(nl + 1); }
      return buf.length;
    },
    open: wrap((path, flags, mode) => {
      const p = norm(path);
      if (dirs.has(p)) {
        if (flags & (C.O_WRONLY | C.O_RDWR)) throw fail("EISDIR");
        fds.set(nextFd, { dir: p, pos: 0 });
        return nextFd++;
      }
      if (flags & C.O_DIRECTORY) throw fail("ENOTDIR");
      let n = files.get(p);
      if (!n) {
        if (!(flags & C.O_CREAT)) throw fail("ENOENT");
        if (!dirs.has(parent(p))) throw fail("ENOENT");
        n = { data: new Uint8Array(0), size: 0, ino: nextIno++, mtime: Date.now() };
        files.set(p, n);
      } else if ((flags & C.O_CREAT) && (flags & C.O_EXCL)) {
        throw fail("EEXIST");
      }
      if (flags & C.O_TRUNC) resize(n, 0);
      fds.set(nextFd, { node: n, pos: 0, append: !!(flags & C.O_APPEND) });
      return nextFd++;
    }),
    close: wrap((fd) => { if (!fds.delete(fd)) throw fail("EBADF"); }),
    fstat: wrap((fd) => {
      const f = fds.get(fd);
      if (!f) throw fail("EBADF");
      return f.dir ? statOf(null, dirs.get(f.dir)) : statOf(f.node);
    }),
    stat: wrap(pathStat),
    lstat: wrap(pathStat),
    read: wrap((fd, buffer, offset, length, position) => {
      const f = fds.get(fd);
      if (!f) throw fail("EBADF");
      if (f.dir) throw fail("EISDIR");
      const pos = position === null || position === undefined ? f.pos : position;
      const n = Math.max(0, Math.min(length, f.node.size - pos));
      buffer.set(f.node.data.subarray(pos, pos + n), offset);
      if (position === null || position === undefined) f.pos += n;
      return n;
    }),
    write: wrap((fd, buffer, offset, length, position) => {
      if (fd === 1 || fd === 2) return globalThis.fs.writeSync(fd, buffer.subarray(offset, offset + length));
      const f = fds.get(fd);
      if (!f) throw fail("EBADF");
      if (f.dir) throw fail("EISDIR");
      const n = f.node;
      let pos = position === null || position === undefined ? (f.append ? n.size : f.pos) : position;
      grow(n, pos + length);
      n.data.set(buffer.subarray(offset, offset + length), pos);
      n.size = Math.max(n.size, pos + length);
      n.mtime = Date.now();
      if (position === null || position === undefined) f.pos = pos + length;
      return length;
    }),
    rename: wrap((from, to) => {
      const a = norm(from), b = norm(to);
      const n = files.get(a);
      if (!n) throw fail(dirs.has(a) ? "EPERM" : "ENOENT");
      if (!dirs.has(parent(b))) throw fail("ENOENT");
      if (dirs.has(b)) throw fail("EISDIR");
      files.delete(a);
      files.set(b, n);
    }),
    unlink: wrap((path) => {
      const p = norm(path);
      if (dirs.has(p)) throw fail("EISDIR");
      if (!files.delete(p)) throw fail("ENOENT");
    }),
    mkdir: wrap((path) => {
      const p = norm(path);
      if (dirs.has(p) || files.has(p)) throw fail("EEXIST");
      if (!dirs.has(parent(p))) throw fail("ENOENT");
      dirs.set(p, nextIno++);
    }),
    rmdir: wrap((path) => {
      const p = norm(path);
      if (!dirs.has(p)) throw fail("ENOENT");
      for (const k of [...files.keys(), ...dirs.keys()]) if (k !== p && parent(k) === p) throw fail("ENOTEMPTY");
      dirs.delete(p);
    }),
    readdir: wrap((path) => {
      const p = norm(path);
      if (!dirs.has(p)) throw fail("ENOENT");
      return [...files.keys(), ...dirs.keys()].filter((k) => k !== p && parent(k) === p).map((k) => k.slice(k.lastIndexOf("/") + 1)).sort();
    }),
    ftruncate: wrap((fd, len) => {
      const f = fds.get(fd);
      if (!f || f.dir) throw fail("EBADF");
      resize(f.node, len);
    }),
    truncate: wrap((path, len) => {
      const n = files.get(norm(path));
      if (!n) throw fail("ENOENT");
      resize(n, len);
    }),
    fsync: wrap(() => {}),
    chmod: wrap(() => {}), fchmod: wrap(() => {}), chown: wrap(() => {}), fchown: wrap(() => {}), lchown: wrap(() => {}),
    utimes: wrap(() => {}),
    link: wrap(() => { throw fail("ENOSYS"); }), symlink: wrap(() => { throw fail("ENOSYS"); }), readlink: wrap(() => { throw fail("ENOSYS"); }),
  };
  // What the page itself uses.
  globalThis.memfs = {
    put(name, bytes) { const p = norm(name); files.set(p, { data: bytes, size: bytes.length, ino: nextIno++, mtime: Date.now() }); },
    take(name) {
      const p = norm(name), n = files.get(p);
      if (!n) return null;
      files.delete(p);
      return n.data.slice(0, n.size);
    },
    clear() { files.clear(); for (const k of [...dirs.keys()]) if (k !== "/" && k !== "/tmp") dirs.delete(k); },
  };
  globalThis.process = {
    getuid() { return -1; }, getgid() { return -1; }, geteuid() { return -1; }, getegid() { return -1; },
    getgroups() { return []; }, pid: -1, ppid: -1,
    umask() { return 0o22; }, cwd() { return "/"; }, chdir() { throw fail("ENOSYS"); },
  };
})();
