#include "learning/authoring.h"

#include "learning/editing.h"
#include "learning/media.h"

#include <map>

namespace hocvu::learning {

namespace {

// Calls `f` on every media name a course holds (block files, captions, the cover).
template <typename F>
void for_each_media(CourseContent& c, F f) {
  if (!c.cover.empty()) f(c.cover, MediaUse::image);
  for (auto& s : c.sections)
    for (auto& l : s.lessons)
      for (auto& b : l.blocks) {
        if (!b.media.empty()) f(b.media, media_use(b.kind).value_or(MediaUse::document));
        if (!b.captions.empty()) f(b.captions, MediaUse::captions);
      }
}

}  // namespace

Result<std::variant<int, std::vector<std::string>>> publish_draft(Service& service, const std::string& data_dir,
                                                                  std::int64_t course_id, const KnownCodes& known,
                                                                  std::int64_t by, const std::string& now) {
  auto record = service.store().course(course_id);
  if (!record) return record.status();
  if (!*record) return Error(ErrorCode::not_found, "no such course");
  CourseContent draft = (*record)->draft;
  auto problems = publish_problems(draft, known.groups, known.competencies);
  for_each_media(draft, [&](std::string& name, MediaUse) {
    if (!media_exists(data_dir, course_id, name))
      problems.push_back("Tệp '" + name + "' không có trên máy chủ; hãy tải lên lại.");
  });
  if (!problems.empty()) return std::variant<int, std::vector<std::string>>(std::move(problems));
  auto version = service.store().publish(course_id, draft, search_text(draft), by, now);
  if (!version) return version.status();
  return std::variant<int, std::vector<std::string>>(*version);
}

Result<ImportOutcome> import_package(Service& service, const std::string& data_dir, Package package,
                                     std::int64_t provider_id, const KnownCodes& known, std::int64_t by,
                                     bool publish, const std::string& now) {
  ImportOutcome out;
  auto existing = service.store().course_id_by_slug(package.course.slug);
  if (!existing) return existing.status();
  if (*existing) {
    auto record = service.store().course(**existing);
    if (!record) return record.status();
    if (*record && (*record)->provider_id != provider_id) {
      out.errors.push_back({"course.yaml", 0,
                            "Mã khóa học (slug) '" + package.course.slug + "' đã thuộc về một đơn vị cung cấp khác."});
      return out;
    }
    out.course_id = **existing;
  } else {
    // A new course starts with an empty draft so that media have a folder to go to; the
    // package's content replaces it below.
    CourseContent empty;
    empty.slug = package.course.slug;
    empty.title = package.course.title;
    auto id = service.store().create_course(provider_id, empty, by, now);
    if (!id) return id.status();
    out.course_id = *id;
    out.created = true;
  }
  std::map<std::string, std::string> stored;  // package path -> stored name
  for (const auto& f : package.media) {
    auto name = store_media(data_dir, out.course_id, f.path, f.bytes);
    if (!name) return name.status();
    stored[f.path] = *name;
  }
  for_each_media(package.course, [&](std::string& name, MediaUse) {
    auto it = stored.find(name);
    if (it != stored.end()) name = it->second;
  });
  auto st = service.store().save_draft(out.course_id, package.course, now);
  if (!st.ok()) return st;
  if (publish) {
    auto published = publish_draft(service, data_dir, out.course_id, known, by, now);
    if (!published) return published.status();
    if (auto* problems = std::get_if<std::vector<std::string>>(&*published)) {
      for (auto& p : *problems) out.errors.push_back({"course.yaml", 0, std::move(p)});
    } else {
      out.published_version = std::get<int>(*published);
    }
  }
  return out;
}

Result<std::string> export_package(Service& service, const std::string& data_dir, std::int64_t course_id) {
  auto record = service.store().course(course_id);
  if (!record) return record.status();
  if (!*record) return Error(ErrorCode::not_found, "no such course");
  Package package;
  package.course = (*record)->draft;
  std::map<std::string, std::string> paths;  // stored name -> package path
  Status failed;
  for_each_media(package.course, [&](std::string& name, MediaUse) {
    auto it = paths.find(name);
    if (it == paths.end()) {
      auto bytes = read_media(data_dir, course_id, name);
      if (!bytes) {
        failed = bytes.status();
        return;
      }
      std::string path = "media/" + name;
      package.media.push_back({path, std::move(*bytes)});
      it = paths.emplace(name, path).first;
    }
    name = it->second;
  });
  if (!failed.ok()) return failed;
  return write_package_zip(package);
}

}  // namespace hocvu::learning
