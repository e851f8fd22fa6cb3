// Package textcheck tells whether a text can be stored and written to the data files: no NUL
// (PostgreSQL cannot store it), no other control character but tab, line feed and carriage
// return, and no Unicode non-character (U+FFFE and U+FFFF among them, which YAML refuses).
// Every text input of the API goes through it (the String and ID scalars), and so does every
// text field of the data files (`cybertrade validate`).
package textcheck

import "fmt"

// Problem describes the first character of s that cannot be kept, or is "" when s is fine.
func Problem(s string) string {
	for i, r := range s {
		if bad(r) {
			return fmt.Sprintf("contains the character U+%04X at byte %d; control characters (other than tab and line breaks) and Unicode non-characters are not allowed", r, i)
		}
	}
	return ""
}

// Valid reports whether Problem(s) is "".
func Valid(s string) bool {
	for _, r := range s {
		if bad(r) {
			return false
		}
	}
	return true
}

func bad(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f): // C0, DEL, C1
		return true
	case r >= 0xfdd0 && r <= 0xfdef: // non-characters
		return true
	case r&0xfffe == 0xfffe: // U+FFFE, U+FFFF and the last two of every plane
		return true
	}
	return false
}
