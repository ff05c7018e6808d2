"""Speed, memory and quality measurements: ``python -m benchmarks`` (or ``make bench``)."""
