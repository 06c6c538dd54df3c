//! Planner benchmarks (being written).

fn main() {}
