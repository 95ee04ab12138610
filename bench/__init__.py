"""The Ketenkaart benchmark suite: ``make bench`` (or ``python -m bench``).

Generates fictional national-size databases (:mod:`ketendata.samples.synth`, cached under
``bench/work``),
measures imports, the region report, the comparison of all regions, the network, every dashboard
page through AppTest and the growth of the report with the size of a region, then prints a
Markdown table and writes ``bench/results.json``.
"""
