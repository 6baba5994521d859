package textgrid

import (
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	var b strings.Builder
	rows := [][]string{{"城市", "得分"}, {"沈阳市", "81.5"}, {"ab", "7"}}
	if err := Write(&b, rows, func(i int) bool { return i == 1 }); err != nil {
		t.Fatal(err)
	}
	want := "城市    得分\n沈阳市  81.5\nab         7\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if Width("沈阳市ab") != 8 || Width("ＡＢ") != 4 {
		t.Error("Width does not count wide characters as two")
	}
}
