package report

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validateSARIF checks out against the SARIF 2.1.0 schema in the shared
// folder beside the repository, formats (uri, date-time) included; without
// that folder it says so and checks nothing.
func validateSARIF(t *testing.T, out string) {
	t.Helper()
	schemaPath := filepath.Join("..", "..", "..", "shared", "schemas", "sarif-schema-2.1.0.json")
	f, err := os.Open(schemaPath)
	if err != nil {
		// The other checks still run.
		t.Logf("SARIF schema not found (%v): schema validation skipped", err)
		return
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF does not match the schema: %v", err)
	}
}

// sarifOut is what the tests read of a SARIF log.
type sarifOut struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string     `json:"id"`
					Name                 string     `json:"name"`
					ShortDescription     *sarifText `json:"shortDescription"`
					FullDescription      *sarifText `json:"fullDescription"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind  string            `json:"columnKind"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
		Properties  struct {
			PolicyHash string `json:"policyHash"`
			Summary    struct {
				Files int `json:"files"`
			} `json:"summary"`
		} `json:"properties"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out string) sarifOut {
	t.Helper()
	var v sarifOut
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Version != "2.1.0" || len(v.Runs) != 1 || v.Runs[0].Tool.Driver.Name != "baomi" || len(v.Runs[0].Invocations) != 1 {
		t.Fatalf("not one baomi run of SARIF 2.1.0:\n%s", out)
	}
	return v
}

func TestSARIFReport(t *testing.T) {
	out := render(t, "sarif", auditOptions(Chinese, false), auditResults(), auditProblem)
	validateSARIF(t, out)
	run := decodeSARIF(t, out).Runs[0]

	// The policy's rules in order, then the rule only a finding names.
	type rule struct{ id, name, short, full, level string }
	wantRules := []rule{
		{"marking.classified", "密级标志", "密级标志", "Classification markings (GB/T 9704).", "error"},
		{"label.internal", "内部标识", "内部标识", "Release-blocking labels.", "error"},
		{"label.work-secret", "工作秘密", "工作秘密", "", "warning"},
		{"term.secret", "涉密词语", "涉密词语", "Secrecy words.", "warning"},
		{"office.cmd", "", "", "", "note"},
	}
	rules := run.Tool.Driver.Rules
	if len(rules) != len(wantRules) {
		t.Fatalf("%d rules, want %d", len(rules), len(wantRules))
	}
	for i, w := range wantRules {
		r := rules[i]
		text := func(s *sarifText) string {
			if s == nil {
				return ""
			}
			return s.Text
		}
		if got := (rule{r.ID, r.Name, text(r.ShortDescription), text(r.FullDescription), r.DefaultConfiguration.Level}); got != w {
			t.Errorf("rule %d: %+v, want %+v", i, got, w)
		}
	}

	if len(run.Results) != 6 {
		t.Fatalf("%d results, want one per finding (6)", len(run.Results))
	}
	for _, r := range run.Results {
		if rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result of %s points at rule %d (%s)", r.RuleID, r.RuleIndex, rules[r.RuleIndex].ID)
		}
	}
	// The deleted-text finding in the archive inside the Chinese-named file.
	var got *sarifResult
	for i, r := range run.Results {
		if r.Properties.Inner != "" {
			got = &run.Results[i]
		}
	}
	if got == nil {
		t.Fatal("no result with an inner path")
	}
	loc := got.Locations[0].PhysicalLocation
	wantURI := "%E5%85%B1%E4%BA%AB/%E4%BA%8C%E3%80%87%E4%BA%8C%E5%9B%9B/%E9%80%9A%E7%9F%A5%20%28%E7%BB%88%E7%A8%BF%29.docx"
	if loc.ArtifactLocation.URI != wantURI {
		t.Errorf("uri %q, want %q", loc.ArtifactLocation.URI, wantURI)
	}
	if u, err := url.Parse(loc.ArtifactLocation.URI); err != nil || u.Path != chinesePath || u.Scheme != "" {
		t.Errorf("uri %q does not read back as %q: %v", loc.ArtifactLocation.URI, chinesePath, err)
	}
	if got.RuleID != "term.secret" || got.Level != "warning" || loc.Region == nil || loc.Region.StartLine != 3 || loc.Region.StartColumn != 5 ||
		loc.Region.Snippet == nil || loc.Region.Snippet.Text != "涉密" ||
		got.Properties != (sarifFindingProps{Severity: "medium", Part: "deleted", Page: 2, Inner: "附件.zip!b.docx"}) {
		t.Errorf("result %+v, region %+v", got, loc.Region)
	}
	if got.Message.Text != "涉密词语 (term.secret): 附件.zip!b.docx › 修订删除的文字 第2页 第3行" {
		t.Errorf("message %q", got.Message.Text)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	// Messages name the rule and the place, never the document's text.
	for _, r := range run.Results {
		for _, secret := range []string{"机密★5年", "内部资料", "涉密人员", "alert(1)", "calc"} {
			if strings.Contains(r.Message.Text, secret) {
				t.Errorf("message %q carries document text", r.Message.Text)
			}
		}
	}

	inv := run.Invocations[0]
	if !inv.ExecutionSuccessful || inv.EndTimeUTC != "2026-03-01T01:30:00Z" {
		t.Errorf("invocation %+v", inv)
	}
	var notes []string
	for _, n := range inv.Notifications {
		notes = append(notes, n.Level+" "+n.Descriptor.ID+" "+n.Message.Text+" "+n.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	wantNotes := []string{
		"error error 共享/加密.pdf: encrypted PDF: needs a password %E5%85%B1%E4%BA%AB/%E5%8A%A0%E5%AF%86.pdf",
		"warning review 共享/扫描件.pdf: page 2 has a picture that may carry text (not read) %E5%85%B1%E4%BA%AB/%E6%89%AB%E6%8F%8F%E4%BB%B6.pdf",
		"warning flagged 共享/部分.pdf: page 3 could not be read: damaged page content %E5%85%B1%E4%BA%AB/%E9%83%A8%E5%88%86.pdf",
		"error problem 共享/无权限: permission denied %E5%85%B1%E4%BA%AB/%E6%97%A0%E6%9D%83%E9%99%90",
	}
	if strings.Join(notes, "\n") != strings.Join(wantNotes, "\n") {
		t.Errorf("notifications:\n%s\nwant\n%s", strings.Join(notes, "\n"), strings.Join(wantNotes, "\n"))
	}
	if run.Properties.PolicyHash != "0123456789abcdef" || run.Properties.Summary.Files != 7 {
		t.Errorf("run properties %+v", run.Properties)
	}
}

// Masked, the snippet is the masked hit; without a policy, every rule
// comes from the findings; an empty log is valid too.
func TestSARIFReportVariants(t *testing.T) {
	out := render(t, "sarif", Options{Mask: true}, auditResults())
	validateSARIF(t, out)
	if strings.Contains(out, "机密★5年") || strings.Contains(out, "涉密人员") || !strings.Contains(out, `"text": "机＊＊＊＊"`) {
		t.Errorf("masked SARIF:\n%s", out)
	}
	if rules := decodeSARIF(t, out).Runs[0].Tool.Driver.Rules; len(rules) != 4 {
		t.Errorf("%d rules from the findings, want 4", len(rules))
	}
	empty := render(t, "sarif", Options{}, nil)
	validateSARIF(t, empty)
	if run := decodeSARIF(t, empty).Runs[0]; len(run.Results) != 0 || len(run.Invocations[0].Notifications) != 0 {
		t.Errorf("empty SARIF:\n%s", empty)
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct{ path, uri, back string }{
		{"out/通知.docx", "out/%E9%80%9A%E7%9F%A5.docx", "out/通知.docx"},
		{"a b#c?d%e.txt", "a%20b%23c%3Fd%25e.txt", "a b#c?d%e.txt"},
		{"c:notes.txt", "c%3Anotes.txt", "c:notes.txt"}, // not a scheme
		{"/srv/共享/a.pdf", "file:///srv/%E5%85%B1%E4%BA%AB/a.pdf", "/srv/共享/a.pdf"},
		{`C:\共享\a.pdf`, "file:///C:/%E5%85%B1%E4%BA%AB/a.pdf", "/C:/共享/a.pdf"},
		{`\\server\share\a.pdf`, "file://server/share/a.pdf", "/share/a.pdf"},
	}
	for _, tt := range tests {
		got := fileURI(tt.path)
		if got != tt.uri {
			t.Errorf("fileURI(%q) = %q, want %q", tt.path, got, tt.uri)
			continue
		}
		if u, err := url.Parse(got); err != nil || u.Path != tt.back {
			t.Errorf("url.Parse(%q) = %v, %v; want path %q", got, u, err, tt.back)
		}
	}
}
