package serve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium-based browser, or skips the test.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (apt-get install chromium): the page is not tested in a browser")
	return ""
}

// card is what the page shows for one file.
type card struct {
	Path    string   `json:"path"`
	Verdict string   `json:"verdict"`
	Label   string   `json:"label"`
	Class   string   `json:"cls"`
	Marks   []string `json:"marks"`
	Where   []string `json:"where"`
}

const readCards = `Array.from(document.querySelectorAll("#cards .card")).map(c => ({
	path: c.querySelector("h3").textContent,
	verdict: c.dataset.verdict,
	label: c.querySelector(".verdict").textContent,
	cls: c.className,
	marks: Array.from(c.querySelectorAll("mark")).map(m => m.textContent),
	where: Array.from(c.querySelectorAll(".where")).map(m => m.textContent),
}))`

// A real browser uploads a marked DOCX and a clean PDF through the page and
// sees one card each (and one for a broken file), in Chinese, with the hit highlighted, then masked.
// BAOMI_SCREENSHOT=FILE.png keeps a picture of the page.
func TestBrowserPage(t *testing.T) {
	exe := chromium(t)
	ts, dir, _ := testServer(t, Options{})
	files := t.TempDir()
	docx := filepath.Join(files, "关于加强网络安全管理的通知.docx")
	pdf := filepath.Join(files, "春季运动会.pdf")
	os.WriteFile(docx, markedDOCX(t, "机密★5年\n关于加强办公网络安全管理的通知\n各处室：为进一步加强网络安全管理，现将有关事项通知如下。"), 0o600)
	os.WriteFile(pdf, plainPDF("Notice of the spring sports meeting"), 0o600)
	broken := filepath.Join(files, "损坏的附件.docx")
	os.WriteFile(broken, []byte("PK\x03\x04 not a zip"), 0o600)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1100, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL),
		// By keyboard: the file chooser is a tab stop.
		chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"),
	)
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#pick"), []string{docx, pdf, broken}),
		chromedp.WaitVisible(chromedp.CSS("#cards .card:nth-child(3)")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]card](readCards))
	if err != nil {
		t.Fatal(err)
	}
	if title != "发布前保密检查" {
		t.Errorf("title %q: the page is not in Chinese", title)
	}
	if focused != "pick" {
		t.Errorf("second tab stop is %q, want the file chooser", focused)
	}
	want := []card{
		{Path: filepath.Base(docx), Verdict: "flagged", Label: "不可发布 · 2 处发现", Class: "card stop", Marks: []string{"机密★5年"}},
		{Path: filepath.Base(broken), Verdict: "error", Label: "无法读取", Class: "card fail"},
		{Path: filepath.Base(pdf), Verdict: "clean", Label: "可以发布", Class: "card ok"},
	}
	if len(cards) != 3 {
		t.Fatalf("cards %+v", cards)
	}
	for i, w := range want {
		c := cards[i]
		if c.Path != w.Path || c.Verdict != w.Verdict || !strings.HasPrefix(c.Label, strings.Split(w.Label, " · ")[0]) || c.Class != w.Class {
			t.Errorf("card %d: %+v, want %+v", i, c, w)
		}
		if len(w.Marks) > 0 && (len(c.Marks) == 0 || c.Marks[0] != w.Marks[0]) {
			t.Errorf("card %d highlights %q, want %q", i, c.Marks, w.Marks)
		}
	}
	if len(cards[0].Where) == 0 || !strings.Contains(cards[0].Where[0], "正文") || !strings.Contains(cards[0].Where[0], "第1行") {
		t.Errorf("where %q, want 正文 · 第1行", cards[0].Where)
	}
	if shot := os.Getenv("BAOMI_SCREENSHOT"); shot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(shot, png, 0o644)
	}

	// Masking scans the files again and hides the hit.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#mask")),
		chromedp.WaitVisible(chromedp.Search(`//mark[starts-with(text(), "机＊")]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if cards, err = chromedp.Run(ctx, chromedp.Evaluate[[]card](readCards)); err != nil {
		t.Fatal(err)
	}
	if len(cards) != 3 || len(cards[0].Marks) == 0 || cards[0].Marks[0] != "机＊＊＊＊" {
		t.Errorf("masked cards %+v", cards)
	}

	// The downloads hold the masked results: catch the blobs the buttons make
	// (decoded keeping the CSV's byte order mark, which Excel needs).
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.blobs = []; const make = URL.createObjectURL;
			URL.createObjectURL = b => { window.blobs.push(b); return make(b); }`),
		chromedp.Click(chromedp.CSS(`[data-download="html"]`)),
		chromedp.Click(chromedp.CSS(`[data-download="csv"]`)),
		chromedp.Click(chromedp.CSS(`[data-download="json"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Promise.all(window.blobs.map(b => b.arrayBuffer().then(
		a => new TextDecoder("utf-8", {ignoreBOM: true}).decode(a))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d downloads, want 3", len(got))
	}
	html, csv, js := got[0], got[1], got[2]
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "不可发布") || !strings.Contains(html, "--stop") {
		t.Errorf("HTML download: %.300s", html)
	}
	if !strings.HasPrefix(csv, "\uFEFFpath,format,verdict,reason,rule,title,severity,part,page,line,offset,inner,text,context,sha256\r\n") ||
		!strings.Contains(csv, "机＊＊＊＊") || !strings.Contains(csv, filepath.Base(pdf)+",pdf,clean,") {
		t.Errorf("CSV download:\n%s", csv)
	}
	if !strings.Contains(js, `"verdict": "flagged"`) || !strings.Contains(js, `"sha256"`) {
		t.Errorf("JSON download: %.300s", js)
	}
	for name, d := range map[string]string{"html": html, "csv": csv, "json": js} {
		if strings.Contains(d, "机密★5年") {
			t.Errorf("%s download shows the masked hit", name)
		}
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("uploads kept: %v", left)
	}
}
