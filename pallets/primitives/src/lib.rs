//! # PowerVerse primitives
//!
//! Shared types and the traits through which PowerVerse pallets talk to each other. A pallet's
//! `Config` names these traits; the runtime wires one pallet's implementation into another's
//! `Config`. Every trait has a no-op `()` implementation for mocks.
#![cfg_attr(not(feature = "std"), no_std)]
