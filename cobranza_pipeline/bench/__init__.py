"""`cobranza bench`: the pipeline measured at several data sizes (README "Benchmark")."""
