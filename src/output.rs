//! Writing outputs so that nothing is ever half-written or half-replaced.
//!
//! - One file ([`write_atomic`]): written to a temporary file in its
//!   directory, synced, renamed into place: a reader sees the old file or
//!   the new one, never a part.
//! - The files of one run ([`write_all`], an xlsx and its PDF, say): every
//!   file is first written in full to a temporary file; only then is a
//!   journal (`.shiryo-pending`) listing the renames written, the files
//!   renamed into place and the journal removed. On a full disk no file
//!   is replaced. A run killed between two renames leaves the journal: the
//!   next run that writes into the directory finishes those renames first,
//!   so a mixed pair never outlives the next run. Temporary files of killed
//!   runs are removed then too. Runs writing into the same directory take
//!   turns (a lock on `.shiryo.lock`).
//! - The data file ([`replace_store`]): under the caller's [`StoreLock`],
//!   the file the user named is updated where it really is (a symlink stays
//!   a symlink), with its permissions; a read-only file is refused; the
//!   previous version is kept as `NAME.bak` beside it.

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The journal of a set of renames in progress.
pub const JOURNAL: &str = ".shiryo-pending";
/// The lock file of an output directory.
pub const DIR_LOCK: &str = ".shiryo.lock";

/// The directory of a path (`.` for a bare file name).
fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new temporary file in `dir` holding `bytes`, synced.
fn temp_with(dir: &Path, bytes: &[u8], name: &Path) -> Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".shiryo-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| crate::lang::tr!("cannot create a file in {path}", path = dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| crate::lang::tr!("cannot write {path}", path = name.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| crate::lang::tr!("cannot write {path}", path = name.display()))?;
    Ok(tmp)
}

#[cfg(unix)]
fn set_mode(f: &File, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = f.set_permissions(std::fs::Permissions::from_mode(mode));
}

/// Writes `bytes` to `path` atomically (temporary file + rename in the same
/// directory), so a reader sees the old file or the new one, never a part.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.txt");
/// shiryo::output::write_atomic(&p, b"hello").unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"hello");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_with(dir_of(path), bytes, path)?;
    #[cfg(unix)]
    set_mode(tmp.as_file(), 0o644);
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| crate::lang::tr!("cannot replace {path}", path = path.display()))?;
    Ok(())
}

/// An exclusive lock on a lock file, released when dropped.
#[derive(Debug)]
pub struct Lock {
    /// The open lock file (the lock lives as long as it is open).
    _file: File,
}

/// Takes the lock of `lock_path`, waiting for another holder; `waiting` is
/// printed on stderr when it has to wait.
fn lock_file(lock_path: &Path, waiting: &str) -> Result<Lock> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .with_context(|| crate::lang::tr!("cannot open the lock file {path}", path = lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("{waiting}");
            file.lock()
                .with_context(|| crate::lang::tr!("cannot lock {path}", path = lock_path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| crate::lang::tr!("cannot lock {path}", path = lock_path.display()));
        }
    }
    Ok(Lock { _file: file })
}

/// Finishes the renames a killed run left in `dir` and removes the
/// temporary files of killed runs. Call it holding the directory's lock.
fn recover(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL);
    if let Ok(text) = std::fs::read_to_string(&journal) {
        for line in text.lines() {
            let Some((tmp, target)) = line.split_once('\t') else {
                continue;
            };
            // Only plain names inside the directory.
            if [tmp, target].iter().any(|n| n.contains(['/', '\\']) || n.is_empty()) {
                continue;
            }
            let (tmp, target) = (dir.join(tmp), dir.join(target));
            if tmp.exists() {
                std::fs::rename(&tmp, &target)
                    .with_context(|| crate::lang::tr!("cannot finish replacing {path}", path = target.display()))?;
            }
        }
        std::fs::remove_file(&journal)
            .with_context(|| crate::lang::tr!("cannot remove {path}", path = journal.display()))?;
    }
    for e in std::fs::read_dir(dir).with_context(|| crate::lang::tr!("cannot read {path}", path = dir.display()))? {
        let Ok(e) = e else { continue };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".shiryo-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}

/// Writes a set of files into `dir` as a whole: all of them are replaced,
/// or none is. Returns the paths written.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let files = vec![("a.xlsx".to_string(), b"A".to_vec()), ("a.pdf".to_string(), b"P".to_vec())];
/// let paths = shiryo::output::write_all(dir.path(), &files).unwrap();
/// assert_eq!(std::fs::read(&paths[1]).unwrap(), b"P");
/// assert!(!dir.path().join(shiryo::output::JOURNAL).exists());
/// ```
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| crate::lang::tr!("cannot create the output directory {path}", path = dir.display()))?;
    let _lock = lock_file(
        &dir.join(DIR_LOCK),
        &crate::lang::tr!(
            "waiting for another shiryo run writing into {path} …",
            path = dir.display()
        ),
    )?;
    recover(dir)?;
    // Every file in full first: a full disk stops here, nothing replaced.
    let mut temps = Vec::new();
    for (name, bytes) in files {
        let tmp = temp_with(dir, bytes, &dir.join(name))?;
        #[cfg(unix)]
        set_mode(tmp.as_file(), 0o644);
        // Kept on disk past this function: the journal names it.
        let (_, path) = tmp
            .keep()
            .with_context(|| crate::lang::tr!("cannot keep a temporary file"))?;
        temps.push((path, dir.join(name)));
    }
    let journal: String = temps
        .iter()
        .map(|(t, f)| {
            format!(
                "{}\t{}\n",
                t.file_name().unwrap_or_default().to_string_lossy(),
                f.file_name().unwrap_or_default().to_string_lossy()
            )
        })
        .collect();
    if let Err(e) = write_atomic(&dir.join(JOURNAL), journal.as_bytes()) {
        for (t, _) in &temps {
            let _ = std::fs::remove_file(t);
        }
        return Err(e);
    }
    for (tmp, target) in &temps {
        std::fs::rename(tmp, target)
            .with_context(|| crate::lang::tr!("cannot replace {path}", path = target.display()))?;
    }
    sync_dir(dir);
    std::fs::remove_file(dir.join(JOURNAL))
        .with_context(|| crate::lang::tr!("cannot remove {file} in {path}", file = JOURNAL, path = dir.display()))?;
    Ok(temps.into_iter().map(|(_, f)| f).collect())
}

/// Syncs a directory's entries (renames) to disk where the system allows.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The one writer of a data file: held from reading it to writing it back.
#[derive(Debug)]
pub struct StoreLock {
    /// The lock.
    _lock: Lock,
    /// The file the data really is (symlinks resolved).
    real: PathBuf,
}

impl StoreLock {
    /// Takes the lock of the data file `path`, waiting (with a message on
    /// stderr) while another run holds it. The lock file is `.NAME.lock`
    /// beside the file the data really is.
    pub fn take(path: &Path) -> Result<StoreLock> {
        let real = std::fs::canonicalize(path)
            .with_context(|| crate::lang::tr!("cannot find the data file {path}", path = path.display()))?;
        let name = real.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let lock_path = dir_of(&real).join(format!(".{name}.lock"));
        let lock = lock_file(
            &lock_path,
            &crate::lang::tr!(
                "waiting for another shiryo run updating {path} to finish …",
                path = path.display()
            ),
        )?;
        Ok(StoreLock { _lock: lock, real })
    }
}

/// The backup of the previous version of a data file: `NAME.bak` beside it.
pub fn backup_path(real: &Path) -> PathBuf {
    let mut name = real.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    real.with_file_name(name)
}

/// Replaces the content of the data file held by `lock` with `bytes`:
/// where the file really is (through symlinks), keeping its permissions,
/// after keeping its previous content as `NAME.bak`. A read-only file is
/// refused. Returns the backup's path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("plan.json");
/// std::fs::write(&p, b"old").unwrap();
/// let lock = shiryo::output::StoreLock::take(&p).unwrap();
/// let bak = shiryo::output::replace_store(&lock, b"new").unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"new");
/// assert_eq!(std::fs::read(bak).unwrap(), b"old");
/// ```
pub fn replace_store(lock: &StoreLock, bytes: &[u8]) -> Result<PathBuf> {
    let real = &lock.real;
    let meta =
        std::fs::metadata(real).with_context(|| crate::lang::tr!("cannot read {path}", path = real.display()))?;
    if meta.permissions().readonly() {
        bail!(
            "{}",
            crate::lang::tr!(
                "{path} is read-only: nothing was written (make it writable to import into it)",
                path = real.display()
            )
        );
    }
    let old = std::fs::read(real).with_context(|| crate::lang::tr!("cannot read {path}", path = real.display()))?;
    let backup = backup_path(real);
    write_atomic(&backup, &old)?;
    let tmp = temp_with(dir_of(real), bytes, real)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .with_context(|| crate::lang::tr!("cannot give the new {path} its permissions", path = real.display()))?;
    tmp.persist(real)
        .map_err(|e| e.error)
        .with_context(|| crate::lang::tr!("cannot replace {path}", path = real.display()))?;
    sync_dir(dir_of(real));
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_run_is_finished_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.pdf"), b"old pdf").unwrap();
        std::fs::write(d.join("a.xlsx"), b"new xlsx").unwrap();
        // The run was killed after renaming the xlsx: its PDF still waits.
        std::fs::write(d.join(".shiryo-x1.tmp"), b"new pdf").unwrap();
        std::fs::write(d.join(JOURNAL), ".shiryo-x0.tmp\ta.xlsx\n.shiryo-x1.tmp\ta.pdf\n").unwrap();
        std::fs::write(d.join(".shiryo-stale.tmp"), b"left by another kill").unwrap();
        write_all(d, &[("b.txt".into(), b"b".to_vec())]).unwrap();
        assert_eq!(std::fs::read(d.join("a.pdf")).unwrap(), b"new pdf");
        assert_eq!(std::fs::read(d.join("a.xlsx")).unwrap(), b"new xlsx");
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [DIR_LOCK, "a.pdf", "a.xlsx", "b.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_store_stays_a_link_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let lock = StoreLock::take(&link).unwrap();
        replace_store(&lock, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(dir.path().join("real.json.bak")).unwrap(), b"old");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_store_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        let lock = StoreLock::take(&p).unwrap();
        let e = replace_store(&lock, b"new").unwrap_err().to_string();
        assert!(e.contains("read-only"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }
}
