//! The stack Cairo Native code executes on. Native code recurses on the machine stack (a Sierra
//! loop is a recursive function), as deep as a transaction's gas lets it go, so every native
//! execution runs on a stack of [`NATIVE_STACK_BYTES`]: a mapping reserved once per thread and
//! reused by the thread's next execution (a fresh mapping per execution, as `stacker::grow`
//! makes, cost a `mmap`, a `munmap` and the TLB shoot-downs of the pages it touched, every
//! transaction). The mapping is committed only as it is used, and after each execution all but
//! its top [`KEPT_BYTES`] are given back to the kernel, so a deep recursion once does not keep its
//! memory. A guard page below it turns an overflow into a fault, as on any thread's stack.
//!
//! The one module of the executor with `unsafe` code: the mapping (`mmap`, `mprotect`,
//! `madvise`, `munmap`) and the switch to it (`psm::on_stack`), each with its reason.
#![allow(unsafe_code)]
use std::{
	cell::RefCell,
	panic::{catch_unwind, resume_unwind, AssertUnwindSafe},
	ptr,
};

/// The stack native code executes on (reserved, committed only as used).
pub const NATIVE_STACK_BYTES: usize = 1 << 30;
/// What stays committed of a thread's native stack between executions (its top: a shallow
/// execution touches only that).
const KEPT_BYTES: usize = 8 << 20;
/// The guard below the stack.
const GUARD_BYTES: usize = 64 << 10;

/// A thread's native stack: `GUARD_BYTES` of guard, then the stack (growing down from its end).
struct Stack {
	mapping: *mut libc::c_void,
}

impl Stack {
	fn new() -> Option<Stack> {
		// SAFETY: a fresh anonymous mapping; nothing else refers to it.
		unsafe {
			let mapping = libc::mmap(
				ptr::null_mut(),
				GUARD_BYTES + NATIVE_STACK_BYTES,
				libc::PROT_READ | libc::PROT_WRITE,
				libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
				-1,
				0,
			);
			if mapping == libc::MAP_FAILED {
				return None;
			}
			if libc::mprotect(mapping, GUARD_BYTES, libc::PROT_NONE) != 0 {
				libc::munmap(mapping, GUARD_BYTES + NATIVE_STACK_BYTES);
				return None;
			}
			Some(Stack { mapping })
		}
	}

	/// The lowest address of the stack proper.
	fn base(&self) -> *mut u8 {
		// SAFETY: within the mapping.
		unsafe { self.mapping.cast::<u8>().add(GUARD_BYTES) }
	}

	/// Gives the pages below the top `KEPT_BYTES` back to the kernel (they read as zero when
	/// touched again). Nearly free when a shallow execution never touched them.
	fn trim(&self) {
		// SAFETY: the range is within the mapping, which no execution is using now.
		unsafe {
			libc::madvise(self.base().cast(), NATIVE_STACK_BYTES - KEPT_BYTES, libc::MADV_DONTNEED);
		}
	}
}

impl Drop for Stack {
	fn drop(&mut self) {
		// SAFETY: the mapping is this value's, and no execution is using it.
		unsafe {
			libc::munmap(self.mapping, GUARD_BYTES + NATIVE_STACK_BYTES);
		}
	}
}

thread_local! {
	/// This thread's native stack while no execution uses it.
	static SPARE: RefCell<Option<Stack>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's native stack (a new one when it is in use, by an execution this
/// one is nested in). A panic in `f` unwinds to the caller, on the caller's stack.
pub fn on_native_stack<R>(f: impl FnOnce() -> R) -> R {
	let stack = SPARE.with(|spare| spare.borrow_mut().take()).or_else(Stack::new);
	let Some(stack) = stack else {
		// No mapping to be had: stacker's own, made for this execution alone.
		return stacker::grow(NATIVE_STACK_BYTES, f);
	};
	// SAFETY: the stack is this thread's alone (taken out of its slot), page-aligned, its size
	// a multiple of the page size; the callback does not unwind (the panic is caught and
	// resumed after the switch back).
	let result = unsafe {
		psm::on_stack(stack.base(), NATIVE_STACK_BYTES, || catch_unwind(AssertUnwindSafe(f)))
	};
	stack.trim();
	SPARE.with(|spare| *spare.borrow_mut() = Some(stack));
	result.unwrap_or_else(|panic| resume_unwind(panic))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A recursion `depth` deep with `frame` bytes of live locals per level.
	fn recurse(depth: usize) -> u64 {
		let frame = [depth as u8; 512];
		if depth == 0 {
			return u64::from(frame[0]);
		}
		std::hint::black_box(&frame);
		recurse(depth - 1) + u64::from(std::hint::black_box(frame)[7])
	}

	#[test]
	fn a_recursion_far_deeper_than_a_thread_stack_runs_and_the_stack_is_reused() {
		// 200,000 levels of at least 512 bytes: over 100 MB, fifty times a 2 MiB thread stack.
		let depth = 200_000;
		let expected: u64 = (1..=depth).map(|d| u64::from(d as u8)).sum();
		let first = std::thread::spawn(move || {
			let deep = on_native_stack(|| recurse(depth));
			let base = SPARE.with(|spare| spare.borrow().as_ref().map(|s| s.mapping as usize));
			let again = on_native_stack(|| recurse(depth));
			let reused = SPARE.with(|spare| spare.borrow().as_ref().map(|s| s.mapping as usize));
			(deep, again, base, reused)
		})
		.join()
		.unwrap();
		assert_eq!(first.0, expected);
		assert_eq!(first.1, expected);
		assert!(first.2.is_some() && first.2 == first.3, "the thread keeps one stack");
	}

	#[test]
	fn a_panic_unwinds_to_the_caller_and_nesting_gets_its_own_stack() {
		let caught = catch_unwind(|| on_native_stack(|| panic!("in native code")));
		assert!(caught.is_err());
		let nested = on_native_stack(|| on_native_stack(|| recurse(1_000)) + 1);
		assert_eq!(nested, (1..=1_000u64).map(|d| d % 256).sum::<u64>() + 1);
		// And the thread's stack still works after both.
		assert_eq!(on_native_stack(|| recurse(10)), (1..=10u64).sum::<u64>());
	}
}
