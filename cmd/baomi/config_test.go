package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withConfig points baomi at a system and a user config file holding sys
// and user ("" for none) and returns their paths.
func withConfig(t *testing.T, sys, user string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	sysPath := filepath.Join(dir, "etc", "config.yaml")
	userPath := filepath.Join(dir, "home", "baomi", "config.yaml")
	for path, body := range map[string]string{sysPath: sys, userPath: user} {
		if body == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := systemConfig
	systemConfig = sysPath
	t.Cleanup(func() { systemConfig = old })
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "home"))
	t.Setenv("LC_ALL", "C")
	return sysPath, userPath
}

// settings reads baomi config's lines "key: value  # source" into
// key → "value # source", the padding dropped.
func settings(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		key, rest, ok := strings.Cut(line, ": ")
		value, from, ok2 := strings.Cut(rest, "#")
		if ok && ok2 && !strings.HasPrefix(line, "#") {
			m[key] = strings.TrimSpace(value) + " #" + from
		}
	}
	return m
}

func runIn(args ...string) (string, string, int) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// The system's file, then the user's, then the command line; each setting
// says where it came from.
func TestConfig(t *testing.T) {
	sys, user := withConfig(t, "fail-on: medium\nworkers: 3\npolicy: [a.yaml, b.yaml]\n", "# mine\nworkers: 5\nmask: true\n")
	out, errOut, code := runIn("config")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := settings(out)
	for key, want := range map[string]string{
		"fail-on": "medium # " + sys + ":1",
		"workers": "5 # " + user + ":2",
		"mask":    "true # " + user + ":3",
		"policy":  "[a.yaml, b.yaml] # " + sys + ":3",
		"lang":    " # default",
		"title":   " # default",
		"format":  "text # default",
	} {
		if got[key] != want {
			t.Errorf("baomi config: %s: %q, want %q\n%s", key, got[key], want, out)
		}
	}
	if _, ok := got["no-descriptions"]; ok {
		t.Error("baomi config lists a flag of cobra's completion command")
	}
	out, _, _ = runIn("config", "--lang", "zh")
	if got := settings(out); got["lang"] != "zh # 命令行" || !strings.HasPrefix(out, "# 配置文件（按生效顺序）") {
		t.Errorf("baomi config --lang zh:\n%s", out)
	}
}

// A config setting is the default a flag overrides; lang in a config file
// is the language of help and messages too.
func TestConfigApplies(t *testing.T) {
	sys, _ := withConfig(t, "lang: zh\nworkers: 0\n", "")
	if _, errOut, code := runIn("scan", "x"); code != exitUsage || errOut != "baomi: "+sys+":2：--workers至少为1，当前为0\n" {
		t.Errorf("workers from the config: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runIn("scan", "--workers", "0", "--lang", "en", "x"); code != exitUsage || errOut != "baomi: --workers must be at least 1, got 0\n" {
		t.Errorf("flags over the config: exit %d, %q", code, errOut)
	}
	if out, _, _ := runIn("scan", "--help"); !strings.Contains(out, "用法：") {
		t.Errorf("help not in the config's language:\n%s", out)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ sys, user, want string }{
		{"fail-on: high\nfail_on: low\n", "", "etc/config.yaml:2: unknown key \"fail_on\""},
		{"", "workers: [1, 2]\n", "home/baomi/config.yaml:1: workers: takes one value, not a list"},
		{"- a\n- b\n", "", "etc/config.yaml:1: expected keys and values"},
		{"lang: zh\nlang: en\n", "", "etc/config.yaml:2: lang is set twice (first on line 1)"},
		{"policy: {a: b}\n", "", "etc/config.yaml:1: policy: expected a value or a list of values"},
		{"fail-on: [\n", "", "etc/config.yaml: yaml: line 1"},
		{"", "fail-on: severe\n", "home/baomi/config.yaml:1: --fail-on: severity \"severe\" is not one of high, medium, low"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			withConfig(t, tt.sys, tt.user)
			_, errOut, code := runIn("scan", "x")
			if code != exitUsage || !strings.Contains(filepath.ToSlash(errOut), tt.want) {
				t.Errorf("exit %d, %q; want 3 and %q", code, errOut, tt.want)
			}
		})
	}
}
