package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeSimulation feeds arbitrary documents to the simulation-file
// decoder: it must never panic, and a decoded simulation must evaluate.
// Seeds: every simulation file under testdata plus f.Add cases.
func FuzzDecodeSimulation(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"request":{"principal":"*","action":"s3:GetObject","resource":"*","context":{"k":["a",1]}}}`))
	f.Add([]byte(`{"request":{"principal":"arn:aws:iam::111111111111:role/r","action":"sts:AssumeRole","resource":"arn:aws:iam::111111111111:role/r"},"resourcePolicy":"{\"Statement\":[]}"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sim, err := decodeSimulation(data, 0, nil)
		if err != nil {
			if msg := err.Error(); msg == "" {
				t.Fatal("empty error message")
			}
			return
		}
		sim.set.Explain(&sim.req)
	})
}
