-- wrk script used by bench/http/run.sh: prints one machine-readable line at the end.
-- It defines only done(), so wrk keeps its fast path (a static request, no per-response Lua).
-- Latencies are in microseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.2f bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
