# The two commands of the README.
.PHONY: demo test build bench

# Run the server with the built-in demo cameras.
demo:
	go run ./cmd/vms serve --demo

# Run every test (installs GStreamer from Debian if missing).
test:
	./scripts/test.sh

build:
	go build -o bin/vms ./cmd/vms

# Fan-out hot path benchmark (allocations per packet per viewer).
bench:
	go test -run '^$$' -bench . -benchmem ./internal/relay/
