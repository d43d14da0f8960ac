# Two commands on a fresh machine:  make test  /  make demo
# Both create (once) and use the virtual environment $(VENV).
VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.mmpose-installed
DEMO_DIR ?= work_dirs/demo
PYTEST_ARGS ?=

.PHONY: install test test-slow test-all test-slurm demo clean-venv api-surface

install: $(STAMP)

$(STAMP): requirements/build.txt requirements/runtime.txt requirements/mminstall.txt requirements/tests.txt setup.py setup.cfg
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/build.txt
	$(PIP) install -q torch==2.14.1 torchvision==0.29.1
	$(PIP) install -q --no-build-isolation -r requirements/mminstall.txt
	# xtcocotools' wheels are built against NumPy 1: compile it here against NumPy 2.
	$(PY) -c "from xtcocotools.cocoeval import COCOeval" 2>/dev/null || \
	  $(PIP) install -q --force-reinstall --no-deps --no-binary xtcocotools --no-build-isolation --no-cache-dir xtcocotools
	$(PIP) install -q -r requirements/runtime.txt -r requirements/tests.txt
	$(PIP) install -q --no-build-isolation --no-deps -e .
	$(PY) -c "import mmpose, mmcv, xtcocotools.cocoeval, pycocotools.mask; print('mmpose', mmpose.__version__, 'mmcv', mmcv.__version__)"
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q -m "not slow" tests $(PYTEST_ARGS)

test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow tests $(PYTEST_ARGS)

test-all: $(STAMP)
	$(PY) -m pytest -q tests $(PYTEST_ARGS)

api-surface: $(STAMP)
	$(PY) ../shared/tools/check_api_surface.py

demo: $(STAMP)
	$(PY) tools/demo_first_run.py --work-dir $(DEMO_DIR)

clean-venv:
	rm -rf $(VENV)

# Not part of `make test`: needs root; starts a local one-node Slurm
# (tools/slurm/local_cluster.sh) and trains 2 Slurm tasks via slurm_train.sh.
test-slurm: $(STAMP)
	PY=$(PY) bash tools/slurm/test_slurm_train.sh work_dirs/test_slurm
