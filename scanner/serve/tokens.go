package serve

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// minToken is the shortest token accepted: a guessable token is no lock.
const minToken = 16

// LoadTokens reads a token file: one token per line, as "NAME TOKEN" (the
// name goes into the audit line) or a bare TOKEN (named after its line);
// empty lines and lines starting with # are skipped. Errors give line
// numbers, never a token.
func LoadTokens(path string) (Tokens, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	t := Tokens{}
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		name, tok := "line-"+strconv.Itoa(i+1), fields[0]
		switch len(fields) {
		case 1:
		case 2:
			name, tok = fields[0], fields[1]
		default:
			return nil, fmt.Errorf("%s:%d: expected NAME TOKEN or TOKEN", path, i+1)
		}
		if len(tok) < minToken {
			return nil, fmt.Errorf("%s:%d: the token is shorter than %d characters", path, i+1, minToken)
		}
		t[sha256.Sum256([]byte(tok))] = name
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("%s holds no token", path)
	}
	return t, nil
}
