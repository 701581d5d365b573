#!/usr/bin/env bash
# Fails when the refusal reasons in the code under services/ and the
# catalogue in docs/REASONS.md differ: a reason in code without a row, a row
# whose reason is gone from code, or a reason with two rows.
#
# A reason in code is a string literal, outside // comments, that is all
# capitals, digits and underscores ("CALL_CLOSED", "REQUIRED": rule reasons
# and FieldErrors reasons) or that starts a message with one ("OUT_OF_SCOPE: "
# built by StrCat). A reason in the catalogue is the backticked first cell of
# a row in a table whose header starts with "| Reason |".
set -euo pipefail
root="$1"
cd "$root"
doc=docs/REASONS.md
if [[ ! -f "$doc" ]]; then
  echo "$doc is missing"
  exit 1
fi

# Literals of that shape that never reach a client as a reason, as
# file:LITERAL. An entry that no longer matches anything fails the check too,
# so the list cannot go stale.
excluded=(
  # The gRPC code named in the help text of --max_message_bytes.
  services/server/main.cc:RESOURCE_EXHAUSTED
  # The transport printed at startup, the signal printed at shutdown.
  services/server/main.cc:TLS
  services/server/main.cc:SIGINT
  services/server/main.cc:SIGTERM
  # RoleName() of an invalid role, text inside messages.
  services/auth/principal.cc:UNKNOWN
  # OpenSSL's name of the digest.
  services/base/sha256.cc:SHA256
)

# file:LITERAL for every candidate in non-test sources. Whole-line and
# trailing (after a blank) // comments are dropped first, so examples such as
# "SOME_RULE: explanation" in comments do not count; services/ keeps block
# comments for parameter names only.
code_hits() {
  local file
  find services \( -name '*.cc' -o -name '*.h' \) -not -name '*_test.cc' |
    sort | while IFS= read -r file; do
    sed -E -e 's#^[[:space:]]*//.*$##' -e 's#[[:space:]]//.*$##' "$file" |
      grep -oE '"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"|"[A-Z][A-Z0-9_]*: ' |
      sed -E -e 's/^"//' -e 's/("|: )$//' -e "s#^#${file}:#" || true
  done | sort -u
}

mapfile -t hits < <(code_hits)
declare -A is_excluded=() used_exclusion=()
for entry in "${excluded[@]}"; do is_excluded["$entry"]=1; done
declare -A where=()
for hit in "${hits[@]}"; do
  if [[ -n "${is_excluded[$hit]:-}" ]]; then
    used_exclusion["$hit"]=1
    continue
  fi
  reason="${hit##*:}"
  where["$reason"]+=" ${hit%:*}"
done

# Rows of "| Reason |" tables; a row whose first cell is not one backticked
# reason is reported as BAD:<line>.
doc_rows() {
  awk '
    /^\| *Reason *\|/ { in_table = 1; next }
    !/^\|/ { in_table = 0; next }
    !in_table || /^\|[-:| ]*$/ { next }
    {
      cell = $0
      sub(/^\| */, "", cell)
      sub(/ *\|.*$/, "", cell)
      if (cell ~ /^`[A-Z][A-Z0-9]*(_[A-Z0-9]+)*`$/) {
        print substr(cell, 2, length(cell) - 2)
      } else {
        print "BAD:" NR
      }
    }' "$doc"
}

mapfile -t rows < <(doc_rows)
failed=0
bad=$(printf '%s\n' "${rows[@]}" | grep '^BAD:' | sed 's/^BAD:/  line /' || true)
if [[ -n "$bad" ]]; then
  echo "rows of $doc whose first cell is not one \`REASON\`:"
  echo "$bad"
  failed=1
fi
documented=$(printf '%s\n' "${rows[@]}" | grep -v '^BAD:' | sort)
twice=$(uniq -d <<<"$documented")
if [[ -n "$twice" ]]; then
  echo "reasons with more than one row in $doc (give each one row):"
  sed 's/^/  /' <<<"$twice"
  failed=1
fi
documented=$(uniq <<<"$documented")
in_code=$(printf '%s\n' "${!where[@]}" | sort)

undocumented=$(comm -23 <(echo "$in_code") <(echo "$documented"))
if [[ -n "$undocumented" ]]; then
  echo "reasons in code but not in $doc (add a row):"
  while IFS= read -r reason; do
    echo "  $reason  (${where[$reason]# })"
  done <<<"$undocumented"
  failed=1
fi
gone=$(comm -13 <(echo "$in_code") <(echo "$documented"))
if [[ -n "$gone" ]]; then
  echo "reasons in $doc but no longer in code (remove the row):"
  sed 's/^/  /' <<<"$gone"
  failed=1
fi
for entry in "${excluded[@]}"; do
  if [[ -z "${used_exclusion[$entry]:-}" ]]; then
    echo "exclusion $entry matches nothing any more: remove it from $0"
    failed=1
  fi
done

if ((failed)); then exit 1; fi
echo "reasons catalogue: $(wc -l <<<"$in_code") reasons in services/, each with" \
  "one row in $doc (${#excluded[@]} literals excluded)"
