"""Deterministic generated data for benchmarks (``manage.py generate_catalogue``, ``bench/search_bench.py``).

- ``services``: ``dataset_ensure`` makes the generated data match the sizes and seed asked for (reused, or removed
  and generated again), then refreshes the listing columns and runs ANALYZE.
- ``catalogue``: producers, products (stock, certificates, shared pictures), showrooms and their shelves.
- ``orders``: shoppers and a year of orders with their lines, parts, payments and ledger rows.
- ``marks``: how generated rows are told apart from demo and real rows, and how they are removed.
- ``words``: the word lists; ``bulk``: batched inserts.
"""
