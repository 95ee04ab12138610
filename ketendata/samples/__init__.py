"""Fictional data that takes the upload path: the demo regions (:mod:`.demo`, content in
``data/``) and the synthetic national data for benchmarks (:mod:`.synth`)."""

__all__ = ["demo", "demo_data", "synth"]
