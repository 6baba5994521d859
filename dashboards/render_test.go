package dashboards

import (
	"context"
	"os"
	"testing"
)

func TestRenderFake(t *testing.T) {
	d := fakeData(t)
	dir := os.Getenv("UFA_DASH_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	res, err := RenderData(context.Background(), d, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Index, len(res.Pages))
}
