// Backing up and restoring an installation that runs on SQLite: the database file and the data
// directory's files (uploaded media). PostgreSQL is backed up with its own tools, pg_dump or
// pg_basebackup (docs/operations.md).
//
// A backup is a directory:
//   hocvu.db     one consistent snapshot of the database, taken while servers go on writing
//   files/...    every file of the data directory except the database's own files
//   MANIFEST     written last: "hocvu-backup 1", then one line per file: SHA-256, size, path.
// A directory without MANIFEST is an unfinished backup, and restore refuses it.
//
// Messages are in Vietnamese, then English, as the command prints them.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <string>

namespace hocvu::storage {

struct BackupReport {
  std::uint64_t database_bytes = 0;
  std::size_t files = 0;             // files copied from the data directory
  std::uint64_t file_bytes = 0;
};

// Copies the SQLite database at `db_path` with SQLite's online backup API in one step, which reads
// one snapshot while other connections and processes go on writing (WAL readers block no one), and
// checks the copy (PRAGMA integrity_check); then copies the regular files below `data_dir`, except
// hidden ones (temporary uploads), symbolic links and the database's own files, so media uploaded
// after the snapshot may be included and media the snapshot names are there. `target_dir` must be
// missing or empty, and outside `data_dir`. Every file is synced before MANIFEST is written.
// invalid_argument for a bad target, not_found when there is no database, unavailable for I/O errors.
Result<BackupReport> backup_sqlite(const std::string& db_path, const std::string& data_dir,
                                   const std::string& target_dir);

struct RestoreReport {
  std::uint64_t database_bytes = 0;
  std::size_t files = 0;
};

// Puts the backup in `backup_dir` back as the database `db_path` and the files of `data_dir`.
// Refuses, changing nothing: a backup inside `data_dir` (invalid_argument); an incomplete or damaged backup (MANIFEST missing, a size or digest
// differing, integrity_check failing: invalid_argument); a data directory that a running `hocvu`
// holds (see DataDirLock: conflict); a target that already has a database or files, unless `force`
// (conflict). The database is copied to a temporary file beside `db_path`, synced and checked, and
// renamed over it last, after any old WAL is removed, so the database is either the old one or the
// backup's, never half of each. The files are staged in a hidden folder of `data_dir` and moved in
// by rename; with `force` the old files are removed first.
Result<RestoreReport> restore_sqlite(const std::string& backup_dir, const std::string& db_path,
                                     const std::string& data_dir, bool force);

// An advisory lock (flock) on the data directory. Every `hocvu` command that opens the database
// holds it shared for its lifetime, so several servers may share a directory; restore takes it
// exclusively and fails at once while any of them runs. Released when the object is destroyed or the
// process ends, however it ends.
class DataDirLock {
 public:
  enum class Mode { shared, exclusive };
  // Creates the directory when missing. conflict when another process holds an incompatible lock.
  static Result<DataDirLock> acquire(const std::string& dir, Mode mode);
  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace hocvu::storage
