#!/usr/bin/env bash
# Fails when any C++ or proto source of ours differs from clang-format's
# output (Google style, .clang-format at the root).
set -euo pipefail
root="$1"
cd "$root"
mapfile -t files < <(find proto services storage clients tests \
  \( -name '*.cc' -o -name '*.h' -o -name '*.proto' \) -not -path '*/node_modules/*' | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
