/// The runtime's wasm, built by substrate-wasm-builder. A `try-runtime` build (the upgrade check,
/// scripts/upgrade-check.sh) gets its own blob and generated file,
/// `wbuild/powerverse-runtime/powerverse_runtime.try-runtime.compact.compressed.wasm`, so that it
/// never overwrites the wasm a normal build of the node embeds from the same target directory.
#[cfg(feature = "std")]
fn main() {
	let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults();
	#[cfg(feature = "try-runtime")]
	let builder = builder.set_file_name("powerverse_runtime.try-runtime");
	#[cfg(feature = "metadata-hash")]
	let builder = builder.enable_metadata_hash("PEC", 12);
	builder.build();
}

/// The wasm builder is deactivated when compiling without `std` (the runtime is then itself
/// being built for wasm).
#[cfg(not(feature = "std"))]
fn main() {}
