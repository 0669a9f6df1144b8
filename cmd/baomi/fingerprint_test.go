package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baomi fingerprint build and baomi policy hash make files that reveal
// nothing of what they find; scan then finds a registered document's
// passages and the hashed terms, with the document's own text in the
// finding and the label in reports only, never in logs.
func TestFingerprintAndHashedTermsCLI(t *testing.T) {
	dir := t.TempDir()
	secret := "关于某型装备试验数据管理的通知。为进一步规范试验数据的采集、存储和使用，防止数据外泄，经研究决定，自即日起对所有试验数据实行分级管理，核心数据只在专用计算机上处理，不得复制到个人设备。" +
		"\n数据存储设备一律登记造册，严禁接入互联网，各单位要指定专人负责数据的日常管理工作，定期开展检查，发现问题及时整改并上报。"
	formula := "各有关单位：现将有关事项通知如下，请结合本地区本部门实际认真贯彻执行。执行中遇到的问题请及时报告。特此通知。"
	paras := strings.Split(secret, "\n")
	files := map[string]string{
		"registered.txt": formula + "\n" + secret,
		"reference.txt":  "关于开展安全检查的通知\n" + formula,
		"copy.txt":       "今天召开了工作会议，会议讨论了下一阶段的工作安排。\n" + strings.ReplaceAll(paras[1], "，", " , ") + "\n会议还听取了各部门关于上半年工作情况的汇报，并对下半年的重点任务进行了认真细致的讨论和部署。\n" + paras[0],
		"formula.txt":    "关于召开运动会的通知\n" + formula,
		"codes.txt":      "本季度重点推进天河工程的验收工作。",
		"terms.txt":      "# code names\n天河工程\n北斗七号\n",
		"terms.key":      "a-secret-key-of-32-bytes-000000000\n",
		"policy.yaml": "version: 1\nrules:\n" +
			"  - {id: fp.registered, title: registered document, severity: high, detector: fingerprint, index: registered.index, min_chars: 50}\n" +
			"  - {id: codes, title: code names, severity: high, terms_hashed: terms.hashed, key_file: terms.key}\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	if out, stderr, code := runBaomi(t, "fingerprint", "build", "--in-process", "-o", p("registered.index"), "--label", "某型装备通知", "--reference", p("reference.txt"), p("registered.txt")); code != 0 || !strings.Contains(out, "1 documents registered") {
		t.Fatalf("fingerprint build: exit %d: %s %s", code, out, stderr)
	}
	if out, stderr, code := runBaomi(t, "policy", "hash", "--key-file", p("terms.key"), "-o", p("terms.hashed"), p("terms.txt")); code != 0 {
		t.Fatalf("policy hash: exit %d: %s %s", code, out, stderr)
	}
	for _, name := range []string{"registered.index", "terms.hashed", "policy.yaml"} {
		data, _ := os.ReadFile(p(name))
		for _, s := range []string{"试验数据", "天河", "北斗", "各有关单位"} {
			if strings.Contains(string(data), s) {
				t.Errorf("%s holds %q", name, s)
			}
		}
	}
	out, stderr, code := runBaomi(t, "scan", "--in-process", "--log-level", "debug", "--format", "json", "--no-default-policy", "--policy", p("policy.yaml"),
		p("copy.txt"), p("formula.txt"), p("codes.txt"), p("registered.txt"))
	if code != 1 {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var rep struct {
		Files []struct {
			Path     string
			Verdict  string
			Findings []struct {
				Rule     string
				Text     string
				Passages []struct{ Line int }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Files {
		var s []string
		for _, x := range f.Findings {
			s = append(s, x.Rule+" "+x.Text)
			if x.Rule == "fp.registered" && len(x.Passages) != 2 && filepath.Base(f.Path) == "copy.txt" {
				t.Errorf("copy.txt: passages %+v", x.Passages)
			}
		}
		got[filepath.Base(f.Path)] = f.Verdict + ": " + strings.Join(s, "; ")
	}
	want := map[string]string{
		"copy.txt":       "flagged: fp.registered 与《某型装备通知》重合 ",
		"formula.txt":    "clean: ",
		"codes.txt":      "flagged: codes 天河工程",
		"registered.txt": "flagged: fp.registered 与《某型装备通知》重合 100%",
	}
	for name, w := range want {
		if !strings.HasPrefix(got[name], w) {
			t.Errorf("%s: %q, want %q…", name, got[name], w)
		}
	}
	if strings.Contains(stderr, "某型装备通知") || strings.Contains(stderr, "天河") {
		t.Errorf("the log carries a label or a term:\n%s", stderr)
	}
	// Mistakes are usage errors; a document that cannot be read is exit 2.
	if err := os.WriteFile(p("broken.docx"), []byte("PK\x03\x04broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A sound file carries no text: skipped, not an error.
	wav := []byte("RIFF\x2c\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	if err := os.WriteFile(p("sound.wav"), wav, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := runBaomi(t, "fingerprint", "build", "--in-process", "-o", p("y.index"), p("sound.wav"), p("registered.txt")); code != 0 || !strings.Contains(out, "1 documents") || !strings.Contains(stderr, "not registered") {
		t.Errorf("a sound file among the documents: exit %d: %s %s", code, out, stderr)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"fingerprint", "build", "--in-process", p("registered.txt")}, 3},
		{[]string{"fingerprint", "build", "--in-process", "-o", p("x.index"), p("broken.docx")}, 2},
		{[]string{"fingerprint", "build", "--in-process", "-o", p("x.index"), p("sound.wav")}, 2}, // nothing registered
		{[]string{"policy", "hash", "--key-file", p("codes.txt"), p("terms.txt")}, 0},
		{[]string{"policy", "hash", "--key-file", p("missing"), p("terms.txt")}, 3},
	} {
		if _, stderr, code := runBaomi(t, c.args...); code != c.code {
			t.Errorf("%q: exit %d, want %d: %s", c.args, code, c.code, stderr)
		}
	}
	if _, err := os.Stat(p("x.index")); err == nil {
		t.Error("an index was written although a document could not be read")
	}
}
