//! Is the file on a network filesystem? SQLite's locks are not reliable across machines on
//! NFS, SMB/CIFS and the like: two computers writing one file there can corrupt it. The
//! program cannot prevent that, but it can say so when it opens the file.

use std::path::Path;

/// A filesystem that may span several machines, as `statfs` names it on Linux.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkFs {
    /// The filesystem's usual name (`NFS`, `SMB/CIFS`, …).
    pub name: &'static str,
    /// `false` for FUSE, which may be local (ntfs-3g) as well as remote (sshfs, rclone).
    pub certain: bool,
}

/// `f_type` magic numbers from Linux's `include/uapi/linux/magic.h` (and the cluster
/// filesystems' own headers), as 32-bit values.
const KNOWN: &[(u32, &str, bool)] = &[
    (0x0000_6969, "NFS", true),
    (0x0000_517B, "SMB", true),
    (0xFF53_4D42, "SMB/CIFS", true),
    (0xFE53_4D42, "SMB2/SMB3", true),
    (0x0000_564C, "NCP", true),
    (0x7375_7245, "Coda", true),
    (0x5346_414F, "AFS", true),
    (0x6B41_4653, "AFS", true),
    (0x0102_1997, "9P", true),
    (0x00C3_6400, "CephFS", true),
    (0x0116_1970, "GFS2", true),
    (0x7461_636F, "OCFS2", true),
    (0x0BD0_0BD0, "Lustre", true),
    (0x4750_4653, "GPFS", true),
    (0x2003_0528, "OrangeFS", true),
    (0x6573_5546, "FUSE", false),
];

/// What a `statfs` `f_type` says about the filesystem: `None` for a local one.
pub fn classify(f_type: u32) -> Option<NetworkFs> {
    KNOWN
        .iter()
        .find(|(magic, _, _)| *magic == f_type)
        .map(|&(_, name, certain)| NetworkFs { name, certain })
}

/// The network filesystem that holds `path`, if any. Any failure to tell reads as local: the
/// warning is advice, never a reason to refuse the file.
#[cfg(target_os = "linux")]
pub fn detect(path: &Path) -> Option<NetworkFs> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut info = std::mem::MaybeUninit::<libc::statfs>::zeroed();
    // SAFETY: `c_path` is a NUL-terminated string and `info` is a writable statfs buffer that
    // lives across the call; it is read only when the call reports success.
    let status = unsafe { libc::statfs(c_path.as_ptr(), info.as_mut_ptr()) };
    if status != 0 {
        return None;
    }
    // SAFETY: statfs returned 0, so it filled the buffer.
    let info = unsafe { info.assume_init() };
    // `f_type` is signed on some targets and 64 bits wide on others; the magic numbers are 32 bits.
    #[allow(clippy::unnecessary_cast)]
    let f_type = (info.f_type as u64 & 0xFFFF_FFFF) as u32;
    classify(f_type)
}

#[cfg(not(target_os = "linux"))]
pub fn detect(_path: &Path) -> Option<NetworkFs> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_filesystems_are_named_and_local_ones_are_not() {
        let named = |magic| classify(magic).map(|fs| (fs.name, fs.certain));
        assert_eq!(named(0x6969), Some(("NFS", true)));
        assert_eq!(named(0x517B), Some(("SMB", true)));
        assert_eq!(named(0xFF53_4D42), Some(("SMB/CIFS", true)));
        assert_eq!(named(0xFE53_4D42), Some(("SMB2/SMB3", true)));
        assert_eq!(named(0x0102_1997), Some(("9P", true)));
        assert_eq!(named(0x7375_7245), Some(("Coda", true)));
        assert_eq!(named(0x5346_414F), Some(("AFS", true)));
        assert_eq!(named(0x00C3_6400), Some(("CephFS", true)));
        // sshfs and rclone are FUSE, but so is ntfs-3g: only "may be".
        assert_eq!(named(0x6573_5546), Some(("FUSE", false)));
        // ext4, xfs, btrfs, tmpfs, overlayfs, zfs.
        for local in [
            0xEF53,
            0x5846_5342,
            0x9123_683E,
            0x0102_1994,
            0x794C_7630,
            0x2FC1_2FC1,
        ] {
            assert_eq!(classify(local), None, "{local:#x}");
        }
    }

    #[test]
    fn detection_never_fails_the_open() {
        // Whatever the temporary folder is on, asking is harmless; a missing path reads as local.
        let _ = detect(&std::env::temp_dir());
        assert_eq!(detect(Path::new("/no/such/path/gongjian")), None);
        assert_eq!(detect(Path::new("nul\0byte")), None);
    }
}
