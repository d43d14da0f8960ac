#!/usr/bin/env bash
# Usage: [PORT=29500] tools/dist_train.sh CONFIG GPUS [train.py options]
exec "$(dirname "$0")/dist_launch.sh" train.py "$2" "$1" "${@:3}"
