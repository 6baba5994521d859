// Package atomicfile writes a file whole or not at all: the bytes go to a
// temporary file in the target's folder (so the rename cannot cross file
// systems), which replaces the target by a rename at the end. On any
// error the temporary file is removed and the target is left as it was.
//
// It owns only the mechanics. The messages a user reads stay with the
// caller, which can tell from an *Error which step failed (creating the
// temporary file usually means the folder is missing or not writable;
// the rename, that the target is held open, e.g. by Excel on Windows).
// The error returned by the caller's write function is passed back as it
// is, never wrapped.
//
// It must not word messages for the user nor name commands or flags.
package atomicfile
