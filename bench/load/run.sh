#!/bin/sh
# One command: measure intake load on this machine (see bench/load/README.md).
cd "$(dirname "$0")/../.." && exec .venv/bin/python bench/load/run.py "$@"
