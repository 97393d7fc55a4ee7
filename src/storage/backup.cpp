// Backup and restore of a SQLite installation (backup.h). Files are read and written with POSIX
// calls so that every byte is synced (fsync) before a backup or a restore says it is done.
#include "storage/backup.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace hocvu::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestHeader = "hocvu-backup 1";
constexpr const char* kDatabaseName = "hocvu.db";
constexpr const char* kFilesDir = "files";

std::string both(const std::string& vi, const std::string& en) { return vi + " / " + en; }

Status io_error(const std::string& vi, const std::string& en, const std::string& path, int err = errno) {
  return Error(ErrorCode::unavailable, both(vi, en) + ": " + path + ": " + std::strerror(err));
}

struct Entry {
  std::string digest;  // SHA-256, hex
  std::uint64_t size = 0;
  std::string path;    // relative to the backup directory
};

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 15]);
  }
  return out;
}

Status sync_path(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return io_error("không mở được", "cannot open", p.string());
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("không ghi xuống đĩa được", "cannot sync", p.string(), err);
  return {};
}

// Copies `from` to `to` (created, or replaced), syncing it, and returns its digest and size. When
// `to` is empty, only reads and digests `from`. not_found when `from` does not exist.
Result<Entry> copy_and_digest(const fs::path& from, const fs::path& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) {
    if (errno == ENOENT) return Error(ErrorCode::not_found, from.string());
    return io_error("không đọc được", "cannot read", from.string());
  }
  int out = -1;
  if (!to.empty()) {
    out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (out < 0) {
      ::close(in);
      return io_error("không ghi được", "cannot write", to.string());
    }
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 16);
  Entry e;
  Status st;
  while (true) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { st = io_error("không đọc được", "cannot read", from.string()); break; }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buf.data(), static_cast<unsigned long long>(n));
    e.size += static_cast<std::uint64_t>(n);
    for (ssize_t done = 0; out >= 0 && done < n;) {
      ssize_t w = ::write(out, buf.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) { st = io_error("không ghi được", "cannot write", to.string()); break; }
      done += w;
    }
    if (!st.ok()) break;
  }
  ::close(in);
  if (out >= 0) {
    if (st.ok() && ::fsync(out) != 0) st = io_error("không ghi xuống đĩa được", "cannot sync", to.string());
    if (::close(out) != 0 && st.ok()) st = io_error("không ghi được", "cannot write", to.string());
  }
  if (!st.ok()) return st;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  e.digest = hex(digest, sizeof digest);
  return e;
}

// The database's own files: never copied as media, removed before a restored database takes its place.
std::vector<fs::path> database_files(const fs::path& db) {
  return {db, db.string() + "-wal", db.string() + "-shm", db.string() + "-journal"};
}

fs::path absolute_clean(const std::string& p) {
  std::error_code ec;
  auto a = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? fs::absolute(p).lexically_normal() : a;
}

bool is_inside(const fs::path& p, const fs::path& dir) {
  auto rel = p.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

bool hidden(const fs::path& p) { return !p.filename().empty() && p.filename().string()[0] == '.'; }

// SQLite's own error text for a handle.
std::string sqlite_message(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

// Runs PRAGMA integrity_check on the database file at `path`; ok when it answers "ok".
Status check_integrity(const fs::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string m = sqlite_message(db);
    sqlite3_close_v2(db);
    return Error(ErrorCode::invalid_argument, both("không mở được cơ sở dữ liệu", "cannot open the database") + " " +
                                                  path.string() + ": " + m);
  }
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!result.empty()) result += "; ";
      auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      result += t ? t : "";
    }
  if (rc != SQLITE_DONE) result = sqlite_message(db);
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  if (result != "ok")
    return Error(ErrorCode::invalid_argument,
                 both("cơ sở dữ liệu hỏng (integrity_check)", "the database is damaged (integrity_check)") + " " +
                     path.string() + ": " + result.substr(0, 400));
  return {};
}

// Copies the live database `from` into the new file `to` in one backup step (one read snapshot).
Status snapshot_database(const fs::path& from, const fs::path& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_both = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  // Read-write without CREATE: a WAL reader may need to write the -shm index, and a missing file
  // is an error, not a new empty database.
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string m = sqlite_message(src);
    close_both();
    return Error(ErrorCode::not_found, both("không mở được cơ sở dữ liệu", "cannot open the database") + " " +
                                           from.string() + ": " + m);
  }
  sqlite3_busy_timeout(src, 10000);
  if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string m = sqlite_message(dst);
    close_both();
    return Error(ErrorCode::unavailable, both("không tạo được", "cannot create") + " " + to.string() + ": " + m);
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    std::string m = sqlite_message(dst);
    close_both();
    return Error(ErrorCode::unavailable, both("không sao lưu được", "cannot back up") + ": " + m);
  }
  // -1: every page in one step, inside one read transaction of the source, so the copy is one
  // consistent snapshot. Writers in WAL mode are not held back by it; only a writer switching the
  // journal mode could be, and BUSY is retried for the busy timeout.
  int rc;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  sqlite3_backup_finish(b);
  std::string m = rc == SQLITE_DONE ? "" : sqlite_message(dst) + std::string(" (") + sqlite3_errstr(rc) + ")";
  close_both();
  if (rc != SQLITE_DONE) return Error(ErrorCode::unavailable, both("không sao lưu được", "cannot back up") + ": " + m);
  if (auto st = check_integrity(to); !st.ok()) return st;
  return sync_path(to, false);
}

Status write_manifest(const fs::path& dir, const std::vector<Entry>& entries) {
  fs::path tmp = dir / ".MANIFEST.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kManifestHeader << "\n";
    for (const auto& e : entries) out << e.digest << "\t" << e.size << "\t" << e.path << "\n";
    if (!out.flush()) return io_error("không ghi được", "cannot write", tmp.string());
  }
  if (auto st = sync_path(tmp, false); !st.ok()) return st;
  std::error_code ec;
  fs::rename(tmp, dir / "MANIFEST", ec);
  if (ec) return io_error("không đổi tên được", "cannot rename", tmp.string(), ec.value());
  return sync_path(dir, true);
}

Result<std::vector<Entry>> read_manifest(const fs::path& dir) {
  std::ifstream in(dir / "MANIFEST", std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kManifestHeader)
    return Error(ErrorCode::invalid_argument,
                 both("không phải bản sao lưu hoàn chỉnh của HọcVụ (thiếu MANIFEST)",
                      "not a complete HọcVụ backup (no MANIFEST)") + ": " + dir.string());
  std::vector<Entry> entries;
  while (std::getline(in, line)) {
    auto t1 = line.find('\t');
    auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos)
      return Error(ErrorCode::invalid_argument, both("MANIFEST hỏng", "MANIFEST is damaged") + ": " + line.substr(0, 200));
    Entry e{line.substr(0, t1), 0, line.substr(t2 + 1)};
    try {
      e.size = std::stoull(line.substr(t1 + 1, t2 - t1 - 1));
    } catch (...) {
      return Error(ErrorCode::invalid_argument, both("MANIFEST hỏng", "MANIFEST is damaged") + ": " + line.substr(0, 200));
    }
    fs::path rel(e.path);
    bool safe = !rel.empty() && rel.is_relative();
    for (const auto& part : rel)
      if (part == ".." || part == ".") safe = false;
    if (!safe || !(e.path == kDatabaseName || e.path.rfind(std::string(kFilesDir) + "/", 0) == 0))
      return Error(ErrorCode::invalid_argument, both("MANIFEST nêu một đường dẫn không hợp lệ", "MANIFEST names a bad path") +
                                                    ": " + e.path.substr(0, 200));
    entries.push_back(std::move(e));
  }
  if (entries.empty() || entries.front().path != kDatabaseName)
    return Error(ErrorCode::invalid_argument, both("MANIFEST không có cơ sở dữ liệu", "MANIFEST names no database"));
  return entries;
}

bool empty_or_missing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// The top-level entries of `data_dir` that a restore replaces: everything but hidden entries and
// the database's own files.
std::vector<fs::path> restorable_entries(const fs::path& data_dir, const fs::path& db) {
  std::vector<fs::path> out;
  std::error_code ec;
  auto own = database_files(db);
  for (const auto& e : fs::directory_iterator(data_dir, ec)) {
    if (hidden(e.path())) continue;
    auto p = absolute_clean(e.path().string());
    bool is_db = false;
    for (const auto& f : own) is_db = is_db || p == f;
    // The folder holding the database, when it lies below the data directory.
    if (!is_db && is_inside(db, p)) continue;
    if (!is_db) out.push_back(e.path());
  }
  return out;
}

}  // namespace

Result<DataDirLock> DataDirLock::acquire(const std::string& dir, Mode mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("không tạo được thư mục", "cannot create the directory", dir, ec.value());
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("không mở được thư mục", "cannot open the directory", dir);
  if (::flock(fd, (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return Error(ErrorCode::conflict,
                   mode == Mode::exclusive
                       ? both("một tiến trình hocvu (máy chủ) đang dùng thư mục dữ liệu " + dir + "; hãy dừng nó trước",
                              "a hocvu process (a server) is using the data directory " + dir + "; stop it first")
                       : both("thư mục dữ liệu " + dir + " đang được khôi phục", "the data directory " + dir +
                                                                                    " is being restored"));
    return io_error("không khóa được thư mục", "cannot lock the directory", dir, err);
  }
  return DataDirLock(fd);
}

DataDirLock& DataDirLock::operator=(DataDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<BackupReport> backup_sqlite(const std::string& db_path, const std::string& data_dir, const std::string& target_dir) {
  const fs::path db = absolute_clean(db_path);
  const fs::path data = absolute_clean(data_dir);
  const fs::path target = absolute_clean(target_dir);
  std::error_code ec;
  if (!fs::is_regular_file(db, ec))
    return Error(ErrorCode::not_found, both("không có cơ sở dữ liệu", "there is no database") + ": " + db.string());
  if (!empty_or_missing(target))
    return Error(ErrorCode::invalid_argument,
                 both("thư mục sao lưu phải trống hoặc chưa có", "the backup directory must be empty or missing") + ": " +
                     target.string());
  if (target == data || is_inside(data, target) || is_inside(target, data))
    return Error(ErrorCode::invalid_argument,
                 both("thư mục sao lưu phải nằm ngoài thư mục dữ liệu", "the backup directory must lie outside the data directory") +
                     ": " + target.string());
  fs::create_directories(target, ec);
  if (ec) return io_error("không tạo được thư mục", "cannot create the directory", target.string(), ec.value());

  BackupReport report;
  std::vector<Entry> entries;
  // The database first: media the snapshot names were written before it (uploads are stored before
  // the rows that name them), so copying the files afterwards finds them all.
  const fs::path db_tmp = target / ".hocvu.db.tmp";
  if (auto st = snapshot_database(db, db_tmp); !st.ok()) {
    fs::remove(db_tmp, ec);
    return st;
  }
  auto digest = copy_and_digest(db_tmp, {});
  if (!digest) return digest.status();
  fs::rename(db_tmp, target / kDatabaseName, ec);
  if (ec) return io_error("không đổi tên được", "cannot rename", db_tmp.string(), ec.value());
  digest->path = kDatabaseName;
  report.database_bytes = digest->size;
  entries.push_back(*digest);

  const auto own = database_files(db);
  std::set<fs::path> made_dirs;
  if (fs::is_directory(data, ec)) {
    for (auto it = fs::recursive_directory_iterator(data, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path p = it->path();
      std::error_code sec;
      const bool is_dir = it->is_directory(sec);
      if (hidden(p) || it->is_symlink(sec)) {
        if (is_dir) it.disable_recursion_pending();
        continue;
      }
      if (is_dir || !it->is_regular_file(sec)) continue;
      bool is_db = false;
      for (const auto& f : own) is_db = is_db || p == f;
      if (is_db) continue;
      const std::string rel = p.lexically_relative(data).generic_string();
      if (rel.find_first_of("\t\n\r") != std::string::npos)
        return Error(ErrorCode::invalid_argument,
                     both("tên tệp có ký tự điều khiển", "a file name holds a control character") + ": " + p.string());
      const fs::path out = target / kFilesDir / rel;
      fs::create_directories(out.parent_path(), sec);
      if (sec) return io_error("không tạo được thư mục", "cannot create the directory", out.parent_path().string(), sec.value());
      made_dirs.insert(out.parent_path());
      auto copied = copy_and_digest(p, out);
      if (!copied && copied.status().code() == ErrorCode::not_found) continue;  // removed while we copied
      if (!copied) return copied.status();
      copied->path = std::string(kFilesDir) + "/" + rel;
      ++report.files;
      report.file_bytes += copied->size;
      entries.push_back(*copied);
    }
    if (ec) return io_error("không đọc được thư mục", "cannot read the directory", data.string(), ec.value());
  }
  for (const auto& d : made_dirs)
    if (auto st = sync_path(d, true); !st.ok()) return st;
  if (auto st = write_manifest(target, entries); !st.ok()) return st;
  if (auto st = sync_path(target.parent_path(), true); !st.ok()) return st;
  return report;
}

Result<RestoreReport> restore_sqlite(const std::string& backup_dir, const std::string& db_path, const std::string& data_dir,
                                     bool force) {
  const fs::path source = absolute_clean(backup_dir);
  const fs::path db = absolute_clean(db_path);
  const fs::path data = absolute_clean(data_dir);
  std::error_code ec;

  // A restore with --force empties the data directory first: a backup inside it would go too.
  if (source == data || is_inside(source, data) || is_inside(data, source))
    return Error(ErrorCode::invalid_argument,
                 both("bản sao lưu phải nằm ngoài thư mục dữ liệu", "the backup must lie outside the data directory") + ": " +
                     source.string());

  // 1. The backup is whole: every file of MANIFEST with its size and digest.
  auto entries = read_manifest(source);
  if (!entries) return entries.status();
  for (const auto& e : *entries) {
    auto seen = copy_and_digest(source / e.path, {});
    if (!seen)
      return Error(ErrorCode::invalid_argument, both("bản sao lưu thiếu tệp", "the backup lacks a file") + ": " + e.path);
    if (seen->size != e.size || seen->digest != e.digest)
      return Error(ErrorCode::invalid_argument,
                   both("tệp trong bản sao lưu đã bị thay đổi hoặc hỏng", "a file of the backup was changed or is damaged") +
                       ": " + e.path);
  }

  // 2. No one else uses the target while we replace it.
  auto lock = DataDirLock::acquire(data.string(), DataDirLock::Mode::exclusive);
  if (!lock) return lock.status();
  if (!force) {
    bool has_db = fs::exists(db, ec) && fs::file_size(db, ec) > 0;
    if (has_db || !restorable_entries(data, db).empty())
      return Error(ErrorCode::conflict,
                   both("nơi khôi phục đã có dữ liệu (" + db.string() + ", " + data.string() +
                            "); thêm --force để ghi đè",
                        "the target already holds data (" + db.string() + ", " + data.string() +
                            "); add --force to overwrite it"));
  }

  // 3. Stage everything beside its final place, synced and checked, before touching anything.
  fs::create_directories(db.parent_path(), ec);
  if (ec) return io_error("không tạo được thư mục", "cannot create the directory", db.parent_path().string(), ec.value());
  const fs::path db_tmp = db.parent_path() / ("." + db.filename().string() + ".restoring");
  const fs::path staging = data / ".restoring";
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove(db_tmp, ignored);
    fs::remove_all(staging, ignored);
  };
  cleanup();
  RestoreReport report;
  for (const auto& e : *entries) {
    const bool is_db = e.path == kDatabaseName;
    const fs::path out = is_db ? db_tmp : staging / fs::path(e.path).lexically_relative(kFilesDir);
    fs::create_directories(out.parent_path(), ec);
    if (ec) { cleanup(); return io_error("không tạo được thư mục", "cannot create the directory", out.parent_path().string(), ec.value()); }
    auto copied = copy_and_digest(source / e.path, out);
    if (!copied) { cleanup(); return copied.status(); }
    if (copied->digest != e.digest) {
      cleanup();
      return Error(ErrorCode::invalid_argument,
                   both("tệp đổi trong khi khôi phục", "a file changed while it was restored") + ": " + e.path);
    }
    if (is_db) report.database_bytes = copied->size; else ++report.files;
  }
  if (auto st = check_integrity(db_tmp); !st.ok()) { cleanup(); return st; }
  // A check may leave a WAL beside the staged copy; it holds nothing (the check only read).
  for (const auto& f : database_files(db_tmp))
    if (f != db_tmp) fs::remove(f, ec);
  if (auto st = sync_path(db_tmp, false); !st.ok()) { cleanup(); return st; }

  // 4. The files: the old ones go (with --force), the staged ones are moved in.
  for (const auto& old : restorable_entries(data, db)) {
    fs::remove_all(old, ec);
    if (ec) { cleanup(); return io_error("không xóa được", "cannot remove", old.string(), ec.value()); }
  }
  if (fs::is_directory(staging, ec))
    for (const auto& e : fs::directory_iterator(staging, ec)) {
      std::error_code rec;
      fs::rename(e.path(), data / e.path().filename(), rec);
      if (rec) { cleanup(); return io_error("không đổi tên được", "cannot rename", e.path().string(), rec.value()); }
    }
  fs::remove_all(staging, ec);
  if (auto st = sync_path(data, true); !st.ok()) return st;

  // 5. The database last, in one rename. An old WAL must go first: SQLite would replay it onto the
  // restored file.
  for (const auto& f : database_files(db)) {
    if (f == db) continue;
    fs::remove(f, ec);
    if (ec) { cleanup(); return io_error("không xóa được", "cannot remove", f.string(), ec.value()); }
  }
  fs::rename(db_tmp, db, ec);
  if (ec) { cleanup(); return io_error("không đổi tên được", "cannot rename", db_tmp.string(), ec.value()); }
  if (auto st = sync_path(db.parent_path(), true); !st.ok()) return st;
  return report;
}

}  // namespace hocvu::storage
