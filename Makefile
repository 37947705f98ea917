# wspool — every developer and CI entry point. `make help` lists the targets.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
OUT ?= out
CLI := $(DOTNET) run --project src/WsPool.Cli -c $(CONFIG) --no-launch-profile --
EXAMPLES := $(wildcard examples/*.yaml)
# Test projects run one after another: several start real HAProxy, NGINX and Redis processes.
TEST_PROJECTS := $(sort $(wildcard tests/*.Tests/*.Tests.csproj))

# Which scenarios `make bench-rollout` runs: all, or a comma list of baseline, ours, rollout, scaleout,
# rollout-baseline, rollout-ours, scaleout-baseline, scaleout-ours.
SCENARIOS ?= all

# How many times `make test-repeat` runs the suite.
N ?= 3

.PHONY: help deps build demo test test-no-build test-repeat test-unit arch-check crds render fmt fmt-check clean bench-backend bench-balancer bench-operator bench-scaling bench-rollout e2e-kind

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

deps: ## Provide what the tests run (HAProxy 3.2, NGINX 1.30, Redis, dnsmasq, Lua, kubectl, helm, the CRD server); only what is missing
	@tests/deps/provision

build: ## Build the whole solution (warnings are errors)
	$(DOTNET) build Operator.sln -c $(CONFIG)

demo: deps build ## The main job: the whole loop on this machine (wspool local demo on examples/local/chat.yaml: a surge of 6,000 clients and back)
	$(CLI) local demo -f examples/local/chat.yaml

test: deps build ## Provide the tools, then run every test project; prints "N passed, N failed" at the end
	@$(MAKE) --no-print-directory test-no-build

test-no-build: ## Run every test project as `make test` does, without building first
	@tests/deps/provision --versions
	@rm -rf $(OUT)/test-results; status=0; \
	for p in $(TEST_PROJECTS); do \
	  name=$$(basename $$p .csproj); \
	  $(DOTNET) test $$p -c $(CONFIG) --no-build --blame-hang-timeout 10m --logger "trx;LogFileName=$$name.trx" \
	    --results-directory $(OUT)/test-results/$$name || status=1; \
	done; .ci/summarize-tests $(OUT)/test-results; exit $$status

test-repeat: deps build ## Run the whole suite N times (N=3) into out/test-repeat/run-K; list every test that failed in any run
	@OUT=$(OUT) .ci/test-repeat $(N)

arch-check: ## Fail when the folders of a src/ project depend on each other in a cycle (lists each cycle with the file behind every edge)
	$(DOTNET) test tests/WsPool.Core.Tests -c $(CONFIG) --filter "FullyQualifiedName~WsPool.Core.Tests.Architecture.FolderDependencyTests"

crds: ## Regenerate the CRD from the C# API types and the operator's RBAC from its permissions (crds/, the chart, kustomize)
	$(CLI) crd > crds/websocketpools.wspool.dev.yaml
	@if [ -d charts/wspool-operator/crds ]; then cp crds/websocketpools.wspool.dev.yaml charts/wspool-operator/crds/; fi
	$(CLI) rbac > crds/operator-rbac.yaml
	cp crds/operator-rbac.yaml charts/kustomize/operator-rbac.yaml
	$(CLI) rbac --helm-rules > charts/wspool-operator/templates/_rbac-rules.tpl

render: ## Render every example pool into out/render/<pool>/
	@for f in $(EXAMPLES); do echo "render $$f"; $(CLI) render -f $$f -o $(OUT)/render || exit 1; done

fmt: ## Format the code
	$(DOTNET) format Operator.sln

fmt-check: ## Fail when the code is not formatted
	$(DOTNET) format Operator.sln --verify-no-changes

bench-backend: ## Chat server: memory per idle connection, accepts per second
	$(DOTNET) run -c Release --project tests/bench/WsPool.Bench.Backend -- --out $(OUT)/bench/backend.json

bench-balancer: ## Generated HAProxy config against the source document's sample config
	$(DOTNET) run -c Release --project tests/bench/WsPool.Bench.Balancer -- --out $(OUT)/bench/balancer.json

bench-operator: ## 1,000 pools against the API emulator
	$(DOTNET) run -c Release --project tests/bench/WsPool.Bench.Operator -- --out $(OUT)/bench/operator.json

bench-scaling: ## Connection traces replayed against wspool, HPA, KEDA and an oracle
	$(DOTNET) run -c Release --project tests/bench/WsPool.Bench.Scaling -- --out $(OUT)/bench/scaling.json

bench-rollout: deps ## Rollout (plain rolling update vs connection-aware) and scale-out evenness with 2,000 real clients on local mode (SCENARIOS=all)
	$(DOTNET) run -c Release --project tests/bench/WsPool.Bench.Rollout -- --out $(OUT)/bench/rollout.json --scenarios $(SCENARIOS)

e2e-kind: ## A real cluster (kind; needs Docker, kind, kubectl, helm): chart, images, every example Ready. Not part of `make test`
	tests/e2e-kind/run.sh

clean: ## Remove build output
	rm -rf $(OUT) src/*/bin src/*/obj tests/*/bin tests/*/obj tests/bench/*/bin tests/bench/*/obj examples/*/bin examples/*/obj
