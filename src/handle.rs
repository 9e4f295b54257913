//! A shared, hot-swappable detector for long-running services.

use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use crate::detector::Detector;
use crate::error::Error;
use crate::report::Report;

/// A detector shared by every thread of a service, whose rules can be replaced while it serves scans.
///
/// Scans take a cheap clone of the current [`Detector`] (its compiled rules are reference-counted) and run without
/// holding any lock, so a reload never waits for scans and scans never wait for a rule pack to compile: the new
/// detector is built first, then swapped in at once. A scan that started before the swap finishes with the old
/// rules; every scan that starts after it uses the new ones. A load that fails (unreadable directory, invalid
/// rule file) leaves the running detector untouched and returns the error.
///
/// `DetectorHandle` is `Send + Sync`: put it in an `Arc` (or a `static`) and share it.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use redflag::{Detector, DetectorHandle, Risk};
///
/// let handle = Arc::new(DetectorHandle::new(Detector::new()));
/// let worker = {
///     let handle = Arc::clone(&handle);
///     std::thread::spawn(move || handle.scan("please send the deposit by Western Union").risk())
/// };
///
/// // Meanwhile, load a rule pack: the built-in rules plus every `*.toml` in the directory.
/// let dir = std::env::temp_dir().join(format!("redflag-handle-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("gift_cards.toml"), r#"
/// [[rule]]
/// id = "off_platform_payment.gift_cards"
/// category = "off_platform_payment"
/// severity = "high"
/// keywords = ["gift cards"]
/// pattern = '''(?:pay|send)\s.{0,30}gift\s*cards'''
/// examples.match = ["send me steam gift cards"]
/// examples.ignore = ["gift cards are sold here"]
/// "#)?;
/// handle.reload_dir(&dir)?;
/// assert_eq!(worker.join().unwrap(), Risk::High);
/// assert!(handle.scan("pay the balance in iTunes gift cards").is_alert());
///
/// // A broken pack is refused; the rules above stay in service.
/// std::fs::write(dir.join("broken.toml"), "[[rule]]\nid = 1")?;
/// assert!(handle.reload_dir(&dir).is_err());
/// assert!(handle.scan("pay the balance in iTunes gift cards").is_alert());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct DetectorHandle {
    current: RwLock<Detector>,
}

impl DetectorHandle {
    /// A handle serving `detector`.
    ///
    /// # Example
    ///
    /// ```
    /// let handle = redflag::DetectorHandle::new(redflag::Detector::new());
    /// assert!(handle.scan("hello").findings().is_empty());
    /// ```
    pub fn new(detector: Detector) -> DetectorHandle {
        DetectorHandle {
            current: RwLock::new(detector),
        }
    }

    /// The detector in service now (a cheap clone: the compiled rules are shared). Keep it to scan several
    /// messages, or a whole [`Conversation`](crate::Conversation), with one consistent rule set.
    ///
    /// # Example
    ///
    /// ```
    /// let handle = redflag::DetectorHandle::new(redflag::Detector::new());
    /// let mut convo = handle.current().conversation();
    /// convo.push(redflag::Role::Seller, "add my wechat lily_8899 please");
    /// assert_eq!(convo.messages(), 1);
    /// ```
    pub fn current(&self) -> Detector {
        // The lock only guards a clone or an assignment, which cannot panic halfway: a poisoned lock still holds
        // a whole detector.
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Scans `text` with the detector in service ([`Detector::scan`]).
    ///
    /// # Example
    ///
    /// ```
    /// let handle = redflag::DetectorHandle::new(redflag::Detector::new());
    /// assert!(handle.scan("不开票的话直接打我私人账户，再便宜3个点").is_alert());
    /// ```
    pub fn scan(&self, text: &str) -> Report {
        self.current().scan(text)
    }

    /// Like [`DetectorHandle::scan`], with the suppressed candidates ([`Detector::explain`]).
    ///
    /// # Example
    ///
    /// ```
    /// let handle = redflag::DetectorHandle::new(redflag::Detector::new());
    /// assert!(!handle.explain("never pay to a personal account").suppressed().is_empty());
    /// ```
    pub fn explain(&self, text: &str) -> Report {
        self.current().explain(text)
    }

    /// Puts `detector` in service; returns the one it replaces.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::{Detector, DetectorHandle};
    ///
    /// let handle = DetectorHandle::new(Detector::new());
    /// let empty = Detector::builder().builtin_rules(false).build()?;
    /// handle.replace(empty);
    /// assert!(handle.scan("pay to my personal account").findings().is_empty());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn replace(&self, detector: Detector) -> Detector {
        let mut guard = self.current.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *guard, detector)
    }

    /// Builds a detector from the built-in rules plus every `*.toml` file directly in `dir` (in file-name order;
    /// a rule with the id of an earlier one replaces it) and, only if it builds, puts it in service.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the directory or a file cannot be read, otherwise the rule file's error (which names the
    /// file, line and rule). The detector in service is then left as it was.
    ///
    /// # Example
    ///
    /// ```
    /// let handle = redflag::DetectorHandle::new(redflag::Detector::new());
    /// assert!(handle.reload_dir("no/such/directory").is_err());
    /// assert!(handle.scan("pay to my personal account").is_alert());
    /// ```
    pub fn reload_dir(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let detector = load_dir(dir.as_ref())?;
        self.replace(detector);
        Ok(())
    }
}

impl From<Detector> for DetectorHandle {
    fn from(detector: Detector) -> DetectorHandle {
        DetectorHandle::new(detector)
    }
}

/// The built-in rules plus every `*.toml` directly in `dir`.
fn load_dir(dir: &Path) -> Result<Detector, Error> {
    let io = |source: std::io::Error| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut builder = Detector::builder();
    for f in &files {
        builder = builder.add_rules_file(f)?;
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    const GIFT_CARDS: &str = r#"
[[rule]]
id = "off_platform_payment.zorkmids"
category = "off_platform_payment"
severity = "high"
keywords = ["zorkmids"]
pattern = '''(?:pay|send)\s.{0,30}zorkmids'''
examples.match = ["send me the zorkmids"]
examples.ignore = ["zorkmids are sold here"]
"#;

    const GIFT: &str = "pay the balance in zorkmids";

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redflag-handle-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn handle_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<DetectorHandle>();
    }

    #[test]
    fn concurrent_scans_while_reloading() {
        let dir = temp_dir("concurrent");
        std::fs::write(dir.join("gift_cards.toml"), GIFT_CARDS).unwrap();
        let handle = Arc::new(DetectorHandle::new(Detector::new()));
        assert!(handle.scan(GIFT).findings().is_empty());
        let done = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (handle, done) = (Arc::clone(&handle), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut scans = 0;
                    while !done.load(Ordering::Relaxed) || scans < 10 {
                        // Built-in rules are in every detector that is ever in service.
                        assert!(handle.scan("please pay to my personal account").is_alert());
                        // The custom rule is either there or not, never half there.
                        let r = handle.scan(GIFT);
                        assert!(r.findings().is_empty() || r.is_alert());
                        scans += 1;
                        // Leave the CPU to the reloads (test machines may have few cores).
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    scans
                })
            })
            .collect();
        handle.reload_dir(&dir).unwrap();
        assert!(handle.scan(GIFT).is_alert());
        let with_gift_cards = handle.replace(Detector::new());
        assert!(handle.scan(GIFT).findings().is_empty());
        handle.replace(with_gift_cards);
        done.store(true, Ordering::Relaxed);
        for w in workers {
            assert!(w.join().unwrap() >= 10);
        }
        assert!(handle.scan(GIFT).is_alert());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_reload_keeps_the_old_rules() {
        let dir = temp_dir("failed");
        std::fs::write(dir.join("a_gift_cards.toml"), GIFT_CARDS).unwrap();
        let handle = DetectorHandle::new(Detector::new());
        handle.reload_dir(&dir).unwrap();
        assert!(handle.scan(GIFT).is_alert());

        std::fs::write(dir.join("b_broken.toml"), "[[rule]]\nid = 1\n").unwrap();
        let err = handle.reload_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("b_broken.toml"), "{err}");
        assert!(handle.scan(GIFT).is_alert(), "the old rules stay in service");

        let missing = dir.join("missing");
        assert!(matches!(handle.reload_dir(&missing), Err(Error::Io { .. })));
        assert!(handle.scan(GIFT).is_alert());

        // Files that are not `*.toml` are ignored.
        std::fs::remove_file(dir.join("b_broken.toml")).unwrap();
        std::fs::write(dir.join("notes.txt"), "not a rule file").unwrap();
        handle.reload_dir(&dir).unwrap();
        assert!(handle.scan(GIFT).is_alert());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
