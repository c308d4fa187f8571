//! Wakes a thread sleeping in `poll(2)`: a non-blocking pipe whose read end
//! is in the sleeper's poll set. Wake-ups coalesce: while one is pending,
//! further `wake()` calls cost an atomic load and no syscall.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Waker {
    read_fd: i32,
    write_fd: i32,
    pending: AtomicBool,
}

impl Waker {
    pub fn new() -> io::Result<Waker> {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe2 writes.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Waker {
            read_fd: fds[0],
            write_fd: fds[1],
            pending: AtomicBool::new(false),
        })
    }

    pub fn wake(&self) {
        if !self.pending.swap(true, Ordering::AcqRel) {
            let byte = 1u8;
            // SAFETY: writing one byte from a valid buffer to our own pipe. A
            // full pipe (EAGAIN) already guarantees a pending wake-up.
            unsafe { libc::write(self.write_fd, &byte as *const u8 as *const libc::c_void, 1) };
        }
    }

    /// The descriptor to poll for POLLIN.
    pub fn fd(&self) -> i32 {
        self.read_fd
    }

    /// Consumes pending wake-ups; call after poll reports the fd readable.
    pub fn reset(&self) {
        self.pending.store(false, Ordering::Release);
        let mut buf = [0u8; 64];
        // SAFETY: reading into a local buffer from our own non-blocking pipe.
        while unsafe {
            libc::read(
                self.read_fd,
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
            )
        } > 0
        {}
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        // SAFETY: both descriptors are owned by this Waker and closed once.
        unsafe {
            libc::close(self.read_fd);
            libc::close(self.write_fd);
        }
    }
}

/// `poll(2)` on up to a few descriptors; returns the revents per entry.
pub fn poll_fds(fds: &mut [libc::pollfd], timeout_ms: i32) -> io::Result<usize> {
    // SAFETY: `fds` is a valid, exclusively borrowed array of pollfd.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
    if n < 0 {
        let err = io::Error::last_os_error();
        if err.kind() == io::ErrorKind::Interrupted {
            return Ok(0);
        }
        return Err(err);
    }
    Ok(n as usize)
}
