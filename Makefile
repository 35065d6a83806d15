# The two commands a newcomer needs: `make run` (the main job) and `make test` (the tests + task validation).
# Both install what they need first: Debian packages (debootstrap for the sandbox image, chromium for the
# leaderboard page test), a virtualenv with the package, and the offline-built sandbox image.
# Every run output (logs, report, leaderboard, index.html, hf_dataset/) goes to $(RUNS), ignored by git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=
RUNS ?= runs
export SCALEBLIND_RUNS := $(RUNS)
# pip prints the build backend's notes (setuptools' "editable installation" banners) even with -q:
# the install's output goes to a log that is shown only when the install fails.
INSTALL_LOG := $(VENV)/install.log

.PHONY: run test deps venv image clean

deps:
	@command -v debootstrap >/dev/null && command -v chromium >/dev/null || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq debootstrap chromium >/dev/null; }

$(BIN)/scaleblind: pyproject.toml setup.py
	@echo "installing scaleblind and its dependencies into $(VENV) (log: $(INSTALL_LOG))"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[test]'; } >$(INSTALL_LOG) 2>&1 \
		|| { tail -n 40 $(INSTALL_LOG); echo "install failed: see $(INSTALL_LOG)"; exit 1; }
	@touch $@

venv: $(BIN)/scaleblind

image: deps venv
	@if $(BIN)/python -c "from scaleblind.sandbox.docker import docker_available as a; raise SystemExit(not a())"; \
	then $(BIN)/scaleblind sandbox build; \
	else echo "no Docker Engine answers: skipping the sandbox image (the local sandbox will be used)"; fi

run: image
	$(BIN)/scaleblind run $(ARGS)
	$(BIN)/scaleblind report
	$(BIN)/scaleblind leaderboard

test: image
	$(BIN)/python -m pytest -q $(ARGS)
	$(BIN)/scaleblind tasks validate --split all

clean:
	rm -rf $(VENV) $(RUNS)
