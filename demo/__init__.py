"""Demo and benchmark data: the demo's people and cases, its history, and the benchmarks'
generators. Never imported by the product."""
