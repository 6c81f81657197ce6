//! # cairn
//!
//! The Cairn node binary: a Substrate node whose runtime carries Starknet. This crate owns the
//! command line (`cli`, `command`), the service that wires client, database (ParityDB), networking,
//! block authoring and finality together (`service`), the built-in chain specs (`chain_spec`), the specs of new networks (`new_chain`) and the
//! RPC methods served next to Substrate's own (`rpc`).
#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod new_chain;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	// The isolated Sierra compiler (see `service::executor`): a child of a running node, not a
	// user-facing subcommand.
	if std::env::args().nth(1).as_deref() == Some(service::executor::COMPILE_SUBCOMMAND) {
		return cairn_executor::serve_isolated_compile().map_err(sc_cli::Error::Io);
	}
	command::run()
}
