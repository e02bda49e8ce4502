"""The national synthetic dataset for benchmarks and load runs (`manage.py generate_synthetic`).

A top-floor app: it writes every domain app's tables in bulk, so nothing below imports it. Modules:
`vocabulary` (scales, marks, word lists), `bulk` (COPY writer), `generator` (people, programmes,
beneficiaries, plans), `projects` (the đề án and their tracking), `cleanup` (finding and removing the rows).
"""
