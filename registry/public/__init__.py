"""The public side of the register: what a company shows the people who use its AI systems.

Public pages under `/p/` (no sign-in, opt-in per system), versioned user agreements and the record
of end users accepting them (Art. 16(1)(1), TR-03, TR-04). Models live in the `registry` app label
and are re-exported by `registry.models`.
"""
