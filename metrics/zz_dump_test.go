package metrics

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	s := fmt.Sprintf("%#v\n%s\n%s\n", Definitions(), definitionsHash(), tempObjects())
	os.WriteFile(os.Getenv("DUMP"), []byte(s), 0o644)
}
