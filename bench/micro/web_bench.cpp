// The per-request work that does not touch the network: parsing the target, routing, and the
// whole App pipeline (headers, metrics, rendering) for a static answer and for a rendered page.
// Each benchmark first checks that the work it times gives the right result (SkipWithError
// otherwise), so that a smoke run (bench/micro/smoke.py, in the test command) catches a benchmark
// timing a failure.
#include "core/text.h"
#include "web/app.h"
#include "web/compression.h"
#include "web/request_target.h"

#include <benchmark/benchmark.h>

namespace {

using namespace hocvu;
using namespace hocvu::web;

void BM_ParseRequestTarget(benchmark::State& state) {
  auto first = parse_request_target("/khoa-hoc/b%E1%BA%A3o-m%E1%BA%ADt?q=bao+mat&page=2&group=citizen");
  if (!first || first->path != "/khoa-hoc/bảo-mật" || first->query.size() != 3)
    return state.SkipWithError("the request target does not parse to its path and three fields");
  for (auto _ : state) {
    auto r = parse_request_target("/khoa-hoc/b%E1%BA%A3o-m%E1%BA%ADt?q=bao+mat&page=2&group=citizen");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseRequestTarget);

void BM_FoldForSearch(benchmark::State& state) {
  const std::string title = "Nhận biết lừa đảo trực tuyến và bảo vệ dữ liệu cá nhân trên điện thoại";
  if (fold_for_search(title) != "nhan biet lua dao truc tuyen va bao ve du lieu ca nhan tren dien thoai")
    return state.SkipWithError("fold_for_search does not fold the title");
  for (auto _ : state) benchmark::DoNotOptimize(fold_for_search(title));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * title.size()));
}
BENCHMARK(BM_FoldForSearch);

void BM_ToNfcDecomposed(benchmark::State& state) {
  const std::string name = "Nguye\u0302\u0303n Thi\u0323 A\u0301nh Tuye\u0302\u0301t";
  if (to_nfc(name) != "Nguyễn Thị Ánh Tuyết") return state.SkipWithError("to_nfc does not compose the name");
  for (auto _ : state) benchmark::DoNotOptimize(to_nfc(name));
}
BENCHMARK(BM_ToNfcDecomposed);

Router make_router() {
  Router r;
  const char* patterns[] = {"/", "/healthz", "/readyz", "/metrics", "/courses", "/courses/{id}",
                            "/courses/{id}/lessons/{lesson}", "/frameworks", "/frameworks/{code}",
                            "/api/v1/frameworks", "/api/v1/frameworks/{code}", "/api/v1/provinces",
                            "/api/v1/courses", "/api/v1/courses/{id}", "/api/v1/lessons/{id}",
                            "/static/{*path}", "/assets/{*path}", "/media/{*path}"};
  for (auto p : patterns) r.add("GET", p, [](Request&) { return Response{}; });
  return r;
}

void BM_RouterMatch(benchmark::State& state) {
  Router r = make_router();
  auto first = r.match("GET", "/courses/123/lessons/45");
  if (!first.route || first.route->pattern != "/courses/{id}/lessons/{lesson}")
    return state.SkipWithError("the lesson path does not match its route");
  for (auto _ : state) {
    auto m = r.match("GET", "/courses/123/lessons/45");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterMatch);

std::unique_ptr<App> make_app() {
  Config cfg;
  cfg.web_dir = HOCVU_WEB_DIR;
  cfg.access_log = false;
  auto app = App::create(cfg);
  if (!app) throw std::runtime_error(app.status().message());
  auto& a = **app;
  a.router().add("GET", "/healthz", [](Request&) { return Response::text(200, "ok\n"); }, Execution::io);
  a.router().add("GET", "/", [&a](Request& req) {
    return a.page(req, "home", a.text(req, "home.title"), Data{Data::type::object});
  }, Execution::io);
  a.seal();
  return std::move(*app);
}

Request make_request(const char* target, bool gzip) {
  Request req;
  req.method = "GET";
  req.target = target;
  req.headers = {{"Host", "127.0.0.1"}, {"User-Agent", "bench"}};
  if (gzip) req.headers.emplace_back("Accept-Encoding", "gzip, deflate");
  return req;
}

void run_pipeline(benchmark::State& state, const char* target, bool gzip) {
  auto app = make_app();
  {
    Request req = make_request(target, gzip);
    Response res = app->handle(req);
    if (res.status != 200 || (res.body_view().empty() && !res.file))
      return state.SkipWithError("the pipeline does not answer 200 with a body");
    if (gzip != (res.header("Content-Encoding") == "gzip") && std::string_view(target) == "/")
      return state.SkipWithError("the home page is not gzipped exactly when asked");
  }
  for (auto _ : state) {
    Request req = make_request(target, gzip);
    Response res = app->handle(req);
    benchmark::DoNotOptimize(res);
  }
}
void BM_PipelineHealthz(benchmark::State& state) { run_pipeline(state, "/healthz", false); }
void BM_PipelineHomePage(benchmark::State& state) { run_pipeline(state, "/", false); }
void BM_PipelineHomePageGzip(benchmark::State& state) { run_pipeline(state, "/", true); }
BENCHMARK(BM_PipelineHealthz);
BENCHMARK(BM_PipelineHomePage);
BENCHMARK(BM_PipelineHomePageGzip);

}  // namespace
