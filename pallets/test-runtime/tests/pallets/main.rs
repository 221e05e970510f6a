//! The cross-pallet tests: attacks on the money paths and property tests over random call
//! sequences, on the test runtime of the real pallets (compute, compute-staking and market
//! call each other for real, so a seam that fails in the runtime fails here). Each pallet's own
//! tests live in the pallet and run on the same runtime.

powerverse_test_runtime::construct_test_runtime!();

mod attacks;
mod fuzz;
mod properties;
