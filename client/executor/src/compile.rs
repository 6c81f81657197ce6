//! Sierra compiled to CASM by the pinned cairo-lang compiler, and both hashed: what a declare
//! carries must match what this node compiles.
//!
//! Version 1 of the host function compiles anything, in process ([`compile_class`]). Version 2
//! ([`compile_class_checked`]) is what a declare meets today, cheapest check first: the class's
//! size in bytes, its Sierra length, its class hash against the one declared, the allowed
//! libfuncs, then the compiler with the CASM bytecode limit. The sizes and the list are validity
//! limits (the same on every node). At admission the compiler may run in a child process under
//! CPU-time and memory limits ([`Isolation`]), so a hostile class cannot abort or starve the
//! node; a block (import) never depends on them. Every verdict, refusals included, is cached by
//! (bytes, request): a refused class costs one compile.
use crate::{
	cache::{self, Verdict},
	errors::{internal, rejected},
	guarded,
};
use cairn_primitives::starknet::{
	exec::{
		ClassDefinition, ClassLimits, CompileRequest, CompiledClass, ExecError, LibfuncList,
		Rejection,
	},
	Felt,
};
use codec::{Decode, Encode};
use starknet_api::contract_class::SierraVersion;
use std::{
	io::{Read, Write},
	path::PathBuf,
	process::{Command, Stdio},
	time::{Duration, Instant},
};

/// Compiles a Sierra class (JSON, as Starknet JSON-RPC carries it) to CASM and hashes both;
/// remembered by the class's bytes. (Host function version 1: no limits.)
pub fn compile_class(sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
	guarded(|| cache::compiled_sierra(sierra_json, |bytes| compile(bytes, None)))
}

/// How the node isolates the compiler at admission: a child process (`program args…`, which must
/// call [`serve_isolated_compile`]) under `RLIMIT_CPU` and `RLIMIT_AS`, at a lower scheduling
/// priority, killed after `wall_time`.
#[derive(Clone, Debug)]
pub struct Isolation {
	pub program: PathBuf,
	pub args: Vec<String>,
	/// CPU seconds the compiler may use.
	pub cpu_seconds: u64,
	/// Address space the compiler may map, in bytes.
	pub memory_bytes: u64,
	/// Wall-clock time before the child is killed.
	pub wall_time: Duration,
	/// The child's scheduling niceness (`setpriority`): compiling a declared class may take a
	/// core for a second, and must not take it from block production, the pool's validation or
	/// the RPC (measured: 50 large declares in flight on two cores held a transfer back 2.6–3.7 s
	/// at niceness 0).
	pub niceness: i32,
}

impl Isolation {
	/// The limits StarkWare's own compiler service runs with (20 s of CPU, 5 GiB), in a child
	/// running `program args…`.
	pub fn new(program: PathBuf, args: Vec<String>) -> Self {
		Isolation {
			program,
			args,
			cpu_seconds: 20,
			memory_bytes: 5 << 30,
			wall_time: Duration::from_secs(30),
			niceness: 10,
		}
	}
}

/// [`compile_class`] under `request`'s checks (host function version 2).
pub fn compile_class_checked(
	sierra_json: &[u8],
	request: CompileRequest,
	isolation: Option<&Isolation>,
) -> Result<CompiledClass, ExecError> {
	// The class's verdict depends on its bytes, the declared hash and the limits; whether it is
	// asked at admission decides only whether the isolated compiler's refusals apply.
	let key = (sierra_json, request.class_hash, request.limits).encode();
	let isolation = isolation.filter(|_| request.isolated);
	cache::checked_compile(&key, request.isolated, || {
		guarded(|| checked(sierra_json, request, isolation))
	})
}

fn checked(
	sierra_json: &[u8],
	request: CompileRequest,
	isolation: Option<&Isolation>,
) -> Result<Verdict, ExecError> {
	let limits = request.limits;
	if sierra_json.len() > limits.max_class_bytes as usize {
		return Ok(Verdict::Class(Err(too_large(format!(
			"the class is {} bytes; this chain takes at most {}",
			sierra_json.len(),
			limits.max_class_bytes
		)))));
	}
	let class = match parse(sierra_json) {
		Ok(class) => class,
		Err(e) => return Ok(Verdict::Class(Err(e))),
	};
	if class.sierra_program.len() > limits.max_sierra_felts as usize {
		return Ok(Verdict::Class(Err(too_large(format!(
			"the Sierra program is {} felts; this chain takes at most {}",
			class.sierra_program.len(),
			limits.max_sierra_felts
		)))));
	}
	let class_hash = Felt(class.calculate_class_hash().0);
	if class_hash != request.class_hash {
		return Ok(Verdict::Class(Err(rejected(
			Rejection::ClassHashMismatch,
			format!(
				"the class hashes to {class_hash:?}, the transaction declares {:?}",
				request.class_hash
			),
		))));
	}
	match isolation {
		Some(isolation) => compile_isolated(sierra_json, limits, isolation),
		None => Ok(Verdict::Class(compile_parsed(class, class_hash, Some(limits)))),
	}
}

fn too_large(message: String) -> ExecError {
	rejected(Rejection::ClassTooLarge, message)
}

fn parse(sierra_json: &[u8]) -> Result<starknet_api::state::SierraContractClass, ExecError> {
	serde_json::from_slice(sierra_json).map_err(|e| rejected(Rejection::InvalidClass, e))
}

/// Sierra JSON (Starknet JSON-RPC's `CONTRACT_CLASS`: program as hex felts, ABI as a string) →
/// class hash, CASM and compiled class hash; with `limits`, the allowed libfuncs checked and the
/// CASM bytecode bounded.
fn compile(sierra_json: &[u8], limits: Option<ClassLimits>) -> Result<CompiledClass, ExecError> {
	let class = parse(sierra_json)?;
	let class_hash = Felt(class.calculate_class_hash().0);
	compile_parsed(class, class_hash, limits)
}

/// [`compile`] of a class already parsed and hashed.
fn compile_parsed(
	class: starknet_api::state::SierraContractClass,
	class_hash: Felt,
	limits: Option<ClassLimits>,
) -> Result<CompiledClass, ExecError> {
	use cairo_lang_starknet_classes::{
		allowed_libfuncs::ListSelector,
		casm_contract_class::{CasmContractClass, StarknetSierraCompilationError},
		contract_class::ContractClass as CairoClass,
	};
	let invalid = |e: &dyn core::fmt::Display| rejected(Rejection::InvalidClass, e);
	let sierra_version =
		SierraVersion::extract_from_program(&class.sierra_program).map_err(|e| invalid(&e))?;
	// cairo-lang's class has the same JSON shape except the ABI, which the compiler ignores.
	let mut value = serde_json::to_value(&class).map_err(|e| invalid(&e))?;
	value["abi"] = serde_json::Value::Null;
	let cairo_class: CairoClass = serde_json::from_value(value).map_err(|e| invalid(&e))?;
	let extracted = cairo_class.extract_sierra_program(false).map_err(|e| invalid(&e))?;
	let max_bytecode = match limits {
		Some(limits) => {
			let list = match limits.libfuncs {
				LibfuncList::Audited => "audited",
				LibfuncList::All => "all",
			};
			extracted
				.validate_version_compatible(ListSelector::ListName(list.into()))
				.map_err(|e| invalid(&e))?;
			limits.max_casm_felts as usize
		}
		None => usize::MAX,
	};
	// cairo-lang 2.19 asserts where later compilers return an error: an entry point whose cost is
	// not the constant entry cost (a builtin used before the first gas withdrawal) panics with
	// "Unexpected entry point cost." where 2.21 answers `UnexpectedEntryPointCost`. The compiler
	// does no I/O, so its panics are a function of the class alone: the class's refusal on every
	// node, like its errors, and never the node's failure. (The caller runs under `guarded`,
	// which makes panics unwind.)
	let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
		CasmContractClass::from_contract_class(cairo_class, extracted, false, max_bytecode)
	}))
	.map_err(|panic| {
		invalid(&format!(
			"the Sierra compiler refused the class: {}",
			crate::panic_message(&*panic)
		))
	})?;
	let casm = compiled.map_err(|e| match e {
		StarknetSierraCompilationError::CompilationError(inner)
			if matches!(
				*inner,
				cairo_lang_sierra_to_casm::compiler::CompilationError::CodeSizeLimitExceeded
			) =>
		{
			too_large(format!(
				"the CASM bytecode exceeds this chain's limit of {max_bytecode} felts"
			))
		}
		e => invalid(&e),
	})?;
	let compiled_class_hash = Felt(casm.compiled_class_hash());
	let casm = serde_json::to_vec(&casm).map_err(internal)?;
	Ok(CompiledClass {
		class_hash,
		compiled_class_hash,
		definition: ClassDefinition {
			casm,
			sierra_version: (sierra_version.major, sierra_version.minor, sierra_version.patch),
			sierra_program_length: class.sierra_program.len() as u64,
			abi_length: class.abi.len() as u64,
		},
	})
}

/// Compiles in a child process under `isolation`'s limits. The child reads
/// `(sierra_json, limits)` SCALE-encoded on stdin and writes the SCALE-encoded verdict on stdout
/// ([`serve_isolated_compile`]).
fn compile_isolated(
	sierra_json: &[u8],
	limits: ClassLimits,
	isolation: &Isolation,
) -> Result<Verdict, ExecError> {
	use std::os::unix::process::CommandExt;
	let (cpu, memory, niceness) =
		(isolation.cpu_seconds, isolation.memory_bytes, isolation.niceness);
	let mut command = Command::new(&isolation.program);
	command
		.args(&isolation.args)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::null());
	// SAFETY: between fork and exec the closure makes only async-signal-safe calls
	// (`setrlimit`, `setpriority`) and allocates nothing.
	#[allow(unsafe_code)]
	unsafe {
		command.pre_exec(move || {
			let limit = |resource, value: u64| {
				let rlimit = libc::rlimit { rlim_cur: value, rlim_max: value };
				match libc::setrlimit(resource, &rlimit) {
					0 => Ok(()),
					_ => Err(std::io::Error::last_os_error()),
				}
			};
			if libc::setpriority(libc::PRIO_PROCESS, 0, niceness) != 0 {
				return Err(std::io::Error::last_os_error());
			}
			limit(libc::RLIMIT_CPU, cpu)?;
			limit(libc::RLIMIT_AS, memory)?;
			// No core dumps of a killed compiler.
			limit(libc::RLIMIT_CORE, 0)
		});
	}
	let mut child = command
		.spawn()
		.map_err(|e| internal(format!("cannot start the isolated compiler: {e}")))?;
	let input = (sierra_json, limits).encode();
	let mut stdin = child.stdin.take().ok_or_else(|| internal("no stdin to the compiler"))?;
	let writer = std::thread::spawn(move || stdin.write_all(&input));
	let mut stdout = child.stdout.take().ok_or_else(|| internal("no stdout from the compiler"))?;
	let reader = std::thread::spawn(move || {
		let mut output = Vec::new();
		stdout.read_to_end(&mut output).map(|_| output)
	});
	let started = Instant::now();
	let status = loop {
		match child.try_wait() {
			Ok(Some(status)) => break Some(status),
			Ok(None) if started.elapsed() > isolation.wall_time => {
				let _ = child.kill();
				let _ = child.wait();
				break None;
			}
			Ok(None) => std::thread::sleep(Duration::from_millis(5)),
			Err(e) => return Err(internal(format!("waiting for the compiler: {e}"))),
		}
	};
	let _ = writer.join();
	let output = reader.join().ok().and_then(Result::ok).unwrap_or_default();
	let refused = |why: String| {
		Verdict::AdmissionLimit(rejected(
			Rejection::InvalidClass,
			format!(
				"the compiler {why} (limits at admission: {cpu} s of CPU, {} MiB)",
				memory >> 20
			),
		))
	};
	Ok(match status {
		None => refused(format!("took over {:?} and was stopped", isolation.wall_time)),
		Some(status) if !status.success() => refused(format!("failed ({status})")),
		Some(_) => match <Result<CompiledClass, ExecError>>::decode(&mut &output[..]) {
			Ok(verdict) => Verdict::Class(verdict),
			Err(e) => refused(format!("answered nothing readable ({e})")),
		},
	})
}

/// The child side of [`Isolation`]: reads `(sierra_json, limits)` on stdin, compiles, writes the
/// verdict on stdout. The node runs it as a hidden subcommand.
pub fn serve_isolated_compile() -> std::io::Result<()> {
	let mut input = Vec::new();
	std::io::stdin().read_to_end(&mut input)?;
	let (sierra_json, limits) = <(Vec<u8>, ClassLimits)>::decode(&mut &input[..])
		.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
	let verdict = guarded(|| compile(&sierra_json, Some(limits)));
	std::io::stdout().write_all(&verdict.encode())?;
	std::io::stdout().flush()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// An isolation running `sh -c script` instead of the node, with tight limits.
	fn shell(script: &str) -> Isolation {
		Isolation {
			program: "/bin/sh".into(),
			args: vec!["-c".into(), script.into()],
			cpu_seconds: 1,
			memory_bytes: 256 << 20,
			wall_time: Duration::from_millis(1500),
			niceness: 10,
		}
	}

	fn refusal(isolation: &Isolation) -> String {
		match compile_isolated(b"{}", ClassLimits::STARKNET, isolation) {
			Ok(Verdict::AdmissionLimit(ExecError::Rejected(Rejection::InvalidClass, message))) => {
				String::from_utf8(message).unwrap()
			}
			Ok(Verdict::Class(verdict)) => panic!("a class verdict: {verdict:?}"),
			Ok(Verdict::AdmissionLimit(other)) | Err(other) => panic!("{other:?}"),
		}
	}

	#[test]
	fn a_compiler_over_its_limits_is_a_refusal_not_a_crash() {
		// Wall time: stopped.
		let slow = refusal(&shell("cat >/dev/null; sleep 10"));
		assert!(slow.contains("was stopped"), "{slow}");
		// CPU time: killed by the kernel (SIGXCPU) well before the wall time.
		let started = Instant::now();
		let busy = refusal(&Isolation {
			wall_time: Duration::from_secs(20),
			..shell("cat >/dev/null; while :; do :; done")
		});
		assert!(busy.contains("failed") && busy.contains("1 s of CPU"), "{busy}");
		assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
		// Memory: an allocation beyond the address-space limit fails (python's start, niced,
		// beside the other tests, once took more than the 1.5 s wall time: given more here).
		let hungry = refusal(&Isolation {
			wall_time: Duration::from_secs(20),
			..shell("cat >/dev/null; python3 -c 'bytearray(1 << 30)'")
		});
		assert!(hungry.contains("failed") && hungry.contains("256 MiB"), "{hungry}");
		// Garbage on stdout.
		let liar = refusal(&shell("cat >/dev/null; echo nonsense"));
		assert!(liar.contains("answered nothing readable"), "{liar}");
		// The compiler runs niced: this one waits out its wall time only at niceness 10.
		let niced = refusal(&shell("cat >/dev/null; [ \"$(nice)\" = 10 ] && sleep 10"));
		assert!(niced.contains("was stopped"), "the compiler is not niced: {niced}");
	}

	#[test]
	fn refusals_by_the_admission_limits_never_reach_a_block() {
		// A class the isolated compiler gave up on (here: a compiler that always fails) is
		// refused again at admission without a second try, while a block (no isolation) compiles
		// it in process and gets the class's own verdict.
		let class = br#"{"sierra_program": [], "contract_class_version": "0.1.0", "entry_points_by_type": {"EXTERNAL": [], "L1_HANDLER": [], "CONSTRUCTOR": []}, "abi": ""}"#;
		let hash = Felt(parse(class).unwrap().calculate_class_hash().0);
		let request =
			CompileRequest { class_hash: hash, limits: ClassLimits::STARKNET, isolated: true };
		let failing = shell("cat >/dev/null; exit 3");
		let at_admission = compile_class_checked(class, request, Some(&failing));
		assert!(
			matches!(&at_admission, Err(ExecError::Rejected(Rejection::InvalidClass, m)) if String::from_utf8_lossy(m).contains("failed")),
			"{at_admission:?}"
		);
		let missing = Isolation::new("/nonexistent/cairn".into(), vec![]);
		assert_eq!(compile_class_checked(class, request, Some(&missing)), at_admission);
		let in_a_block =
			compile_class_checked(class, CompileRequest { isolated: false, ..request }, None);
		assert_ne!(in_a_block, at_admission, "a block gets the class's own verdict");
	}

	#[test]
	fn a_missing_compiler_is_the_node_s_failure_and_not_cached() {
		let isolation = Isolation::new("/nonexistent/cairn".into(), vec![]);
		assert!(matches!(
			compile_isolated(b"{}", ClassLimits::STARKNET, &isolation),
			Err(ExecError::Internal(_))
		));
	}

	#[test]
	fn refusals_are_cached_by_bytes_and_request() {
		let request = CompileRequest {
			class_hash: Felt::ZERO,
			limits: ClassLimits { max_class_bytes: 10, ..ClassLimits::STARKNET },
			isolated: false,
		};
		let first = compile_class_checked(b"not a class at all", request, None);
		assert!(matches!(first, Err(ExecError::Rejected(Rejection::ClassTooLarge, _))));
		// The second answer comes from the cache: the same, even at admission through an
		// isolation that would fail.
		let broken = Isolation::new("/nonexistent/cairn".into(), vec![]);
		let admission = CompileRequest { isolated: true, ..request };
		assert_eq!(compile_class_checked(b"not a class at all", admission, Some(&broken)), first);
		let garbage = CompileRequest { limits: ClassLimits::STARKNET, ..request };
		assert!(matches!(
			compile_class_checked(b"not a class at all", garbage, None),
			Err(ExecError::Rejected(Rejection::InvalidClass, _))
		));
	}

	/// A Starknet JSON-RPC class around a hand-written Sierra program with one external entry
	/// point (function 0), and the class hash it declares.
	fn class_of(sierra: &str) -> (Vec<u8>, Felt) {
		use cairo_lang_starknet_classes::contract_class::{
			ContractClass, ContractEntryPoint, ContractEntryPoints,
		};
		let program = cairo_lang_sierra::ProgramParser::new().parse(sierra).unwrap();
		let entry_points = ContractEntryPoints {
			external: vec![ContractEntryPoint { selector: 1u32.into(), function_idx: 0 }],
			l1_handler: vec![],
			constructor: vec![],
		};
		let class = ContractClass::new(&program, entry_points, None, Default::default()).unwrap();
		let program: Vec<String> =
			class.sierra_program.iter().map(|f| format!("{:#x}", f.value)).collect();
		let class = serde_json::json!({
			"sierra_program": program,
			"contract_class_version": "0.1.0",
			"entry_points_by_type": {
				"EXTERNAL": [{"selector": "0x1", "function_idx": 0}],
				"L1_HANDLER": [],
				"CONSTRUCTOR": [],
			},
			"abi": "",
		});
		let bytes = serde_json::to_vec(&class).unwrap();
		let hash = Felt(parse(&bytes).unwrap().calculate_class_hash().0);
		(bytes, hash)
	}

	/// An entry point (builtins Pedersen, GasBuiltin, System; calldata span) that returns its
	/// calldata, with `before_gas` run before it touches the gas counter. Ids are numbers, in
	/// declaration order, as the class's serialization wants them: libfunc [3] is `pedersen`,
	/// [7] `redeposit_gas`.
	fn entry_point(before_gas: &str) -> String {
		format!(
			"type [0] = felt252;
			type [1] = Array<[0]>;
			type [2] = Snapshot<[1]>;
			type [3] = Struct<ut@core::array::Span::<core::felt252>, [2]>;
			type [4] = Struct<ut@Tuple, [3]>;
			type [5] = Enum<ut@core::panics::PanicResult::<(core::array::Span::<core::felt252>,)>, [4], [1]>;
			type [6] = Pedersen;
			type [7] = GasBuiltin;
			type [8] = System;
			type [9] = Const<[0], 12345>;
			type [10] = Const<[0], 67890>;
			libfunc [0] = const_as_immediate<[9]>;
			libfunc [1] = const_as_immediate<[10]>;
			libfunc [2] = store_temp<[0]>;
			libfunc [3] = pedersen;
			libfunc [4] = drop<[0]>;
			libfunc [5] = struct_construct<[4]>;
			libfunc [6] = enum_init<[5], 0>;
			libfunc [7] = redeposit_gas;
			libfunc [8] = store_temp<[6]>;
			libfunc [9] = store_temp<[7]>;
			libfunc [10] = store_temp<[8]>;
			libfunc [11] = store_temp<[5]>;
			{before_gas}
			[5]([3]) -> ([11]);
			[6]([11]) -> ([12]);
			[7]([1]) -> ([1]);
			[8]([0]) -> ([0]);
			[9]([1]) -> ([1]);
			[10]([2]) -> ([2]);
			[11]([12]) -> ([12]);
			return([0], [1], [2], [12]);
			[0]@0([0]: [6], [1]: [7], [2]: [8], [3]: [3]) -> ([6], [7], [8], [5]);"
		)
	}

	#[test]
	fn a_compiler_panic_is_the_class_s_refusal_on_every_path() {
		// The control: the same entry point without the hash compiles.
		let (plain, plain_hash) = class_of(&entry_point(""));
		let request = CompileRequest {
			class_hash: plain_hash,
			limits: ClassLimits::STARKNET,
			isolated: false,
		};
		assert!(compile_class_checked(&plain, request, None).is_ok());
		// A Pedersen hash before the first gas operation makes the entry point's cost more than
		// the constant entry cost; the pinned compiler (2.19.6) asserts on that.
		let (hostile, hash) = class_of(&entry_point(
			"[0]() -> ([4]);
			[1]() -> ([5]);
			[2]([4]) -> ([4]);
			[2]([5]) -> ([5]);
			[3]([0], [4], [5]) -> ([0], [7]);
			[4]([7]) -> ();",
		));
		let is_refusal = |verdict: &Result<CompiledClass, ExecError>| {
			matches!(verdict, Err(ExecError::Rejected(Rejection::InvalidClass, message))
				if String::from_utf8_lossy(message).contains("Unexpected entry point cost"))
		};
		let in_a_block =
			compile_class_checked(&hostile, CompileRequest { class_hash: hash, ..request }, None);
		assert!(is_refusal(&in_a_block), "{in_a_block:?}");
		// Host function version 1 (no limits) and the isolated child's own compile agree.
		let unchecked = compile_class(&hostile);
		assert!(is_refusal(&unchecked), "{unchecked:?}");
		let child = guarded(|| compile(&hostile, Some(ClassLimits::STARKNET)));
		assert!(is_refusal(&child), "{child:?}");
	}
}
