package io.duetdb.storage.io;

/** Human-readable names for the errno values a WAL meets (Linux numbering). */
final class Errno {
    private Errno() {
    }

    static String describe(final int errno) {
        switch (errno) {
            case 1: return "EPERM (operation not permitted)";
            case 2: return "ENOENT (no such file or directory)";
            case 4: return "EINTR (interrupted)";
            case 5: return "EIO (input/output error: the device reported a failure)";
            case 9: return "EBADF (bad file descriptor)";
            case 11: return "EAGAIN (resource temporarily unavailable)";
            case 12: return "ENOMEM (out of kernel memory)";
            case 13: return "EACCES (permission denied)";
            case 22: return "EINVAL (invalid argument)";
            case 24: return "EMFILE (too many open files)";
            case 27: return "EFBIG (file too large)";
            case 28: return "ENOSPC (no space left on device)";
            case 30: return "EROFS (read-only file system)";
            case 122: return "EDQUOT (disk quota exceeded)";
            case 125: return "ECANCELED (operation canceled)";
            default: return "errno " + errno;
        }
    }
}
