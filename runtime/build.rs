//! Builds the runtime to wasm with substrate-wasm-builder (the blob the node puts in `:code`).
fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
