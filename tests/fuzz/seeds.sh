#!/usr/bin/env bash
# Makes the seed inputs of one libFuzzer target from tests/data (and the starter content), in the
# shape the target reads (some targets take a first byte that picks a mode: see each *_fuzz.cpp).
#   tests/fuzz/seeds.sh <target> <dir>
# Nothing here is committed: seeds are rebuilt on each run from the data files they come from.
set -euo pipefail
target="$1"; out="$2"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$src/tests/data"
mkdir -p "$out"
# seed NAME [PREFIX-BYTE-AS-OCTAL] < content
seed() {
  local file; file="$(mktemp "$out/$1-XXXXXX")"
  if [ $# -ge 2 ]; then { printf "\\$2"; cat; } > "$file"; else cat > "$file"; fi
}
# The first column of a data table, one seed a row.
column1() {
  grep -v '^#' "$data/$1" | cut -f1 | while IFS= read -r line; do printf '%s' "$line" | seed "$1" ${2:-}; done
}
# Every row of a data table as CSV: tabs become the separator, fields with a quote are quoted.
as_csv() {
  grep -v '^#' "$data/$1" | sed -e 's/"/""/g' -e "s/\t/$2/g"
}
# A people-import CSV from the CCCD and phone tables: one person a row.
people_csv() {
  printf '\xEF\xBB\xBFho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi,email,to_chuc,vai_tro\r\n'
  paste <(grep -v '^#' "$data/national_ids.tsv" | cut -f1,2) <(grep -v '^#' "$data/phones.tsv" | cut -f1) \
    | awk -F'\t' '{ b = ($2 == "-" ? "02/09/1985" : $2); g = (NR % 4 == 0 ? "Cán bộ" : NR % 4 == 1 ? "học sinh" : NR % 4 == 2 ? "Người lao động" : "citizen");
                   r = (NR % 5 == 0 ? "giảng viên số" : ""); o = (NR % 7 == 0 ? "org1" : "");
                   printf "\"Người %d, Nguyễn\",%s,\"%s\",%s,%s,%s,,%s,%s\r\n", NR, $1, $3, b, g, (NR % 3 ? "01" : "79"), o, r }'
}
communes_csv() {
  printf 'ma;ten;ma_tinh\n00004;Phường Ba Đình;01\n00008;"Phường Ngọc Hà";01\n26734;Phường Sài Gòn;79\n'
  printf '01;Tỉnh;01\n00004;Trùng;01\n1234;Ngắn;01\n99999;;96\n'
}
multipart() {  # multipart <file-field-name> <filename> <content-type> < file
  local b="----hocvuFuzz7MA4YWxk"
  printf 'multipart/form-data; boundary=%s\n' "$b"
  printf -- '--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc123\r\n' "$b"
  printf -- '--%s\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\n1\r\n' "$b"
  printf -- '--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n' "$b" "$1" "$2" "$3"
  cat
  printf '\r\n--%s--\r\n' "$b"
}

case "$target" in
  request_target_fuzz) column1 request_targets.tsv ;;
  text_fuzz) column1 search_folding.tsv; column1 nfc.tsv; column1 catalogue_search.tsv ;;
  markdown_fuzz)
    for f in "$data"/packages/good/lessons/*.md "$src"/content/courses/*/lessons/*.md; do seed md < "$f"; done ;;
  gift_fuzz)
    for f in "$data"/gift/*.gift "$src"/content/banks/*.gift; do seed gift < "$f"; done ;;
  moodle_xml_fuzz)
    for f in "$data"/moodle/*.xml; do seed xml 000 < "$f"; done ;;
  package_fuzz)
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    (cd "$data/packages/good" && zip -qr -X "$tmp/good.zip" .)
    seed zip 000 < "$tmp/good.zip"
    seed yaml 001 < "$data/packages/good/course.yaml"
    for f in "$src"/content/courses/*/course.yaml; do seed yaml 001 < "$f"; done ;;
  csv_fuzz)
    for t in national_ids phones nfc search_folding catalogue_search request_targets; do
      as_csv "$t.tsv" , | seed csv 000; as_csv "$t.tsv" ';' | seed csv 000
    done
    people_csv | seed csv 000; communes_csv | seed csv 000
    column1 search_folding.tsv 001 ;;
  import_fuzz)
    people_csv | seed people 000
    people_csv | sed 's/,/;/g' | seed people 000
    communes_csv | seed communes 001 ;;
  multipart_fuzz)
    multipart file an-toan.gift text/plain < "$data/gift/an-toan.gift" | seed raw 000
    multipart file an-toan.xml text/xml < "$data/moodle/an-toan.xml" | seed raw 000
    people_csv | multipart file people.csv text/csv | seed raw 000
    column1 request_targets.tsv 001
    for f in "$src"/tests/fuzz/seeds/multipart/*; do seed found < "$f"; done ;;
  assessment_json_fuzz)
    # 0: a question (the author's API); 1: quiz settings; 2..: a learner's answer (see the target).
    for f in "$src"/tests/fuzz/seeds/assessment_json/*; do seed json < "$f"; done ;;
  learning_json_fuzz)
    # 0: course content (the draft API), built from the packages' course.yaml; 1: progress events.
    for f in "$data"/packages/good/course.yaml "$src"/content/courses/*/course.yaml; do
      python3 "$src/tests/fuzz/yaml_to_content_json.py" "$f" | seed content 000
    done
    for f in "$src"/tests/fuzz/seeds/learning_json/*; do seed json < "$f"; done ;;
  *) echo "seeds.sh: no seeds for $target" >&2 ;;
esac
