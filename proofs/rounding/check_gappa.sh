#!/bin/sh
# CTest rounding.gappa.<script>: Gappa proves every goal of one script.
# usage: check_gappa.sh GAPPA SCRIPT.g
# Gappa exits with status 0 even when a goal is not proved; it then prints
# "Error: some properties were not satisfied". So any output, or a non-zero
# status, is a failure.
set -u
out=$("$1" "$2" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$out" ]; then
  printf 'FAIL: gappa %s (status %s)\n%s\n' "$2" "$status" "$out"
  exit 1
fi
echo "OK: gappa proved every goal of $2"
