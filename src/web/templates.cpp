#include "web/templates.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace hocvu::web {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> inline_partials(const std::string& text, const std::map<std::string, std::string>& partials,
                                    const std::string& file, int depth) {
  if (depth > 8) return Error(ErrorCode::invalid_argument, file + ": partials nested too deep");
  static const std::regex tag(R"(\{\{>\s*([A-Za-z0-9_\-]+)\s*\}\})");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), tag);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.append(text, last, static_cast<std::size_t>(m.position(0)) - last);
    auto p = partials.find(m[1].str());
    if (p == partials.end()) return Error(ErrorCode::invalid_argument, file + ": unknown partial '" + m[1].str() + "'");
    auto inner = inline_partials(p->second, partials, p->first + ".mustache", depth + 1);
    if (!inner) return inner.status();
    out += *inner;
    last = static_cast<std::size_t>(m.position(0) + m.length(0));
  }
  out.append(text, last);
  return out;
}

}  // namespace

Result<Templates> Templates::load(const std::string& dir) {
  std::map<std::string, std::string> partials;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error(ErrorCode::invalid_argument, "template directory not found: " + dir);
  if (fs::is_directory(fs::path(dir) / "partials", ec))
    for (auto& e : fs::directory_iterator(fs::path(dir) / "partials"))
      if (e.path().extension() == ".mustache") partials[e.path().stem().string()] = read_file(e.path());
  Templates t;
  for (auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".mustache") continue;
    std::string file = e.path().filename().string();
    auto text = inline_partials(read_file(e.path()), partials, file, 0);
    if (!text) return text.status();
    auto m = std::make_shared<kainjow::mustache::mustache>(*text);
    if (!m->is_valid()) return Error(ErrorCode::invalid_argument, file + ": " + m->error_message());
    t.compiled_[e.path().stem().string()] = std::move(m);
  }
  return t;
}

bool Templates::has(std::string_view name) const { return compiled_.find(name) != compiled_.end(); }

Result<std::string> Templates::render(std::string_view name, const Data& data,
                                      std::initializer_list<const Data*> layers) const {
  auto it = compiled_.find(name);
  if (it == compiled_.end()) return Error(ErrorCode::internal, "no template " + std::string(name));
  // Rendering reads the compiled tree and writes only to the context and the output; with no
  // lambdas and no partials left (they were inlined), a shared template is safe across threads.
  kainjow::mustache::context<std::string> ctx;
  for (auto layer = std::rbegin(layers); layer != std::rend(layers); ++layer) ctx.push(*layer);
  ctx.push(&data);
  struct Sink {
    std::string out;
    Sink& operator<<(const std::string& s) { out += s; return *this; }
  } sink;
  sink.out.reserve(8192);
  it->second->render(ctx, sink);
  return std::move(sink.out);
}

}  // namespace hocvu::web
