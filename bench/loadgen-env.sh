# Sourced by the benchmarks that measure with the load generator (Bridge.Simulator loadgen).
# Each run starts a fresh load generator on the machine it measures. With .NET's tiered JIT it
# compiled its own hot path again and again (tier 0, instrumented, tier 1) during the measured run,
# on the cores the system under test needs; with tiering off it compiles each method once, fully
# optimised, before its warm-up ends. (Its thread pool does not spin-wait either: the runtimeconfig
# of Bridge.Simulator sets the spin limit to 0.) docs/benchmarks.md, "A quieter load generator".
# LOADGEN_ENV="" runs it with the runtime's defaults, LOADGEN_ENV="NAME=VALUE …" with others.
read -r -a LOADGEN_ENV <<<"${LOADGEN_ENV-DOTNET_TieredCompilation=0}"
