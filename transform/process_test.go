package transform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// TestHelperProcess is not a test: the tests below run the test binary
// again as a second process (the os/exec helper-process pattern) to hold
// the warehouse or to be killed in the middle of a load.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("UFA_TRANSFORM_HELPER")
	if mode == "" {
		return
	}
	db, file := os.Getenv("UFA_HELPER_DB"), os.Getenv("UFA_HELPER_FILE")
	if mode == "hold-raw-read-only" {
		// An earlier ufa reading the warehouse: open as it is, not migrated.
		c, err := duckdb.NewConnector(db+"?access_mode=READ_ONLY", nil)
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
		defer c.Close()
		fmt.Println("OPEN")
		time.Sleep(time.Minute) // killed by the test long before
	}
	w, err := Open(context.Background(), db, Options{})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	switch mode {
	case "hold":
		fmt.Println("OPEN")
		time.Sleep(time.Minute) // killed by the test long before
	case "die-midway":
		if err := w.UseKey(context.Background(), testKey); err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
		w.afterSheet = func(sheet string) error {
			if sheet == spec.SheetParticipants {
				fmt.Println("MIDWAY")
				time.Sleep(time.Minute) // SIGKILL arrives here
			}
			return nil
		}
		if _, err := submitErr(w, file); err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
		fmt.Println("DONE")
	}
	os.Exit(0)
}

// startHelper runs the helper in mode and waits until it prints want.
func startHelper(t *testing.T, mode, db, file, want string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "UFA_TRANSFORM_HELPER="+mode, "UFA_HELPER_DB="+db, "UFA_HELPER_FILE="+file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == want {
			return cmd
		}
		t.Logf("helper: %s", sc.Text())
	}
	t.Fatalf("helper %s ended without printing %s", mode, want)
	return nil
}

// A second process opening the warehouse gets ErrLocked, and the file is
// fine afterwards.
func TestSecondProcessLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ufa.duckdb")
	w, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	cmd := startHelper(t, "hold", path, "", "OPEN")
	_, err = Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: got %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "数据库正被另一个 ufa 进程使用") {
		t.Errorf("message: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	w, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("after the holder ended: %v", err)
	}
	w.Close()
}

// A process killed in the middle of loading a resubmission (after four of
// its eight sheets were copied) leaves the city-month as it was: the
// earlier workbook current and complete, nothing of the new one. DuckDB
// writes a transaction to its WAL only at commit, and replays only
// committed transactions on the next open.
func TestKilledMidLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ufa.duckdb")
	w, _ := openTestAt(t, path)
	first := submit(t, w, writeBook(t, t.TempDir(), testbook.Valid(), testbook.FileName))
	before, history := counts(t, w), outcomes(t, w)
	w.Close()

	b := testbook.Valid()
	addOrg(b, city(t, testbook.City), 42)
	b.Set("封面", 0, "填报日期", "2026-11-06")
	next := writeBook(t, t.TempDir(), b, testbook.FileName)
	cmd := startHelper(t, "die-midway", path, next, "MIDWAY")
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup of any kind
		t.Fatal(err)
	}
	cmd.Wait()

	w, _ = openTestAt(t, path)
	if after := counts(t, w); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the killed load left traces:\n%v\n%v", before, after)
	}
	if got := outcomes(t, w); got != history {
		t.Errorf("history: %s, want %s", got, history)
	}
	// And the file still takes the resubmission.
	if l := submit(t, w, next); l.Outcome != Accepted || l.Replaced != first.ID {
		t.Errorf("after the kill: %+v", l)
	}
}
