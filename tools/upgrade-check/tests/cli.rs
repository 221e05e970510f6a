//! The checker refuses bad input with a clear message and a distinct exit status (2: bad
//! arguments, 1: a check or its input failed), before touching any node. Its checks themselves
//! run against a real chain in the node's end-to-end upgrade test (node/tests/upgrade).

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_powerverse-upgrade-check"))
		.args(args)
		.output()
		.expect("run powerverse-upgrade-check");
	let text =
		format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	(out.status.code().unwrap_or(-1), text)
}

fn wasm_file(dir: &std::path::Path) -> String {
	let path = dir.join("runtime.wasm");
	std::fs::write(&path, b"\0asm\x01\0\0\0").unwrap();
	path.to_string_lossy().into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
	let dir = std::env::temp_dir().join(format!("pv-upgrade-check-{name}-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

#[test]
fn refuses_missing_and_conflicting_arguments() {
	let (code, text) = run(&[]);
	assert_eq!(code, 2, "{text}");
	assert!(text.contains("--runtime"), "{text}");
	let dir = temp_dir("args");
	let wasm = wasm_file(&dir);
	let (code, text) = run(&["--runtime", &wasm]);
	assert_eq!(code, 2, "no state source: {text}");
	let (code, text) = run(&["--runtime", &wasm, "--uri", "ws://127.0.0.1:1", "--snapshot", "x"]);
	assert_eq!(code, 2, "two state sources: {text}");
	let (code, text) = run(&["--runtime", &wasm, "--snapshot", "x", "--at", "0x00"]);
	assert_eq!(code, 2, "--at without --uri: {text}");
	let (code, text) = run(&["--runtime", &wasm, "--snapshot", "x", "--checks", "most"]);
	assert_eq!(code, 2, "{text}");
	assert!(text.contains("unknown checks 'most'"), "{text}");
	let (code, text) = run(&["--runtime", &wasm, "--uri", "ws://127.0.0.1:1", "--timeout", "0"]);
	assert_eq!(code, 2, "{text}");
	// An existing snapshot file is not overwritten: refused before any connection.
	let (code, text) =
		run(&["--runtime", &wasm, "--uri", "ws://127.0.0.1:1", "--save-snapshot", &wasm]);
	assert_eq!(code, 2, "{text}");
	assert!(text.contains("the file exists"), "{text}");
	std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn refuses_unreadable_inputs_with_their_names() {
	let dir = temp_dir("inputs");
	let missing = dir.join("nope.wasm");
	let (code, text) = run(&["--runtime", missing.to_str().unwrap(), "--snapshot", "x"]);
	assert_eq!(code, 2, "{text}");
	assert!(text.contains("cannot read the runtime") && text.contains("nope.wasm"), "{text}");

	let wasm = wasm_file(&dir);
	let snap = dir.join("absent.snap");
	let (code, text) = run(&["--runtime", &wasm, "--snapshot", snap.to_str().unwrap()]);
	assert_eq!(code, 1, "{text}");
	assert!(text.contains("no snapshot file at") && text.contains("absent.snap"), "{text}");

	let garbage = dir.join("garbage.snap");
	std::fs::write(&garbage, b"not a snapshot").unwrap();
	let (code, text) = run(&["--runtime", &wasm, "--snapshot", garbage.to_str().unwrap()]);
	assert_eq!(code, 1, "{text}");
	assert!(text.contains("garbage.snap"), "{text}");

	let (code, text) = run(&["--runtime", &wasm, "--uri", "http://127.0.0.1:9944"]);
	assert_eq!(code, 1, "{text}");
	assert!(text.contains("is not a WebSocket URL"), "{text}");
	std::fs::remove_dir_all(&dir).ok();
}
