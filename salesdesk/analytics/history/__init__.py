"""History import (A1.1, issue #7): years of past customers, products and order lines.

`runner.history_import` reads `customers`, `products` and `order_lines` (CSV or XLSX) with
the importers of `importers.py` through the imports framework (`run_import` with
`all_or_nothing=False`): rows stream, each batch commits on its own, a checkpoint file lets an
interrupted run resume, and re-reading a row already imported never duplicates it. The CLI is
`salesdesk import history DIR`; the web upload lives in `views.py`. See docs/import.md.
"""
