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

    /// Consumes pending wake-ups; call after poll reports the fd readable,
    /// and look for work afterwards.
    ///
    /// The pipe is drained *before* `pending` is cleared. The other order
    /// loses every later wake-up: a `wake()` between the clear and the
    /// drain writes a byte the drain then eats, leaving `pending` set with
    /// an empty pipe, so each following `wake()` skips its write and the
    /// sleeper only wakes at its poll cap (issue 16: a p99 of ~1 s). In
    /// this order a `wake()` during the drain finds `pending` still set and
    /// writes nothing, which is fine: the caller looks for work after this
    /// returns, and the swap below (acquire) makes that work visible.
    pub fn reset(&self) {
        self.reset_with(|| {});
    }

    /// [`Waker::reset`] with `between` run after the drain and before the
    /// clear: lets tests put a `wake()` at that point.
    fn reset_with(&self, between: impl FnOnce()) {
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
        between();
        self.pending.swap(false, Ordering::AcqRel);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn readable(waker: &Waker) -> bool {
        let mut fds = [libc::pollfd {
            fd: waker.fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        poll_fds(&mut fds, 0).expect("poll") == 1
    }

    /// The protocol's invariant: whenever `pending` is set, a byte is in
    /// the pipe, so a wake-up that skips its write is never lost.
    fn assert_pending_implies_readable(waker: &Waker, when: &str) {
        if waker.pending.load(Ordering::Acquire) {
            assert!(
                readable(waker),
                "{when}: a wake-up is pending but poll would sleep"
            );
        }
    }

    /// A name and a way to run `reset` with a second `wake()` somewhere.
    type Interleaving = (&'static str, fn(&Waker));

    #[test]
    fn a_wake_up_racing_with_reset_is_never_lost() {
        let waker = Waker::new().expect("pipe");
        // A wake-up the sleeper is consuming, and a second one arriving
        // while it does: before the drain, between drain and clear, after.
        let points: [Interleaving; 3] = [
            ("wake before reset", |w| {
                w.wake();
                w.reset_with(|| {});
            }),
            ("wake during reset", |w| w.reset_with(|| w.wake())),
            ("wake after reset", |w| {
                w.reset_with(|| {});
                w.wake();
            }),
        ];
        for (when, run) in points {
            waker.wake();
            assert!(readable(&waker));
            run(&waker);
            assert_pending_implies_readable(&waker, when);
            // Whatever the interleaving, the next wake-up reaches poll.
            waker.wake();
            assert!(readable(&waker), "{when}: the next wake-up was lost");
            waker.reset();
            assert!(!readable(&waker) && !waker.pending.load(Ordering::Acquire));
        }
    }
}
