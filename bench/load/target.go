package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// target is one server under test.
type target struct {
	Name    string
	URL     string
	Dir     string // folder of its query files under -queries
	PID     int    // for peak RSS; 0: not measured
	Metrics string // Prometheus endpoint with cybertrade_db_queries_total; "": none
	Only    []string
	// Compare: ratios of this target to the others are printed too (the first target's always
	// are), e.g. cybertrade with its response cache beside cybertrade without.
	Compare bool
	queries map[string]*query
}

type targetsFlag []*target

func (t *targetsFlag) String() string { return fmt.Sprint(len(*t)) }

func (t *targetsFlag) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) < 2 {
		return errors.New("want name,url[,dir=D][,pid=N][,metrics=URL][,only=q1+q2][,compare]")
	}
	tg := &target{Name: parts[0], URL: parts[1], Dir: parts[0]}
	for _, p := range parts[2:] {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "dir":
			tg.Dir = v
		case "pid":
			n, err := strconv.Atoi(v)
			if err != nil {
				return err
			}
			tg.PID = n
		case "metrics":
			tg.Metrics = v
		case "only":
			tg.Only = strings.Split(v, "+")
		case "compare":
			tg.Compare = true
		default:
			return fmt.Errorf("unknown target option %q", k)
		}
	}
	*t = append(*t, tg)
	return nil
}
