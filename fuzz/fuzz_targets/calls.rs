//! libFuzzer target: the runtime-call driver of the test suite (see its module docs for the
//! input format and what is checked), run coverage-guided by `scripts/fuzz.sh`.
#![no_main]

powerverse_test_runtime::construct_test_runtime!();

#[path = "../../pallets/test-runtime/tests/pallets/fuzz.rs"]
#[allow(dead_code)]
mod driver;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	driver::run(data);
});
