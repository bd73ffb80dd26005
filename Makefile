# Targets for building, testing and running gce-api. `make help` lists them.

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GINKGO      ?= github.com/onsi/ginkgo/v2/ginkgo
RESULTS     ?= conformance/results

.PHONY: help build run test vet lint unit conformance conformance-openstack clean

help: ## List the targets.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-24s %s\n", $$1, $$2}'

build: ## Build gce-api and fake-openstack into bin/.
	$(GO) build -o bin/ ./cmd/...

run: ## Serve the API on 127.0.0.1:8787 with the in-memory OpenStack.
	$(GO) run ./cmd/gce-api

test: vet lint unit conformance ## Everything CI runs: vet, lint, unit tests and the conformance suite.

vet: ## Run go vet on every package.
	$(GO) vet ./...

lint: ## Check formatting and run the pinned staticcheck.
	@unformatted=$$(gofmt -l cmd server fakes fixtures conformance); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

unit: ## Run the unit tests of the server, the fake and the framework.
	$(GO) test ./server/... ./fakes/... ./fixtures/... ./conformance/framework/... ./cmd/...

conformance: ## Run the conformance suite against the in-memory OpenStack.
	GCE_API_RESULTS=$(abspath $(RESULTS))/fake $(GO) test -count=1 -timeout 30m ./conformance/

# The suite takes about 27 minutes on the real tier on a 2-core machine; the
# timeout leaves room for a slower one and keeps .ci/run (make test, the
# image build and this suite) within CI's 90 minutes.
conformance-openstack: openstack-image ## Run the conformance suite against a real OpenStack in Docker (needs root and docker).
	GCE_API_TARGET=openstack GCE_API_RESULTS=$(abspath $(RESULTS))/openstack \
		$(GO) test -count=1 -timeout 60m ./conformance/

clean: ## Remove build output and test results.
	rm -rf bin $(RESULTS)

-include fixtures/openstack/openstack.mk
