//! Tests on the test runtime of the real pallets.

use crate::mock::*;

#[test]
fn genesis_holds_the_invariants() {
	ExtBuilder::build_and_execute(|| {});
}
