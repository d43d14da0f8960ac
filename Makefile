# Two commands on a fresh machine:  make test  /  make demo
# Both create (once) and use the virtual environment $(VENV).
VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.mmpose-installed
DEMO_DIR ?= work_dirs/demo
PYTEST_ARGS ?=
# Albumentations asks PyPI for a newer release on import: tests stay offline.
# MMPOSE_REQUIRE_EXTRAS: the extras of requirements/optional.txt must import
# (tests/test_compat/test_optional_extras.py), so that none of their tests
# is skipped unnoticed.
TEST_ENV := NO_ALBUMENTATIONS_UPDATE=1 MMPOSE_REQUIRE_EXTRAS=1

.PHONY: install test test-slow test-all test-slurm demo demo-bottomup clean-venv api-surface

install: $(STAMP)

$(STAMP): requirements/build.txt requirements/runtime.txt requirements/mminstall.txt requirements/tests.txt requirements/optional.txt setup.py setup.cfg
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
	# The optional extras too, so that their tests run. opencv-python-headless
	# (pulled by albumentations) also provides cv2: pinned to opencv-python's
	# version, cv2 is the same whichever of the two is installed last.
	cv=$$($(PIP) show opencv-python | sed -n 's/^Version: //p'); \
	  $(PIP) install -q -r requirements/optional.txt "opencv-python-headless==$$cv"
	$(PIP) install -q --no-build-isolation --no-deps -e .
	$(PY) -c "import mmpose, mmcv, xtcocotools.cocoeval, pycocotools.mask; print('mmpose', mmpose.__version__, 'mmcv', mmcv.__version__)"
	NO_ALBUMENTATIONS_UPDATE=1 $(PY) -c "import albumentations, h5py, onnx, onnxruntime, smplx, tensorboard"
	touch $(STAMP)

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -q -m "not slow" tests $(PYTEST_ARGS)

test-slow: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -q -m slow tests $(PYTEST_ARGS)

test-all: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -q tests $(PYTEST_ARGS)

api-surface: $(STAMP)
	$(PY) ../shared/tools/check_api_surface.py

demo: $(STAMP)
	$(PY) tools/demo_first_run.py --work-dir $(DEMO_DIR)
	$(PY) tools/dataset/make_synthetic_video.py --out-dir $(DEMO_DIR)/video && \
	  $(PY) demo/top_down_pose_tracking_demo_with_mmdet.py hog none \
	  $(DEMO_DIR)/demo_config.py "$$($(PY) -c "import json, sys; print(json.load(open(sys.argv[1]))['checkpoint'])" $(DEMO_DIR)/demo_summary.json)" \
	  --video-path $(DEMO_DIR)/video/synthetic_clip.mp4 \
	  --det-file $(DEMO_DIR)/video/synthetic_clip_boxes.json \
	  --out-video-root $(DEMO_DIR)/vis_video --device cpu

# The bottom-up (associative embedding) first run on the same synthetic data.
demo-bottomup: $(STAMP)
	$(PY) tools/demo_first_run.py --work-dir $(DEMO_DIR)_bottomup \
	  --config configs/bottom_up/synthetic/res18_synthetic_coco_192x192.py

clean-venv:
	rm -rf $(VENV)

# Not part of `make test`: needs root; starts a local one-node Slurm
# (tools/slurm/local_cluster.sh) and trains 2 Slurm tasks via slurm_train.sh.
test-slurm: $(STAMP)
	PY=$(PY) bash tools/slurm/test_slurm_train.sh work_dirs/test_slurm
