package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPasswordFile: `scan --password-file` opens an encrypted corpus PDF
// in the extraction child, and the password is not in stderr at debug level.
func TestPasswordFile(t *testing.T) {
	// pypdf's r6-both-passwords: AES-256 R6, user password foo, owner bar
	// (its r6-user-password opens without one: its owner password is empty).
	const password = "foo"
	pdf, err := filepath.Abs("../../../shared/corpus/edge/pypdf__r6-both-passwords.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	pwFile := filepath.Join(t.TempDir(), "passwords.txt")
	if err := os.WriteFile(pwFile, []byte("wrong\r\n"+password+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	verdict := func(args ...string) (string, string) {
		t.Helper()
		out, stderr, _ := runBaomi(t, append([]string{"scan", "--format", "json", "--log-level", "debug"}, args...)...)
		var rep struct {
			Files []struct {
				Verdict string `json:"verdict"`
				Reason  string `json:"reason"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Files) != 1 {
			t.Fatalf("report %q: %v", out, err)
		}
		return rep.Files[0].Verdict + " " + rep.Files[0].Reason, stderr
	}
	without, _ := verdict(pdf)
	if !strings.Contains(without, "password") {
		t.Errorf("without a password: %q, want an error naming the password", without)
	}
	with, stderr := verdict("--password-file", pwFile, pdf)
	if !strings.HasPrefix(with, "clean") {
		t.Errorf("with the password file: %q, want clean", with)
	}
	if strings.Contains(stderr, password) {
		t.Error("the password appears in stderr")
	}
}
