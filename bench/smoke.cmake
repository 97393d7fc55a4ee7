# Every benchmark's smoke mode, run by the test command (included from tests/CMakeLists.txt):
# small counts, a few seconds each, all of a benchmark's correctness checks and none of its speed
# targets, so that a benchmark whose checks fail fails the suite. Needs wrk and python3 (not nginx:
# the side-by-side with nginx is the full mode's). See bench/README.md.
set(HOCVU_BENCH_HTTP "${CMAKE_SOURCE_DIR}/bench/http")

# Micro-benchmarks are built in the test tree too (HOCVU_BENCH builds them on their own).
if(NOT HOCVU_BENCH)
  add_subdirectory(${CMAKE_SOURCE_DIR}/bench/micro ${CMAKE_BINARY_DIR}/bench-micro)
endif()
add_test(NAME bench.micro COMMAND ${CMAKE_SOURCE_DIR}/bench/micro/smoke.py $<TARGET_FILE:hocvu_micro_bench>)
add_test(NAME bench.import COMMAND hocvu_import_bench 2000 500)

# The exam-day checks on their own (pure Python, instant), then on a real server.
add_test(NAME bench.exam_day.checks COMMAND python3 ${HOCVU_BENCH_HTTP}/exam_day_test.py)
add_test(NAME bench.exam_day.sqlite COMMAND python3 ${HOCVU_BENCH_HTTP}/exam_day.py --smoke --engines sqlite)
# On the suite's PostgreSQL server, in a database of its own (HOCVU_TEST_DATABASE_URL).
add_test(NAME bench.exam_day.postgres COMMAND ${WITH_PG} python3 ${HOCVU_BENCH_HTTP}/exam_day.py --smoke --engines postgres)
set_tests_properties(bench.exam_day.postgres PROPERTIES FIXTURES_REQUIRED postgres)
add_test(NAME bench.learning_load COMMAND python3 ${HOCVU_BENCH_HTTP}/learning_load.py --smoke)
# run.sh --smoke also runs idle_connections.py --smoke.
add_test(NAME bench.http COMMAND ${HOCVU_BENCH_HTTP}/run.sh --smoke)
set_tests_properties(bench.exam_day.sqlite bench.exam_day.postgres bench.learning_load bench.http PROPERTIES
  ENVIRONMENT "HOCVU_BINARY=$<TARGET_FILE:hocvu>" TIMEOUT 180)
set_tests_properties(bench.micro bench.import bench.exam_day.checks PROPERTIES TIMEOUT 120)
